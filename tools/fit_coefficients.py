"""Fits the polynomial coefficients used by src/WeightedCrossEntropy/Math/ExpNegative.cs, Log1p.cs,
SingleFastPath.cs and HardLabelMath.cs.

Run with Python 3 and mpmath (`python3 tools/fit_coefficients.py`). The fits are Chebyshev fits (mpmath.chebyfit),
close to minimax, of the smooth remainders that the kernels evaluate:

- exp:   P(r) = (e^r - 1 - r) / r^2        on |r| <= ln2/2, so e^r = 1 + (r + r^2 P(r))
- log:   R(z) = (2 atanh(s) / s - 2) / z   with z = s^2, s = e/(2+e), 0 <= e <= 1 (so z <= 1/9), degree 10, so
         log(1+e) = e + (s (e^2/2 + z R(z)) - e^2/2); check_log1p_double() runs the kernel's double arithmetic
         (FMA emulated exactly) on 38,000 points against mpmath and prints the worst error in ULP.
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
log_fit, log_err = fit(log_rem, 0, mp.mpf(1) / 9, 11)
show("log R(z) on z <= 1/9, degree 10 (Log1p.cs)", log_fit, log_err)
show("log R(z) on z <= (3-2sqrt2)^2, degree 2 (SingleFastPath)", *fit(log_rem, 0, zmax, 3))
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


def check_log1p_double(coeffs, n=20000, seed=1):
    """Log1p.cs in double arithmetic (its order of operations: Estrin in z, z², z⁴; the correction
    s·fma(z, poly, e²/2) − e²/2; FMAs rounded once via exact fractions) against mpmath: the worst error in ULP of
    log1p(e) for e alone, and for a pair e + low (low = the rounding error of e, as the kernels carry it) with the
    low part added through the chord 1 − e/2."""
    import random
    from fractions import Fraction

    def fma(a, b, c):
        return float(Fraction(a) * Fraction(b) + Fraction(c))

    def poly(z):
        c = coeffs
        z2 = z * z
        z4 = z2 * z2
        p03 = fma(fma(c[3], z, c[2]), z2, fma(c[1], z, c[0]))
        p47 = fma(fma(c[7], z, c[6]), z2, fma(c[5], z, c[4]))
        p810 = fma(c[10], z2, fma(c[9], z, c[8]))
        return fma(fma(p810, z4, p47), z4, p03)

    def correction(e):
        s = e / (2.0 + e)
        z = s * s
        h = e * (e * 0.5)
        return s * fma(z, poly(z), h) - h

    def kernel(e, low):
        if low is None:
            return e + correction(e)
        return e + fma(low, 1.0 - e * 0.5, correction(e))

    def ulps(v, exact):
        m, ex = math.frexp(float(exact))
        return float(abs(mp.mpf(v) - exact) / mp.mpf(2.0 ** (ex - 53)))

    rng = random.Random(seed)
    points = ([rng.random() for _ in range(n)] + [1 - rng.random() * 1e-3 for _ in range(3000)]
              + [0.5 + rng.random() / 2 for _ in range(n // 2)] + [math.exp(-rng.random() * 40) for _ in range(5000)])
    worst = max(ulps(kernel(e, None), mp.log1p(mp.mpf(e))) for e in points)
    print(f"log1p double kernel, e alone: worst {worst:.3f} ULP")
    worst_pair = 0.0
    for e in points[: n // 2]:
        # a pair e + low as the exp gives it: an exact value v, its rounding e, and the remainder low
        v = mp.mpf(e) * (1 + mp.mpf(rng.random() - 0.5) * mp.mpf(2.0) ** -52)
        e_rounded = float(v)
        low = float(v - mp.mpf(e_rounded))
        worst_pair = max(worst_pair, ulps(kernel(e_rounded, low), mp.log1p(v)))
    print(f"log1p double kernel, pair e + low (chord slope): worst {worst_pair:.3f} ULP")


check_log1p_double([float(c) for c in log_fit])
