#!/usr/bin/env python3
"""Writes data/reference/reference.csv: exact values of the weighted cross-entropy and its three gradients.

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

Regenerate (from the repository root; takes about a minute):

    python3 tools/make_reference.py            # writes data/reference/reference.csv
    python3 tools/make_reference.py --check    # recomputes and compares with the committed file (exit 1 on a difference)

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="recompute and compare with the committed file")
    parser.add_argument("--output", default=OUT, help="where to write (default: data/reference/reference.csv)")
    args = parser.parse_args()
    lines = render()
    if args.check:
        with open(args.output, encoding="utf-8", newline="") as f:
            committed = f.read().split("\n")
        if committed and committed[-1] == "":
            committed.pop()
        differences = [i for i in range(max(len(lines), len(committed)))
                       if i >= len(lines) or i >= len(committed) or lines[i] != committed[i]]
        if differences:
            for i in differences[:20]:
                print(f"line {i + 1}: computed {lines[i] if i < len(lines) else '(none)'!r}, "
                      f"file {committed[i] if i < len(committed) else '(none)'!r}", file=sys.stderr)
            print(f"{len(differences)} lines differ from {args.output}", file=sys.stderr)
            return 1
        print(f"{len(lines) - 1} rows match {args.output}")
        return 0
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines) - 1} rows to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
