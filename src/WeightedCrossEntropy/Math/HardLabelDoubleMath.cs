using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// float64 with hard labels: the loss, ∂loss/∂x and both at once for lanes where the label is 0 or 1, the logit
/// finite with |x| ≤ <see cref="MaxAbsLogit"/> and pos_weight in [+0, 2^64] (<see cref="Covered"/>). It is the path
/// of nearly every element of a classifier's training step; every other lane goes through
/// <see cref="ElementMath{TV, L}"/>, which also handles NaN, ±∞, subnormal e^−|x|, soft labels and negative weights.
/// </summary>
/// <remarks>
/// <para>z = 0 gives sp(x) and σ(x), z = 1 gives q·sp(−x) and −q·σ(−x). With e = e^−|x| (normal here: |x| ≤ 700 keeps
/// it above 2^−1010): sp(±x) = (|x| on the "big" side, else 0) + log1p(e); σ(±x) = σ(|x|)·(1 on the big side, else
/// e), σ(|x|) = 1/(1 + e).</para>
/// <para>e is carried as a pair e + eLow (<see cref="ExpNegative.Pair{TV, L}(TV, out TV)"/>), so that
/// neither log1p(e) nor the product c·σ·e inherits e's rounding; c·σ·e is formed with its rounding errors kept
/// (FMA), and the scale s (<see cref="Scale"/>: 1/N for a mean), given as a pair of doubles, goes into the
/// coefficient before the one final rounding.</para>
/// </remarks>
internal static class HardLabelDoubleMath<TV, L>
    where TV : struct
    where L : struct, ILanes<TV>
{
    /// <summary>Beyond this, e^−|x| nears double's subnormal range; such logits take <see cref="ElementMath{TV, L}"/>.</summary>
    public const double MaxAbsLogit = 700.0;

    /// <summary>2^64: larger weights take <see cref="ElementMath{TV, L}"/>, so no product here can overflow.</summary>
    private const double MaxPosWeight = 18446744073709551616.0;

    /// <summary>All-ones in the lanes this path takes: z is 0 or 1, x finite with |x| ≤ 700, q in [+0, 2^64].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Covered(TV x, TV z, TV q)
    {
        // |x| > 700 and x = x are both true beyond the range, both false for NaN, differ only inside it.
        var logitInRange = L.Xor(L.LessThan(L.Create(MaxAbsLogit), L.Abs(x)), L.Equal(x, x));
        // z − z² is exactly 0 for z ∈ {0, 1} and for nothing else (NaN and ±∞ give NaN).
        var hardLabel = L.Equal(L.FusedNegatedMultiplyAdd(z, z, z), L.Create(0.0));
        var weightInRange = L.BitsLessThanOrEqual(q, L.Create(MaxPosWeight));
        return L.And(L.And(logitInRange, hardLabel), weightInRange);
    }

    /// <summary>The sample weights these kernels take: +0, or 2^−64 ≤ w ≤ 2^32 (as the float32 kernels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SampleWeightCovered(TV w)
    {
        var t = L.Multiply(L.MinNumber(w, L.Create(MinSampleWeight)), L.Create(18446744073709551616.0));
        return L.And(
            L.Equal(L.FusedNegatedMultiplyAdd(t, t, t), L.Create(0.0)), L.BitsLessThanOrEqual(w, L.Create(MaxSampleWeight)));
    }

    /// <summary>Whether every lane's sample weight is <see cref="SampleWeightCovered"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllSampleWeightsCovered(TV w)
    {
        var t = L.Multiply(L.MinNumber(w, L.Create(MinSampleWeight)), L.Create(18446744073709551616.0));
        return L.AllBitsLessThanOrEqual(w, L.Create(MaxSampleWeight))
            && L.AllEqual(L.FusedNegatedMultiplyAdd(t, t, t), L.Create(0.0));
    }

    private const double MaxSampleWeight = 4294967296.0;

    private const double MinSampleWeight = 1.0 / 18446744073709551616.0;

    /// <summary>Whether every lane is <see cref="Covered"/>: three compares, each tested as a mask (the loop's
    /// per-step check; AllSet of <see cref="Covered"/> would build the combined mask as a vector first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllCovered(TV x, TV z, TV q) =>
        L.AllLessThanOrEqual(L.Abs(x), L.Create(MaxAbsLogit))
        && L.AllEqual(L.FusedNegatedMultiplyAdd(z, z, z), L.Create(0.0))
        && L.AllBitsLessThanOrEqual(q, L.Create(MaxPosWeight));

    /// <summary>The loss times s: s·sp(x) for z = 0, s·q·sp(−x) for z = 1, given e^−|x| = e + eLow from
    /// <see cref="Exp"/> and s as the pair <paramref name="scaleHigh"/> + <paramref name="scaleLow"/>: the coefficient
    /// c·s is carried as a pair into the final FMA, rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Loss<TS>(TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow)
        where TS : struct, IScaleKind
    {
        var ax = L.Abs(x);
        Sides(x, z, out var positive, out var small);
        var c = L.Select(positive, q, L.Create(1.0));
        if (TS.IsOne)
        {
            return L.FusedMultiplyAdd(c, L.AndNot(ax, small), L.Multiply(c, Log1p.Evaluate<TV, L>(e, eLow)));
        }

        var scaled = L.Multiply(c, scaleHigh);
        var scaledLow = L.FusedMultiplyAdd(c, scaleLow, L.FusedMultiplySubtract(c, scaleHigh, scaled));
        var big = L.AndNot(ax, small);
        var log1p = Log1p.Evaluate<TV, L>(e, eLow);
        // The low part times the whole sp (its sum rounded: scaledLow is below scaled's ULP).
        return L.FusedMultiplyAdd(
            scaled, big, L.FusedMultiplyAdd(scaledLow, L.Add(big, log1p), L.Multiply(scaled, log1p)));
    }

    /// <summary>∂loss/∂x times s: s·σ(x) for z = 0, −s·q·σ(−x) for z = 1, given e^−|x| = e + eLow and s as the pair
    /// <paramref name="scaleHigh"/> + <paramref name="scaleLow"/>, rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV LogitsGradient<TS>(TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow)
        where TS : struct, IScaleKind
    {
        Sides(x, z, out var positive, out var small);
        var factor = Factor(q, positive, e, eLow, small, out var factorLow);
        if (TS.IsOne)
        {
            return TimesSigmoid(SigmoidBig(e, eLow), factor, factorLow);
        }

        var scaled = ScaledPair(factor, factorLow, scaleHigh, scaleLow, out var scaledLow);
        return TimesSigmoid(SigmoidBig(e, eLow), scaled, scaledLow);
    }

    /// <summary>The loss (returned in <paramref name="loss"/>, unscaled) and ∂loss/∂x times s, with s (1/N for a
    /// mean) given as the pair <paramref name="scaleHigh"/> + <paramref name="scaleLow"/>, rounded once; given
    /// e^−|x| = e + eLow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV LossAndLogitsGradient(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, out TV loss)
    {
        var ax = L.Abs(x);
        Sides(x, z, out var positive, out var small);
        var sigmoid = SigmoidBig(e, eLow);
        loss = Softplus(ax, e, eLow, sigmoid, L.Select(positive, q, L.Create(1.0)), small);
        var factor = Factor(q, positive, e, eLow, small, out var factorLow);

        // Like the factor itself, the scaling runs beside σ's division, not after it.
        var scaled = ScaledPair(factor, factorLow, scaleHigh, scaleLow, out var scaledLow);
        return TimesSigmoid(sigmoid, scaled, scaledLow);
    }

    /// <summary>The coefficients of sp(x) (<paramref name="a"/>) and sp(−x) (returned) of smoothed hard labels, as
    /// pairs: z' = ε/2 or 1 − ε/2, a = 1 − z' (the other label's z') and b = q·z'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SmoothedCoefficients(
        TV z, TV q, in HardSmoothing<TV> smoothing, out TV a, out TV aLow, out TV bLow)
    {
        var positive = L.LessThan(L.Create(0.5), z);
        a = L.Select(positive, smoothing.ZeroHigh, smoothing.OneHigh);
        aLow = L.Select(positive, smoothing.ZeroLow, smoothing.OneLow);
        var zs = L.Select(positive, smoothing.OneHigh, smoothing.ZeroHigh);
        var zsLow = L.Select(positive, smoothing.OneLow, smoothing.ZeroLow);
        var b = L.Multiply(q, zs);
        bLow = L.FusedMultiplyAdd(q, zsLow, L.FusedMultiplySubtract(q, zs, b));
        return b;
    }

    /// <summary>The loss of smoothed hard labels times s: a·sp(x) + b·sp(−x), each term with its coefficient pair
    /// into its final FMA, then their sum (both ≥ 0 for q ≥ 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SmoothedLoss(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing)
    {
        var b = SmoothedCoefficients(z, q, smoothing, out var a, out var aLow, out var bLow);
        a = ScaledPair(a, aLow, scaleHigh, scaleLow, out aLow);
        b = ScaledPair(b, bLow, scaleHigh, scaleLow, out bLow);
        return SmoothedSoftplus(x, Log1p.Evaluate<TV, L>(e, eLow), a, aLow, b, bLow);
    }

    /// <summary>∂loss/∂x of smoothed hard labels times s: a·σ(x) − b·σ(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SmoothedLogitsGradient(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing)
    {
        var b = SmoothedCoefficients(z, q, smoothing, out var a, out var aLow, out var bLow);
        a = ScaledPair(a, aLow, scaleHigh, scaleLow, out aLow);
        b = ScaledPair(b, bLow, scaleHigh, scaleLow, out bLow);
        return SmoothedSigmoid(x, e, eLow, SigmoidBig(e, eLow), a, aLow, b, bLow);
    }

    /// <summary>The loss of smoothed hard labels (in <paramref name="loss"/>, unscaled) and ∂loss/∂x times s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SmoothedLossAndLogitsGradient(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing, out TV loss)
    {
        var b = SmoothedCoefficients(z, q, smoothing, out var a, out var aLow, out var bLow);
        var sigmoid = SigmoidBig(e, eLow);
        loss = SmoothedSoftplus(x, Log1p.Evaluate<TV, L>(e, eLow, sigmoid), a, aLow, b, bLow);
        a = ScaledPair(a, aLow, scaleHigh, scaleLow, out aLow);
        b = ScaledPair(b, bLow, scaleHigh, scaleLow, out bLow);
        return SmoothedSigmoid(x, e, eLow, sigmoid, a, aLow, b, bLow);
    }

    /// <summary>∂loss/∂q of smoothed hard labels times s: z'·sp(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SmoothedPosWeightGradient(
        TV x, TV z, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing)
    {
        var b = SmoothedCoefficients(z, L.Create(1.0), smoothing, out _, out _, out var bLow);
        b = ScaledPair(b, bLow, scaleHigh, scaleLow, out bLow);
        // sp(−x) takes its small side where x ≥ 0.
        var small = L.AndNot(L.Equal(x, x), L.LessThan(x, L.Create(0.0)));
        return SoftplusPair(L.Abs(x), Log1p.Evaluate<TV, L>(e, eLow), b, bLow, small);
    }

    /// <summary>(c + cLow)·sp(±x) = c·(|x| on the big side) + c·log1p, with cLow times the whole sp inside the final
    /// FMA (cLow is below c's ULP).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SoftplusPair(TV ax, TV log1p, TV c, TV cLow, TV small)
    {
        var big = L.AndNot(ax, small);
        return L.FusedMultiplyAdd(c, big, L.FusedMultiplyAdd(cLow, L.Add(big, log1p), L.Multiply(c, log1p)));
    }

    /// <summary>(a + aLow)·sp(x) + (b + bLow)·sp(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SmoothedSoftplus(TV x, TV log1p, TV a, TV aLow, TV b, TV bLow)
    {
        var ax = L.Abs(x);
        var negative = L.LessThan(x, L.Create(0.0));
        return L.Add(
            SoftplusPair(ax, log1p, a, aLow, negative),
            SoftplusPair(ax, log1p, b, bLow, L.AndNot(L.Equal(x, x), negative)));
    }

    /// <summary>(a + aLow)·σ(x) − (b + bLow)·σ(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SmoothedSigmoid(TV x, TV e, TV eLow, TV sigmoid, TV a, TV aLow, TV b, TV bLow)
    {
        var negative = L.LessThan(x, L.Create(0.0));
        var nonNegative = L.AndNot(L.Equal(x, x), negative);
        var factorA = FactorPair(a, aLow, e, eLow, negative, out var factorALow);
        var factorB = FactorPair(
            L.Subtract(L.Create(0.0), b), L.Subtract(L.Create(0.0), bLow), e, eLow, nonNegative, out var factorBLow);
        // The two factors added exactly (TwoSum), then one product with σ(|x|), rounded once.
        var factor = L.Add(factorA, factorB);
        var bVirtual = L.Subtract(factor, factorA);
        var error = L.Add(L.Subtract(factorA, L.Subtract(factor, bVirtual)), L.Subtract(factorB, bVirtual));
        return TimesSigmoid(sigmoid, factor, L.Add(error, L.Add(factorALow, factorBLow)));
    }

    /// <summary>(c + cLow) times σ(±x)'s side (1 on the big side, e + eLow on the small one), as a product and its
    /// low part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV FactorPair(TV c, TV cLow, TV e, TV eLow, TV small, out TV low)
    {
        var side = L.Select(small, e, L.Create(1.0));
        var factor = L.Multiply(c, side);
        low = L.FusedMultiplyAdd(
            cLow, side, L.FusedMultiplyAdd(c, L.And(small, eLow), L.FusedMultiplySubtract(c, side, factor)));
        return factor;
    }

    /// <summary>(value + valueLow)·(scaleHigh + scaleLow) as a pair, the low products' roundings negligible. With
    /// s = 1 (1 + 0) the pair comes back unchanged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ScaledPair(TV value, TV valueLow, TV scaleHigh, TV scaleLow, out TV low)
    {
        var scaled = L.Multiply(value, scaleHigh);
        low = L.FusedMultiplyAdd(value, scaleLow, L.FusedMultiplyAdd(
            valueLow, scaleHigh, L.FusedMultiplySubtract(value, scaleHigh, scaled)));
        return scaled;
    }

    /// <summary>e^−|x| = (e + eLow) for |x| ≤ 700 (<see cref="ExpNegative.Pair{TV, L}(TV, out TV)"/>; eLow may be
    /// subnormal, which costs nothing at e's precision). The first stage of every kernel here and the longest chain
    /// of operations: the loop computes it a step or two ahead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exp(TV x, out TV e, out TV eLow) => e = ExpNegative.Pair<TV, L>(L.Abs(x), out eLow);

    /// <summary><paramref name="positive"/>: lanes with z = 1. <paramref name="small"/>: lanes that take sp(−|x|)
    /// and σ(−|x|), i.e. x &lt; 0 for z = 0 and x ≥ 0 for z = 1 (at x = ±0 both sides give the same value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sides(TV x, TV z, out TV positive, out TV small)
    {
        positive = L.LessThan(L.Create(0.5), z);
        small = L.Xor(L.LessThan(x, L.Create(0.0)), positive);
    }

    /// <summary>c·sp(±x) = c·(|x| on the big side) + c·log1p(e + eLow), the first product exact inside the FMA, with
    /// σ(|x|) = 1/(1 + e) at hand as the slope that carries eLow into log1p (the fused step has it anyway; two FMAs
    /// fewer than <see cref="Loss"/>'s log1p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Softplus(TV ax, TV e, TV eLow, TV sigmoid, TV c, TV small) =>
        L.FusedMultiplyAdd(c, L.AndNot(ax, small), L.Multiply(c, Log1p.Evaluate<TV, L>(e, eLow, sigmoid)));

    /// <summary>σ(|x|) = 1/(1 + e + eLow): w = 1 + e rounded, its exact rounding error plus eLow, one division and
    /// a Newton step that includes both.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SigmoidBig(TV e, TV eLow)
    {
        var one = L.Create(1.0);
        var w = L.Add(one, e);
        return ElementMath<TV, L>.Reciprocal(w, L.Add(L.Subtract(e, L.Subtract(w, one)), eLow));
    }

    /// <summary>The factor that multiplies σ(|x|) in c·σ(±x), as a product and its rounding error: c on the big side,
    /// c·(e + eLow) on the small side (σ(−|x|) = e·σ(|x|)), with c = 1 for z = 0 and −q for z = 1. It does not
    /// depend on σ, so it runs beside σ's division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Factor(TV q, TV positive, TV e, TV eLow, TV small, out TV low)
    {
        var c = L.Select(positive, L.Subtract(L.Create(0.0), q), L.Create(1.0));
        var side = L.Select(small, e, L.Create(1.0));
        var factor = L.Multiply(c, side);
        low = L.FusedMultiplyAdd(c, L.And(small, eLow), L.FusedMultiplySubtract(c, side, factor));
        return factor;
    }

    /// <summary>σ·(factor + factorLow), rounded once: the exact product σ·factor plus the small σ·factorLow, in one
    /// FMA. A zero result takes the sign of factor (σ > 0), as the product would: factor = −0 with a low part of +0
    /// would otherwise add up to +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV TimesSigmoid(TV sigmoid, TV factor, TV factorLow) =>
        L.Or(L.FusedMultiplyAdd(sigmoid, factor, L.Multiply(sigmoid, factorLow)), L.And(factor, L.Create(-0.0)));
}
