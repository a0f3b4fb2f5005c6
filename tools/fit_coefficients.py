"""Fits the polynomial coefficients used by src/WeightedCrossEntropy/Math/ExpLog.cs.

Run with Python 3 and mpmath (`python3 tools/fit_coefficients.py`). The fits are Chebyshev fits (mpmath.chebyfit),
close to minimax, of the smooth remainders that the kernels evaluate:

- exp:   P(r) = (e^r - 1 - r) / r^2        on |r| <= ln2/2, so e^r = 1 + (r + r^2 P(r))
- log:   R(z) = (2 atanh(s) / s - 2) / z   with z = s^2, s = f/(2+f), |f| <= sqrt2 - 1, so
         log(1+f) = f - (f^2/2 - s (f^2/2 + z R(z)))
The printed max error is relative to the remainder; the kernels' own error is dominated by the final rounding.
"""
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
