#!/usr/bin/env python3
"""Writes data/reference/reference.csv and weighted.csv: exact values of the weighted cross-entropy and its gradients.

reference.csv:

Every row is one element in one dtype (float32 or float64): the inputs x (logit), z (label), q (pos_weight), already
representable in that dtype, and

    loss = (1 - z)*softplus(x) + q*z*softplus(-x)
    dx   = (1 - z)*sigmoid(x) - q*z*sigmoid(-x)
    dz   = q*softplus(-x) - softplus(x)
    dq   = z*softplus(-x)

computed with mpmath at 400 bits (about 120 digits), checked against a second evaluation at 800 bits (about 240
digits) and, where the two would round differently, at 3200 bits; the result is rounded once, to nearest with ties
to even, to the dtype (subnormals and overflow to infinity included: the rounding is done on the exact binary value,
never through a double). Infinite logits take the mathematical limit, and a zero weight times an infinite softplus
counts as 0. Any NaN input gives NaN in every column.

Output conventions (the same as those of the golden.csv this file replaces): float32 values are written with 9
significant digits ("%.9g"), float64 values as Python's shortest round-trip repr; non-finite values are spelled NaN,
Infinity, -Infinity. Parsing a float32 row's values with float.Parse (and a float64 row's with double.Parse) gives
their exact bits.

The inputs are a grid (hard spots of the exp/log kernels, subnormals, the largest finite values, hard and soft
labels, zero, small, large and negative weights), the non-finite cases, and random cases drawn from a fixed seed.

weighted.csv adds a sample weight w (a value of the dtype) and label smoothing eps (a double for every dtype, as the
library takes it; written as Python's shortest round-trip repr also in float32 rows), with z' = z*(1 - eps) + eps/2
formed exactly from the row's z and eps:

    loss = w*((1 - z')*softplus(x) + q*z'*softplus(-x))
    dx   = w*((1 - z')*sigmoid(x) - q*z'*sigmoid(-x))
    dz   = w*(1 - eps)*(q*softplus(-x) - softplus(x))      (with respect to the unsmoothed label z)
    dq   = w*z'*softplus(-x)
    dw   = (1 - z')*softplus(x) + q*z'*softplus(-x)         (the unweighted smoothed loss)

each exact and rounded once, as above. A zero factor (w, or 1 - eps in dz) times an infinite limit counts as 0; w = +-inf
times a nonzero value is +-inf and times an exact zero NaN; a NaN in x, z, q or w gives NaN in every column, dw
included.

Regenerate (from the repository root; takes about half a minute):

    python3 tools/make_reference.py            # writes data/reference/reference.csv and weighted.csv
    python3 tools/make_reference.py --check    # recomputes both and compares with the committed files (exit 1 on a difference)

Needs Python 3.8+ and mpmath (pip install mpmath); the output does not depend on the mpmath version.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
from fractions import Fraction

import mpmath

SEED = 20260101
HEADER = "dtype,x,z,q,loss,dx,dz,dq"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "reference", "reference.csv")
WEIGHTED_SEED = 20261206
WEIGHTED_HEADER = "dtype,x,z,q,w,eps,loss,dx,dz,dq,dw"
WEIGHTED_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "reference", "weighted.csv")


class Format:
    def __init__(self, name: str, precision: int, emin: int, emax: int) -> None:
        self.name = name
        self.precision = precision  # significand bits, the hidden bit included
        self.emin = emin            # exponent of the smallest normal number
        self.emax = emax            # exponent of the largest finite number

    def max_finite(self) -> Fraction:
        return Fraction(2 ** self.precision - 1) * Fraction(2) ** (self.emax - self.precision + 1)

    def min_subnormal(self) -> Fraction:
        return Fraction(2) ** (self.emin - self.precision + 1)


FLOAT32 = Format("float32", 24, -126, 127)
FLOAT64 = Format("float64", 53, -1022, 1023)

NAN = float("nan")
INF = float("inf")


def round_exact(value: Fraction, fmt: Format) -> float:
    """Rounds an exact rational to the format, to nearest with ties to even; returns it as a Python float (exact)."""
    if value == 0:
        return 0.0
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    exponent = magnitude.numerator.bit_length() - magnitude.denominator.bit_length()
    # exponent is floor(log2(magnitude)) or one more: fix it.
    if Fraction(2) ** exponent > magnitude:
        exponent -= 1
    exponent = max(exponent, fmt.emin)
    quantum = Fraction(2) ** (exponent - fmt.precision + 1)
    rounded = round(magnitude / quantum) * quantum  # Fraction.__round__ rounds half to even
    if rounded > fmt.max_finite():
        return sign * INF
    if rounded == 0:
        return math.copysign(0.0, sign)
    return sign * float(rounded)  # exact: every float32 and float64 value is a double


def signed_mantissa_exponent(value: mpmath.mpf) -> tuple[int, int]:
    """(m, e) with value = m * 2^e exactly (mpmath's man_exp drops the sign)."""
    sign, mantissa, exponent, _ = value._mpf_
    return (-int(mantissa) if sign else int(mantissa)), int(exponent)


def to_fraction(value: mpmath.mpf) -> Fraction:
    mantissa, exponent = signed_mantissa_exponent(value)
    return Fraction(mantissa) * Fraction(2) ** exponent


def round_mpf(value: mpmath.mpf, fmt: Format) -> float:
    if mpmath.isnan(value):
        return NAN
    if mpmath.isinf(value):
        return INF if value > 0 else -INF
    if value == 0:
        return 0.0
    mantissa, exponent = signed_mantissa_exponent(value)
    top = exponent + abs(mantissa).bit_length() - 1  # floor(log2(|value|))
    if top < fmt.emin - fmt.precision:  # below half the smallest subnormal: rounds to a signed zero
        return -0.0 if mantissa < 0 else 0.0
    if top > fmt.emax:  # at least 2^(emax + 1): overflows
        return -INF if mantissa < 0 else INF
    return round_exact(to_fraction(value), fmt)


def input_value(number: float | str | Fraction, fmt: Format) -> float:
    """An input as the dtype holds it: a decimal string or a double, rounded once to the dtype."""
    if isinstance(number, float) and not math.isfinite(number):
        return number
    exact = Fraction(number) if not isinstance(number, Fraction) else number
    if exact == 0:
        return float(number) if isinstance(number, float) else 0.0
    return round_exact(exact, fmt)


def exact_results(x: float, z: float, q: float, bits: int) -> list[mpmath.mpf]:
    """loss, dx, dz, dq at the given working precision (finite x, z, q)."""
    with mpmath.workprec(bits):
        X = mpmath.mpf(x)
        Z = mpmath.mpf(z)
        Q = mpmath.mpf(q)
        e = mpmath.exp(-abs(X))  # in (0, 1]
        log_term = mpmath.log1p(e)
        sp_pos = (X if X > 0 else mpmath.mpf(0)) + log_term    # softplus(x)
        sp_neg = (-X if X < 0 else mpmath.mpf(0)) + log_term   # softplus(-x)
        if X >= 0:
            sig_pos = 1 / (1 + e)
            sig_neg = e / (1 + e)
        else:
            sig_pos = e / (1 + e)
            sig_neg = 1 / (1 + e)
        loss = (1 - Z) * sp_pos + Q * Z * sp_neg
        dx = (1 - Z) * sig_pos - Q * Z * sig_neg
        dz = Q * sp_neg - sp_pos
        dq = Z * sp_neg
        return [loss, dx, dz, dq]


def limit_results(x: float, z: float, q: float) -> list[float]:
    """x = +-infinity: softplus(+inf) = inf, softplus(-inf) = 0, sigmoid(+inf) = 1, sigmoid(-inf) = 0; 0 * inf = 0."""

    def times_inf(weight: float) -> float:
        return 0.0 if weight == 0 else math.copysign(INF, weight)

    if x > 0:  # softplus(x) = inf, softplus(-x) = 0
        loss = times_inf(1 - z)
        dx = 1 - z
        dz = -INF
        dq = 0.0
    else:      # softplus(x) = 0, softplus(-x) = inf
        loss = times_inf(q * z)
        dx = -q * z
        dz = times_inf(q)
        dq = times_inf(z)
    return [loss, dx, dz, dq]


def results(x: float, z: float, q: float, fmt: Format) -> list[float]:
    if math.isnan(x) or math.isnan(z) or math.isnan(q):
        return [NAN] * 4
    if math.isinf(x):
        # The finite parts (1 - z, q*z) are exact in double for these inputs; round them to the dtype once.
        return [v if not math.isfinite(v) else input_value(Fraction(v), fmt) for v in limit_results(x, z, q)]
    low = [round_mpf(v, fmt) for v in exact_results(x, z, q, 400)]
    high = [round_mpf(v, fmt) for v in exact_results(x, z, q, 800)]
    if _same(low, high):
        return high
    higher = [round_mpf(v, fmt) for v in exact_results(x, z, q, 3200)]
    if not _same(high, higher):
        raise RuntimeError(f"rounding not settled at 3200 bits: {fmt.name} x={x!r} z={z!r} q={q!r}")
    return higher


def _same(a: list[float], b: list[float]) -> bool:
    return all((u == v and math.copysign(1, u) == math.copysign(1, v)) or (u != u and v != v) for u, v in zip(a, b))


def text(value: float, fmt: Format) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return "%.9g" % value if fmt is FLOAT32 else repr(value)


# ---- the inputs ----------------------------------------------------------------------------------------------------

# Logits: zero, tiny, the hard spots of float32 and float64 exp (+-15, 17, 20, 37, 88, 89, 700, 710), huge.
GRID_X = ["0", "1e-30", "1e-8", "0.5", "1", "2.5", "5", "10", "15", "17", "20", "30", "37", "50", "88", "89",
          "100", "700", "710", "10000", "1e30", "3e38"]
GRID_Z = ["0", "1", "0.5", "0.1", "0.9", "1e-7"]
GRID_Q = ["1", "2", "0.25", "0", "10", "300", "-1", "0.01", "1e6"]


def grid_x(fmt: Format) -> list[float]:
    xs: list[float] = []
    for s in GRID_X:
        v = input_value(s, fmt)
        xs.append(v)
        xs.append(-v if v != 0 else -0.0)
    # Subnormal logits (smallest and a middle one) and the largest finite logit.
    for exact in (fmt.min_subnormal(), fmt.min_subnormal() * 12345, fmt.max_finite()):
        v = round_exact(exact, fmt)
        xs += [v, -v]
    return xs


def special_rows() -> list[tuple[float, float, float]]:
    rows = []
    for x in (INF, -INF):
        for z in (0.0, 1.0, 0.5):
            for q in (2.0, 0.0, -1.0):
                rows.append((x, z, q))
    rows += [(NAN, 1.0, 2.0), (1.0, NAN, 2.0), (1.0, 1.0, NAN), (NAN, NAN, NAN), (INF, NAN, 1.0), (-INF, 1.0, NAN)]
    return rows


def random_rows(rng: random.Random, fmt: Format, count: int, wide: bool) -> list[tuple[float, float, float]]:
    rows = []
    for _ in range(count):
        if wide:
            # |x| over the whole finite range, weights from 1e-3 to 1e6 and a tenth of them negative.
            top = 38.5 if fmt is FLOAT32 else 308.2
            bottom = -44.8 if fmt is FLOAT32 else -323.3
            x = 10 ** rng.uniform(bottom, top) * rng.choice((-1, 1))
            q = 10 ** rng.uniform(-3, 6) * (-1 if rng.random() < 0.1 else 1)
        else:
            x = 10 ** rng.uniform(-6, 2.5) * rng.choice((-1, 1))
            q = 10 ** rng.uniform(-1, 2.5)
        z = float(rng.choice((0, 1))) if rng.random() < 0.5 else rng.random()
        x = input_value(x, fmt)
        if x == 0 or math.isinf(x):
            x = input_value(1.0, fmt)
        rows.append((x, input_value(z, fmt), input_value(q, fmt)))
    return rows


def all_rows() -> list[tuple[Format, float, float, float]]:
    rng = random.Random(SEED)
    rows: list[tuple[Format, float, float, float]] = []
    for fmt in (FLOAT32, FLOAT64):
        inputs = [(x, input_value(z, fmt), input_value(q, fmt)) for x in grid_x(fmt) for z in GRID_Z for q in GRID_Q]
        inputs += special_rows()
        inputs += random_rows(rng, fmt, 2000, wide=False)
        inputs += random_rows(rng, fmt, 500, wide=True)
        rows += [(fmt, x, z, q) for x, z, q in inputs]
    return rows


def render() -> list[str]:
    lines = [HEADER]
    for fmt, x, z, q in all_rows():
        values = [x, z, q] + results(x, z, q, fmt)
        lines.append(",".join([fmt.name] + [text(v, fmt) for v in values]))
    return lines


# ---- weighted.csv: sample weight and label smoothing ----------------------------------------------------------------

def dyadic_mpf(value: Fraction, bits: int) -> mpmath.mpf:
    """A dyadic rational (denominator a power of two) as an mpf, exactly (raises if the working precision is short)."""
    denominator = value.denominator
    if denominator & (denominator - 1):
        raise ValueError(f"not dyadic: {value}")
    if abs(value.numerator).bit_length() > bits:
        raise ValueError(f"{value} needs more than {bits} bits")
    with mpmath.workprec(bits):
        return mpmath.ldexp(mpmath.mpf(value.numerator), -(denominator.bit_length() - 1))


def smoothed(z: float, eps: float) -> tuple[Fraction, Fraction]:
    """z' = z*(1 - eps) + eps/2 and 1 - z', exactly."""
    e = Fraction(eps)
    zs = Fraction(z) * (1 - e) + e / 2
    return zs, 1 - zs


def weighted_unweighted_exact(x: float, z: float, q: float, eps: float, bits: int) -> list[mpmath.mpf]:
    """The unweighted parts (loss, dx, dz, dq) for finite x, z, q at the given working precision; dz includes 1 - eps."""
    zs, one_minus_zs = smoothed(z, eps)
    with mpmath.workprec(bits):
        X = mpmath.mpf(x)
        Q = mpmath.mpf(q)
        Zs = dyadic_mpf(zs, bits)
        Zc = dyadic_mpf(one_minus_zs, bits)
        E1 = dyadic_mpf(1 - Fraction(eps), bits)
        e = mpmath.exp(-abs(X))
        log_term = mpmath.log1p(e)
        sp_pos = (X if X > 0 else mpmath.mpf(0)) + log_term
        sp_neg = (-X if X < 0 else mpmath.mpf(0)) + log_term
        if X >= 0:
            sig_pos = 1 / (1 + e)
            sig_neg = e / (1 + e)
        else:
            sig_pos = e / (1 + e)
            sig_neg = 1 / (1 + e)
        loss = Zc * sp_pos + Q * Zs * sp_neg
        dx = Zc * sig_pos - Q * Zs * sig_neg
        dz = E1 * (Q * sp_neg - sp_pos)
        dq = Zs * sp_neg
        return [loss, dx, dz, dq]


def times_weight(w: float, value: mpmath.mpf | Fraction | float, bits: int) -> mpmath.mpf | Fraction | float:
    """w times an unweighted part: 0 times an infinite limit is 0; +-inf times an exact zero is NaN (IEEE)."""
    if isinstance(value, float) and math.isinf(value):
        return 0.0 if w == 0 else math.copysign(INF, w) * value
    if math.isinf(w):
        return NAN if value == 0 else math.copysign(INF, w) * (1 if value > 0 else -1)
    if isinstance(value, Fraction):
        return Fraction(w) * value
    with mpmath.workprec(bits):
        return mpmath.mpf(w) * value


def weighted_limits(x: float, z: float, q: float, eps: float) -> list[Fraction | float]:
    """Unweighted parts at x = +-inf: exact rationals where finite, +-inf as floats; a zero factor times inf is 0."""
    zs, one_minus_zs = smoothed(z, eps)
    e1 = 1 - Fraction(eps)
    qf = Fraction(q)

    def times_inf(factor: Fraction) -> Fraction | float:
        return Fraction(0) if factor == 0 else (INF if factor > 0 else -INF)

    if x > 0:  # softplus(x) = inf, softplus(-x) = 0, sigmoid(x) = 1, sigmoid(-x) = 0
        return [times_inf(one_minus_zs), one_minus_zs, times_inf(-e1), Fraction(0)]
    return [times_inf(qf * zs), -qf * zs, times_inf(e1 * qf), times_inf(zs)]


def round_any(value: mpmath.mpf | Fraction | float, fmt: Format) -> float:
    if isinstance(value, float):
        if not math.isfinite(value):
            return value
        value = Fraction(value)
    if isinstance(value, Fraction):
        return round_exact(value, fmt)
    return round_mpf(value, fmt)


def weighted_at(x: float, z: float, q: float, w: float, eps: float, fmt: Format, bits: int) -> list[float]:
    if math.isinf(x):
        parts = weighted_limits(x, z, q, eps)
    else:
        parts = weighted_unweighted_exact(x, z, q, eps, bits)
    weighted = [times_weight(w, v, bits) for v in parts]
    return [round_any(v, fmt) for v in weighted] + [round_any(parts[0], fmt)]


def weighted_results(x: float, z: float, q: float, w: float, eps: float, fmt: Format) -> list[float]:
    """loss, dx, dz, dq, dw of one row, each rounded once to the dtype."""
    if any(math.isnan(v) for v in (x, z, q, w)):
        return [NAN] * 5
    if math.isinf(x):
        return weighted_at(x, z, q, w, eps, fmt, 400)
    low = weighted_at(x, z, q, w, eps, fmt, 400)
    high = weighted_at(x, z, q, w, eps, fmt, 800)
    if _same(low, high):
        return high
    higher = weighted_at(x, z, q, w, eps, fmt, 3200)
    if not _same(high, higher):
        raise RuntimeError(f"rounding not settled at 3200 bits: {fmt.name} x={x!r} z={z!r} q={q!r} w={w!r} eps={eps!r}")
    return higher


GRID_W = ["1", "0", "0.5", "3", "1e-3", "1e6", "-2"]
GRID_EPS = [0.0, 0.1, 0.2, 1e-7, 0.5, 1.0]
GRID_WZ = ["0", "1", "0.3"]
GRID_WQ = ["1", "0", "-1", "2.5"]


def weighted_grid(fmt: Format) -> list[tuple[float, float, float, float, float]]:
    """Every grid logit with z in {0, 1, 0.3} and every eps of GRID_EPS; (w, q) walk through all 28 pairs in turn."""
    pairs = [(input_value(w, fmt), input_value(q, fmt)) for w in GRID_W for q in GRID_WQ]
    rows = []
    k = 0
    for x in grid_x(fmt):
        for z in GRID_WZ:
            for eps in GRID_EPS:
                w, q = pairs[k % len(pairs)]
                k += 1
                rows.append((x, input_value(z, fmt), q, w, eps))
    # Every pair once more on the logits where the limits rule and overflow matter most.
    big = round_exact(fmt.max_finite(), fmt)
    for x in (big, -big, input_value("100", fmt), input_value("-100", fmt)):
        for w, q in pairs:
            for z, eps in (("1", 0.0), ("0", 0.0), ("1", 0.1), ("0", 1e-7), ("0.3", 1.0)):
                rows.append((x, input_value(z, fmt), q, w, eps))
    return rows


def weighted_specials(fmt: Format) -> list[tuple[float, float, float, float, float]]:
    rows = []
    for x in (INF, -INF):
        for z in (0.0, 1.0, 0.5):
            for q in (2.0, 0.0, -1.0):
                for w in (1.0, 0.0, 0.5, -2.0):
                    for eps in (0.0, 0.1, 1.0):
                        rows.append((x, z, q, w, eps))
    # NaN in each input (a NaN label smoothing is an argument error, not a row).
    rows += [(NAN, 1.0, 2.0, 1.0, 0.1), (1.0, NAN, 2.0, 1.0, 0.1), (1.0, 1.0, NAN, 1.0, 0.1),
             (1.0, 1.0, 2.0, NAN, 0.1), (INF, 1.0, 2.0, NAN, 0.0), (-INF, 0.0, 1.0, NAN, 0.2),
             (0.5, 0.5, 1.0, NAN, 0.0)]
    # Infinite weights, unsmoothed, on finite logits where every unweighted part is either clearly nonzero or an exact
    # zero (z = 0 gives dq = 0, so dq is NaN there).
    for w in (INF, -INF):
        for x in (-1.0, 0.5, 3.0):
            for z in (0.0, 1.0, 0.25):
                rows.append((x, z, 2.0, w, 0.0))
    return [(x, input_value(z, fmt), input_value(q, fmt), input_value(w, fmt), eps) for x, z, q, w, eps in rows]


def weighted_random(rng: random.Random, fmt: Format, count: int, wide: bool) -> list[tuple[float, float, float, float, float]]:
    rows = []
    for _ in range(count):
        if wide:
            top = 38.5 if fmt is FLOAT32 else 308.2
            bottom = -44.8 if fmt is FLOAT32 else -323.3
            x = 10 ** rng.uniform(bottom, top) * rng.choice((-1, 1))
            q = 10 ** rng.uniform(-3, 6) * (-1 if rng.random() < 0.1 else 1)
            w = 10 ** rng.uniform(-3, 6) * (-1 if rng.random() < 0.1 else 1)
        else:
            x = 10 ** rng.uniform(-6, 2.5) * rng.choice((-1, 1))
            q = 10 ** rng.uniform(-1, 2.5)
            w = 10 ** rng.uniform(-3, 3) if rng.random() < 0.7 else float(rng.choice(GRID_W))
        z = float(rng.choice((0, 1))) if rng.random() < 0.5 else rng.random()
        eps = rng.choice(GRID_EPS) if rng.random() < 0.5 else rng.random()
        x = input_value(x, fmt)
        if x == 0 or math.isinf(x):
            x = input_value(1.0, fmt)
        w = input_value(w, fmt)
        if math.isinf(w):
            w = input_value(1.0, fmt)
        rows.append((x, input_value(z, fmt), input_value(q, fmt), w, eps))
    return rows


def weighted_rows() -> list[tuple[Format, float, float, float, float, float]]:
    rng = random.Random(WEIGHTED_SEED)
    rows: list[tuple[Format, float, float, float, float, float]] = []
    for fmt in (FLOAT32, FLOAT64):
        inputs = weighted_grid(fmt)
        inputs += weighted_specials(fmt)
        inputs += weighted_random(rng, fmt, 1500, wide=False)
        inputs += weighted_random(rng, fmt, 500, wide=True)
        rows += [(fmt, *r) for r in inputs]
    return rows


def eps_text(eps: float) -> str:
    return repr(eps)


def render_weighted() -> list[str]:
    lines = [WEIGHTED_HEADER]
    for fmt, x, z, q, w, eps in weighted_rows():
        out = weighted_results(x, z, q, w, eps, fmt)
        fields = [text(v, fmt) for v in (x, z, q, w)] + [eps_text(eps)] + [text(v, fmt) for v in out]
        lines.append(",".join([fmt.name] + fields))
    return lines


def check(lines: list[str], path: str) -> bool:
    if not os.path.exists(path):
        print(f"{path} does not exist", file=sys.stderr)
        return False
    with open(path, encoding="utf-8", newline="") as f:
        committed = f.read().split("\n")
    if committed and committed[-1] == "":
        committed.pop()
    differences = [i for i in range(max(len(lines), len(committed)))
                   if i >= len(lines) or i >= len(committed) or lines[i] != committed[i]]
    if differences:
        for i in differences[:20]:
            print(f"line {i + 1}: computed {lines[i] if i < len(lines) else '(none)'!r}, "
                  f"file {committed[i] if i < len(committed) else '(none)'!r}", file=sys.stderr)
        print(f"{len(differences)} lines differ from {path}", file=sys.stderr)
        return False
    print(f"{len(lines) - 1} rows match {path}")
    return True


def write(lines: list[str], path: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines) - 1} rows to {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="recompute and compare with the committed files")
    parser.add_argument("--output", default=OUT, help="where to write (default: data/reference/reference.csv)")
    parser.add_argument("--weighted-output", default=WEIGHTED_OUT,
                        help="where to write the weighted rows (default: data/reference/weighted.csv)")
    args = parser.parse_args()
    outputs = [(render(), args.output), (render_weighted(), args.weighted_output)]
    if args.check:
        results = [check(lines, path) for lines, path in outputs]
        return 0 if all(results) else 1
    for lines, path in outputs:
        write(lines, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
