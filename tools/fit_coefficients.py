"""Fits the polynomial coefficients used by src/WeightedCrossEntropy/Math/ExpNegative.cs, Log1p.cs,
SingleFastPath.cs and HardLabelMath.cs.

Run with Python 3 and mpmath (`python3 tools/fit_coefficients.py`). The fits are Chebyshev fits (mpmath.chebyfit),
close to minimax, of the smooth remainders that the kernels evaluate:

- exp:   P(r) = (e^r - 1 - r) / r^2        on |r| <= ln2/2, so e^r = 1 + (r + r^2 P(r))
- log:   R(z) = (2 atanh(s) / s - 2) / z   with z = s^2, s = f/(2+f), |f| <= sqrt2 - 1, so
         log(1+f) = f - (f^2/2 - s (f^2/2 + z R(z)))
- log1p in float lanes (HardLabelMath): G(e) = (log1p(e) - e) / e^2 on 0 <= e <= 1, degree 9, G0 = -1/2 exactly;
  the float coefficients are searched (coordinate steps of a few float ULPs from the rounded Chebyshev fit) to
  minimize the relative error of e + e^2 G(e), since rounding the fit's coefficients alone costs 2^-25.
The printed max error is relative to the remainder; the kernels' own error is dominated by the final rounding.
"""
import math
import struct
import mpmath as mp

mp.mp.dps = 50

def fit(f, a, b, n):
    coeffs, err = mp.chebyfit(f, [a, b], n, error=True)
    return list(reversed(coeffs)), err  # lowest degree first

def show(name, coeffs, err):
    print(f"{name}: max abs error {mp.nstr(err, 5)}")
    for i, c in enumerate(coeffs):
        print(f"  c{i} = {float(c)!r}")

half_ln2 = mp.log(2) / 2
exp_rem = lambda r: (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(1) / 2
show("exp P(r), degree 10", *fit(exp_rem, -half_ln2, half_ln2, 11))
show("exp P(r), degree 5 (float lanes)", *fit(exp_rem, -half_ln2, half_ln2, 6))

smax = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1)
zmax = smax**2
log_rem = lambda z: (2 * mp.atanh(mp.sqrt(z)) / mp.sqrt(z) - 2) / z if z != 0 else mp.mpf(2) / 3
show("log R(z), degree 6", *fit(log_rem, 0, zmax, 7))
show("log R(z), degree 2 (float lanes)", *fit(log_rem, 0, zmax, 3))
print("ln2 hi/lo:", float(mp.log(2)), float(mp.log(2) - mp.mpf(float(mp.log(2)))))
print("log2(e):", float(1 / mp.log(2)))


def f32(v):
    return struct.unpack('f', struct.pack('f', float(v)))[0]

def float_step(v, k):
    bits = struct.unpack('i', struct.pack('f', v))[0]
    return struct.unpack('f', struct.pack('i', bits + (k if v > 0 else -k)))[0]

def search_log1p_float(deg=9, n=600):
    """Float coefficients of G for HardLabelMath: max relative error of log1p(e) = e + e^2 G(e), in double."""
    G = lambda e: (mp.log1p(e) - e) / e**2 if e != 0 else mp.mpf(-1) / 2
    pts = [0.5 * (1 - math.cos(math.pi * (i + 0.5) / n)) for i in range(n)] + [1.0]
    exact = [G(mp.mpf(e)) for e in pts]
    hi = [float(g) for g in exact]
    lo = [float(g - mp.mpf(float(g))) for g in exact]
    weight = [e * e / float(mp.log1p(e)) for e in pts]

    def err(cs):
        worst = 0.0
        for e, g, gl, w in zip(pts, hi, lo, weight):
            p = 0.0
            for c in reversed(cs):
                p = p * e + c
            worst = max(worst, abs(((g - p) + gl) * w))
        return worst

    cs = [f32(v) for v in reversed(mp.chebyfit(G, [0, 1], deg + 1))]
    cs[0] = -0.5
    best = err(cs)
    improved = True
    while improved:
        improved = False
        for i in range(1, deg + 1):
            for k in (-4, -2, -1, 1, 2, 4):
                trial = cs[:]
                trial[i] = float_step(cs[i], k)
                v = err(trial)
                if v < best:
                    best, cs, improved = v, trial, True
        for i in range(1, deg):
            for k in (-1, 1):
                for l in (-3, -2, -1, 1, 2, 3):
                    trial = cs[:]
                    trial[i] = float_step(cs[i], k)
                    trial[i + 1] = float_step(cs[i + 1], l)
                    v = err(trial)
                    if v < best:
                        best, cs, improved = v, trial, True
    print(f"log1p G(e), degree {deg}, float coefficients (HardLabelMath): max relative error 2^{math.log2(best):.2f}")
    for i, c in enumerate(cs):
        print(f"  G{i} = {c!r}f")

search_log1p_float()
