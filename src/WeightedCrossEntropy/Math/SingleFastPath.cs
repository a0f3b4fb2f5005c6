using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// float32 in float lanes, eight at a time: the same formulas as <see cref="ElementMath{TV, L}"/> (one e = e^−|x|,
/// softplus and sigmoid of both signs from it, cancellation-free combinations) with float polynomials, for steps
/// where every logit is finite and |x| ≤ <see cref="MaxAbsLogit"/>. Other steps (NaN, ±∞, |x| &gt; 80, where
/// e^−|x| nears float's subnormal range) go through the double lanes, so the special values and the scaling of
/// tiny terms live in one place.
/// </summary>
/// <remarks>
/// <para>exp: k = round(−|x|·log₂e), r = −|x| − k·ln2 (ln2 split into a 16-bit head and a tail),
/// e^r = 1 + (r + r²·P(r)) with P a degree-5 fit (tools/fit_coefficients.py). log1p(e): as in <see cref="Log1p"/>,
/// w = 1 + e with its exact rounding error c, w = 2^j·m, log m = f − (f²/2 − s·(f²/2 + R(s²))) with a degree-2 R.
/// 1/(1 + e): a division and a Newton step that takes c into account.</para>
/// <para>Accuracy: within 2 ULP of the exact value (tests: every golden row, and the double lanes as the reference
/// on random inputs).</para>
/// </remarks>
internal static class SingleFastPath
{
    public const float MaxAbsLogit = 80f;

    private const float Sqrt2 = 1.41421356f;
    private const float Ln2 = 0.693147182f;
    private const float Ln2Low = -1.9046542e-09f;

    private const float R0 = 0.6666668503957586f;
    private const float R1 = 0.3998878056602198f;
    private const float R2 = 0.2957994939197279f;

    /// <summary>All-ones in the lanes whose logit this path takes: finite with |x| ≤ <see cref="MaxAbsLogit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Covered(Vector256<float> x) =>
        Vector256.LessThanOrEqual(Vector256.Abs(x), Vector256.Create(MaxAbsLogit));

    /// <summary>
    /// The terms of one step, in float lanes: e^−|x| = e + eLow; σ(|x|) = 1/(1 + e^−|x|); and log1p(e^−|x|) as the sum
    /// of three parts (j·ln2, log m and a small correction) that the combinations add in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Terms(
        Vector256<float> x, out Vector256<float> ax, out Vector256<float> negative, out Vector256<float> e,
        out Vector256<float> eLow, out Vector256<float> sigmoidBig, out Vector256<float> ln2Part,
        out Vector256<float> logM, out Vector256<float> low)
    {
        var one = Vector256<float>.One;
        ax = Vector256.Abs(x);
        negative = Vector256.LessThan(x, Vector256<float>.Zero);

        var k = Vector256.Round(ax * Vector256.Create(-SingleConstants.Log2E));
        // r = rHead + rTail exactly enough: k·SingleConstants.Ln2Head is exact (k has 7 bits), so is −|x| − k·SingleConstants.Ln2Head (Sterbenz).
        var rHead = Vector256.FusedMultiplyAdd(k, Vector256.Create(-SingleConstants.Ln2Head), -ax);
        var rTail = k * Vector256.Create(-SingleConstants.Ln2Tail);
        var r = rHead + rTail;
        var poly = Vector256.FusedMultiplyAdd(Vector256.Create(SingleConstants.ExpP5), r, Vector256.Create(SingleConstants.ExpP4));
        poly = Vector256.FusedMultiplyAdd(poly, r, Vector256.Create(SingleConstants.ExpP3));
        poly = Vector256.FusedMultiplyAdd(poly, r, Vector256.Create(SingleConstants.ExpP2));
        poly = Vector256.FusedMultiplyAdd(poly, r, Vector256.Create(SingleConstants.ExpP1));
        poly = Vector256.FusedMultiplyAdd(poly, r, Vector256.Create(SingleConstants.ExpP0));
        var expm1 = rHead + Vector256.FusedMultiplyAdd(r * r, poly, rTail);
        var p = one + expm1;
        // k is an integer in [−116, 0] here, so the native (non-saturating) conversion is exact.
        var pow2 = Vector256.ShiftLeft(Vector256.ConvertToInt32Native(k) + Vector256.Create(127), 23).AsSingle();
        e = p * pow2;
        // The rounding of 1 + expm1, recovered exactly: it matters where e is the result (x ≫ 0 with z = 1).
        eLow = (expm1 - (p - one)) * pow2;

        var w = one + e;
        var c = (e - (w - one)) + eLow;
        var r0 = one / w;
        var residual = Vector256.FusedMultiplyAdd(-r0, w, one) - (r0 * c);
        sigmoidBig = Vector256.FusedMultiplyAdd(r0, residual, r0);

        var high = Vector256.GreaterThan(w, Vector256.Create(Sqrt2));
        var m = Vector256.ConditionalSelect(high, w * Vector256.Create(0.5f), w);
        var f = m - one;
        var s = f / (Vector256.Create(2f) + f);
        var zz = s * s;
        var rPoly = Vector256.FusedMultiplyAdd(Vector256.Create(R2), zz, Vector256.Create(R1));
        rPoly = Vector256.FusedMultiplyAdd(rPoly, zz, Vector256.Create(R0)) * zz;
        var halfFSquared = f * f * Vector256.Create(0.5f);
        logM = f - (halfFSquared - (s * (halfFSquared + rPoly)));
        low = Vector256.FusedMultiplyAdd(c, r0, high & Vector256.Create(Ln2Low));
        ln2Part = high & Vector256.Create(Ln2);
    }

    /// <summary>s·((1 − z)·sp(x) + q·z·sp(−x)), s = the scale (<paramref name="scaleLower"/> and <paramref name="scaleUpper"/>, per lane of each half) applied to the double sum before the one
    /// rounding to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Loss<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half)
        where TS : struct, IScaleKind
    {
        Terms(x, out var ax, out var negative, out _, out _, out _, out var ln2Part, out var logM, out var low);
        var (lower, upper) = Softplus<TS>(negative, ax, ln2Part, logM, low, z, q, keep, half);
        return TS.IsOne ? Vector256.Narrow(lower, upper) : Vector256.Narrow(lower * scaleLower, upper * scaleUpper);
    }

    /// <summary>s·((1 − z)·σ(x) − q·z·σ(−x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LogitsGradient<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half)
        where TS : struct, IScaleKind
    {
        Terms(x, out _, out var negative, out var e, out var eLow, out var sigmoidBig, out _, out _, out _);
        return Sigmoid<TS>(negative, e, eLow, sigmoidBig, z, q, scaleLower, scaleUpper, keep, half);
    }

    /// <summary>s·∂loss/∂q = s·z·sp(−x) (0·sp(x) + z·sp(−x)); NaN where q is NaN, as every result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> PosWeightGradient<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half)
        where TS : struct, IScaleKind
    {
        Terms(x, out var ax, out var negative, out _, out _, out _, out var ln2Part, out var logM, out var low);
        var (z0, z1) = Vector256.Widen(z);
        var positive0 = Smoothing.Coefficients<Vector256<double>, Vector256Lanes, TS>(z0, keep, half, out _);
        var positive1 = Smoothing.Coefficients<Vector256<double>, Vector256Lanes, TS>(z1, keep, half, out _);
        var (lower, upper) = Softplus(
            negative, ax, ln2Part, logM, low, (Vector256<double>.Zero, Vector256<double>.Zero), (positive0, positive1));
        return Vector256.ConditionalSelect(
            Vector256.Equals(q, q), TS.IsOne ? Vector256.Narrow(lower, upper) : Vector256.Narrow(lower * scaleLower, upper * scaleUpper),
            Vector256.Create(float.NaN));
    }

    /// <summary>∂loss/∂z = q·sp(−x) − sp(x), times the scale (<paramref name="scaleLower"/> and <paramref name="scaleUpper"/>, per lane of each half) in double before the one rounding to
    /// float; NaN where z is NaN, as every result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LabelsGradient<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half)
        where TS : struct, IScaleKind
    {
        Terms(x, out var ax, out var negative, out _, out _, out _, out var ln2Part, out var logM, out var low);
        var (q0, q1) = Vector256.Widen(q);
        var minusOne = TS.Smooths ? -keep : Vector256.Create(-1.0);
        if (TS.Smooths)
        {
            (q0, q1) = (q0 * keep, q1 * keep);
        }

        var (lower, upper) = Softplus(negative, ax, ln2Part, logM, low, (minusOne, minusOne), (q0, q1));
        return Vector256.ConditionalSelect(
            Vector256.Equals(z, z), TS.IsOne ? Vector256.Narrow(lower, upper) : Vector256.Narrow(lower * scaleLower, upper * scaleUpper),
            Vector256.Create(float.NaN));
    }

    /// <summary>The loss and the gradient from one evaluation of the terms; the gradient is multiplied by
    /// the scale (<paramref name="scaleLower"/> and <paramref name="scaleUpper"/>, per lane of each half) (1/N for a mean) in double, before the one rounding to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LossAndLogitsGradient<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half, out Vector256<float> loss)
        where TS : struct, IScaleKind
    {
        Terms(x, out var ax, out var negative, out var e, out var eLow, out var sigmoidBig, out var ln2Part,
            out var logM, out var low);
        var (lower, upper) = Softplus<TS>(negative, ax, ln2Part, logM, low, z, q, keep, half);
        loss = Vector256.Narrow(lower, upper);
        return Sigmoid<TS>(negative, e, eLow, sigmoidBig, z, q, scaleLower, scaleUpper, keep, half);
    }

    // The combinations run in double: the coefficients 1 − z and q·z, their products and the sum then add no
    // rounding of float size, and only the terms' own float error and the final rounding remain.

    /// <summary>(1 − z)·sp(x) + q·z·sp(−x) in double (lower and upper halves of the step) from |x| and the parts of
    /// sp(−|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Lower, Vector256<double> Upper) Softplus<TS>(
        Vector256<float> negative, Vector256<float> ax, Vector256<float> ln2Part, Vector256<float> logM,
        Vector256<float> low, Vector256<float> z, Vector256<float> q, Vector256<double> keep, Vector256<double> half)
        where TS : struct, IScaleKind
    {
        var (z0, z1) = Vector256.Widen(z);
        var (q0, q1) = Vector256.Widen(q);
        var positive0 = Smoothing.Coefficients<Vector256<double>, Vector256Lanes, TS>(z0, keep, half, out var negative0);
        var positive1 = Smoothing.Coefficients<Vector256<double>, Vector256Lanes, TS>(z1, keep, half, out var negative1);
        return Softplus(negative, ax, ln2Part, logM, low, (negative0, negative1), (q0 * positive0, q1 * positive1));
    }

    /// <summary>c₁·sp(x) + c₂·sp(−x) in double from |x| and the parts of sp(−|x|), the coefficients given in double
    /// (lower and upper halves of the step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Lower, Vector256<double> Upper) Softplus(
        Vector256<float> negative, Vector256<float> ax, Vector256<float> ln2Part, Vector256<float> logM,
        Vector256<float> low, (Vector256<double> Lower, Vector256<double> Upper) c1,
        (Vector256<double> Lower, Vector256<double> Upper) c2)
    {
        var (n0, n1) = Vector256.Widen(negative.AsInt32());
        var (a0, a1) = Vector256.Widen(ax);
        var (j0, j1) = Vector256.Widen(ln2Part);
        var (m0, m1) = Vector256.Widen(logM);
        var (l0, l1) = Vector256.Widen(low);
        var small0 = j0 + (m0 + l0);
        var small1 = j1 + (m1 + l1);
        return (
            Combine(n0.AsDouble(), small0, a0 + small0, c1.Lower, c2.Lower),
            Combine(n1.AsDouble(), small1, a1 + small1, c1.Upper, c2.Upper));
    }

    /// <summary>s·((1 − z)·σ(x) − q·z·σ(−x)) from e^−|x| = e + eLow (σ(−|x|) = e^−|x|·σ(|x|)) and σ(|x|), the
    /// scale s applied to the double sum (the elementwise gradient's own double value, so a mean's gradient is that
    /// value times 1/N): one rounding to float in all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sigmoid<TS>(
        Vector256<float> negative, Vector256<float> e, Vector256<float> eLow, Vector256<float> big,
        Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower, Vector256<double> scaleUpper,
        Vector256<double> keep, Vector256<double> half)
        where TS : struct, IScaleKind
    {
        var (n0, n1) = Vector256.Widen(negative.AsInt32());
        var (e0, e1) = Vector256.Widen(e);
        var (f0, f1) = Vector256.Widen(eLow);
        var (b0, b1) = Vector256.Widen(big);
        var (z0, z1) = Vector256.Widen(z);
        var (q0, q1) = Vector256.Widen(q);
        var positive0 = Smoothing.Coefficients<Vector256<double>, Vector256Lanes, TS>(z0, keep, half, out var negative0);
        var positive1 = Smoothing.Coefficients<Vector256<double>, Vector256Lanes, TS>(z1, keep, half, out var negative1);
        var lower = Combine(n0.AsDouble(), (e0 + f0) * b0, b0, negative0, -(q0 * positive0));
        var upper = Combine(n1.AsDouble(), (e1 + f1) * b1, b1, negative1, -(q1 * positive1));
        return TS.IsOne ? Vector256.Narrow(lower, upper) : Vector256.Narrow(lower * scaleLower, upper * scaleUpper);
    }

    /// <summary>c₁·f(x) + c₂·f(−x) = fma(c_big, big, c_small·small).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Combine(
        Vector256<double> negative, Vector256<double> small, Vector256<double> big, Vector256<double> c1, Vector256<double> c2)
    {
        var cBig = Vector256.ConditionalSelect(negative, c2, c1);
        var cSmall = Vector256.ConditionalSelect(negative, c1, c2);
        return Vector256.FusedMultiplyAdd(cBig, big, cSmall * small);
    }
}
