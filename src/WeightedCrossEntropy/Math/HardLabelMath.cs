using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// float32 with hard labels, all in float lanes: the loss, ∂loss/∂x and both at once for lanes where the label is 0
/// or 1, the logit finite with |x| ≤ <see cref="MaxAbsLogit"/>, and pos_weight in [+0, 2^64]
/// (<see cref="Covered"/>). It is the path of nearly every element of a classifier's training step; every other lane
/// goes through <see cref="SingleFastPath"/> or the double lanes of <see cref="ElementMath{TV, L}"/>.
/// </summary>
/// <remarks>
/// <para>With a hard label the loss is one softplus and the gradient one sigmoid: z = 0 gives sp(x) and σ(x),
/// z = 1 gives q·sp(−x) and −q·σ(−x). With e = e^−|x|: sp(|x|) = |x| + log1p(e), sp(−|x|) = log1p(e),
/// σ(|x|) = 1/(1 + e), σ(−|x|) = e/(1 + e); which side an element takes follows from the sign of x and its label.</para>
/// <para>To stay within 2 ULP with float arithmetic, the roundings that a float evaluation would add are carried
/// instead: e^−|x| = e + eLow exactly enough (eLow is the rounding of e); log1p(e + eLow) = e + t with t from a
/// degree-9 polynomial (tools/fit_coefficients.py) plus eLow's share; 1/(1 + e + eLow) from an estimate (a division,
/// or vrcp14ps) and one Newton step that includes both low parts; the gradient's factor c·(1 or e + eLow) as a head
/// and an exact tail (FMA), times the scale s (<see cref="Scale"/>: 1/N for a mean) given as a float pair, all beside σ's division, then σ times
/// that pair rounded once.</para>
/// </remarks>
internal static class HardLabelMath<TF, TD, F>
    where TF : struct
    where TD : struct
    where F : struct, ISingleLanes<TF, TD>
{
    /// <summary>Beyond this e^−|x| nears float's subnormal range; such logits take the double lanes.</summary>
    public const float MaxAbsLogit = 80f;

    /// <summary>2^64: larger weights take the double lanes, so that float sums of these lanes cannot overflow.</summary>
    private const float MaxPosWeight = 18446744073709551616f;

    // log1p(e) = e + e²·G(e) on 0 ≤ e ≤ 1, the coefficients searched among floats (max relative error 2^−28).
    private const float G0 = -0.5f;
    private const float G1 = 0.3333323895931244f;
    private const float G2 = -0.24996760487556458f;
    private const float G3 = 0.1995670646429062f;
    private const float G4 = -0.16365152597427368f;
    private const float G5 = 0.13033364713191986f;
    private const float G6 = -0.09139413386583328f;
    private const float G7 = 0.049309972673654556f;
    private const float G8 = -0.017184268683195114f;
    private const float G9 = 0.002801642520353198f;

    /// <summary>All-ones in the lanes this path takes: z is 0 or 1, x finite with |x| ≤ 80, q in [+0, 2^64].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Covered(TF x, TF z, TF q)
    {
        var logitInRange = F.LessThanOrEqual(F.Abs(x), F.Create(MaxAbsLogit));
        // z − z² is exactly 0 for z ∈ {0, 1} and for nothing else (NaN and ±∞ give NaN).
        var hardLabel = F.Equal(F.FusedNegatedMultiplyAdd(z, z, z), F.Create(0f));
        var weightInRange = F.BitsLessThanOrEqual(q, F.Create(MaxPosWeight));
        return F.And(F.And(logitInRange, hardLabel), weightInRange);
    }

    /// <summary>Whether every lane is <see cref="Covered"/>: three compares, each tested as a mask (the loop's
    /// per-step check; AllSet of <see cref="Covered"/> would build the combined mask as a vector first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllCovered(TF x, TF z, TF q) =>
        F.AllLessThanOrEqual(F.Abs(x), F.Create(MaxAbsLogit))
        && F.AllEqual(F.FusedNegatedMultiplyAdd(z, z, z), F.Create(0f))
        && F.AllBitsLessThanOrEqual(q, F.Create(MaxPosWeight));

    /// <summary>The largest sample weight these kernels take (2^32): with pos_weight ≤ 2^64 the scaled coefficient
    /// stays far inside float's range.</summary>
    private const float MaxSampleWeight = 4294967296f;

    /// <summary>The smallest nonzero sample weight these kernels take (2^−64): w·s stays a normal float for any
    /// scale s ≥ 2^−62, so the scaled coefficient keeps all its digits.</summary>
    private const float MinSampleWeight = (float)(1.0 / 18446744073709551616.0);

    /// <summary>All-ones in the lanes whose sample weight w these kernels take: +0, or 2^−64 ≤ w ≤ 2^32. NaN,
    /// negative, −0, subnormal and larger weights go to the general lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF SampleWeightCovered(TF w)
    {
        // t = min(w, 2^−64)·2^64 is 0 for w = 0, 1 for w ≥ 2^−64 and strictly between for the tiny ones.
        var t = F.Multiply(F.Min(w, F.Create(MinSampleWeight)), F.Create(18446744073709551616f));
        return F.And(
            F.Equal(F.FusedNegatedMultiplyAdd(t, t, t), F.Create(0f)), F.BitsLessThanOrEqual(w, F.Create(MaxSampleWeight)));
    }

    /// <summary>Whether every lane's sample weight is <see cref="SampleWeightCovered"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllSampleWeightsCovered(TF w)
    {
        var t = F.Multiply(F.Min(w, F.Create(MinSampleWeight)), F.Create(18446744073709551616f));
        return F.AllBitsLessThanOrEqual(w, F.Create(MaxSampleWeight))
            && F.AllEqual(F.FusedNegatedMultiplyAdd(t, t, t), F.Create(0f));
    }

    /// <summary>The scale pair (<paramref name="scaleHigh"/> + <paramref name="scaleLow"/>) times the sample weights
    /// <paramref name="w"/> of covered lanes, as a pair again: w·scaleHigh and its exact rounding error plus
    /// w·scaleLow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF WeighScale(TF w, TF scaleHigh, TF scaleLow, out TF low) =>
        ScaledPair(w, scaleHigh, scaleLow, out low);

    /// <summary>The loss times s: s·sp(x) for z = 0, s·q·sp(−x) for z = 1, given e^−|x| = e + eLow from
    /// <see cref="Exp"/> and s as the float pair <paramref name="scaleHigh"/> + <paramref name="scaleLow"/>: the
    /// coefficient c·s is carried as a pair into the final FMA, rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Loss<TS>(TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow)
        where TS : struct, IScaleKind
    {
        var ax = F.Abs(x);
        var tail = Log1pTail(e, eLow, F.Subtract(F.Create(1f), F.HalveNormal(e)));
        Sides(x, z, out var positive, out var big);
        if (TS.IsOne)
        {
            return Softplus(ax, e, tail, F.Select(positive, q, F.Create(1f)), big);
        }

        var c = ScaledPair(F.Select(positive, q, F.Create(1f)), scaleHigh, scaleLow, out var cLow);
        return Softplus(ax, e, tail, c, cLow, big);
    }

    /// <summary>∂loss/∂x times s: s·σ(x) for z = 0, −s·q·σ(−x) for z = 1, given e^−|x| = e + eLow and s as the float
    /// pair <paramref name="scaleHigh"/> + <paramref name="scaleLow"/>, rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF LogitsGradient<TS>(TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow)
        where TS : struct, IScaleKind
    {
        Sides(x, z, out var positive, out var big);
        Factor(e, eLow, F.Select(positive, F.Negate(q), F.Create(1f)), big, out var factor, out var factorLow);
        if (TS.IsOne)
        {
            return TimesSigmoid(SigmoidBig(e, eLow), factor, factorLow);
        }

        var scaled = ScaledPair(factor, factorLow, scaleHigh, scaleLow, out var scaledLow);
        return TimesSigmoid(SigmoidBig(e, eLow), scaled, scaledLow);
    }

    /// <summary>The loss (returned in <paramref name="loss"/>, unscaled) and ∂loss/∂x times s, with s (1/N for a
    /// mean) given as the float pair <paramref name="scaleHigh"/> + <paramref name="scaleLow"/>, rounded once; given
    /// e^−|x| = e + eLow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF LossAndLogitsGradient(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, out TF loss)
    {
        var ax = F.Abs(x);
        Sides(x, z, out var positive, out var big);
        // σ(|x|) = 1/(1 + e) doubles as the slope that carries eLow into log1p (Loss approximates it).
        var sigmoid = SigmoidBig(e, eLow);
        loss = Softplus(ax, e, Log1pTail(e, eLow, sigmoid), F.Select(positive, q, F.Create(1f)), big);
        Factor(e, eLow, F.Select(positive, F.Negate(q), F.Create(1f)), big, out var factor, out var factorLow);
        // The factor times the scale, as a pair again: this runs beside σ's division, not after it.
        var scaled = ScaledPair(factor, factorLow, scaleHigh, scaleLow, out var scaledLow);
        return TimesSigmoid(sigmoid, scaled, scaledLow);
    }

    /// <summary>The coefficients of sp(x) (<paramref name="a"/>) and sp(−x) (returned) of smoothed hard labels, as
    /// pairs: z' = ε/2 or 1 − ε/2 from <paramref name="smoothing"/>, a = 1 − z' (the other label's z') and b = q·z'.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF SmoothedCoefficients(
        TF z, TF q, in HardSmoothing<TF> smoothing, out TF a, out TF aLow, out TF bLow)
    {
        var positive = F.GreaterThan(z, F.Create(0.5f));
        a = F.Select(positive, smoothing.ZeroHigh, smoothing.OneHigh);
        aLow = F.Select(positive, smoothing.ZeroLow, smoothing.OneLow);
        var zs = F.Select(positive, smoothing.OneHigh, smoothing.ZeroHigh);
        var zsLow = F.Select(positive, smoothing.OneLow, smoothing.ZeroLow);
        var b = F.Multiply(q, zs);
        bLow = F.FusedMultiplyAdd(q, zsLow, F.FusedMultiplySubtract(q, zs, b));
        return b;
    }

    /// <summary>The loss of smoothed hard labels times s: a·sp(x) + b·sp(−x), each term as
    /// <see cref="Loss{TS}"/> forms its one term (a coefficient pair into the final FMA), then their sum: both are
    /// ≥ 0 for q ≥ 0, so the sum adds half an ULP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF SmoothedLoss(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing)
    {
        var b = SmoothedCoefficients(z, q, smoothing, out var a, out var aLow, out var bLow);
        a = ScaledPair(a, aLow, scaleHigh, scaleLow, out aLow);
        b = ScaledPair(b, bLow, scaleHigh, scaleLow, out bLow);
        var tail = Log1pTail(e, eLow, F.Subtract(F.Create(1f), F.HalveNormal(e)));
        return SmoothedSoftplus(x, e, tail, a, aLow, b, bLow);
    }

    /// <summary>∂loss/∂x of smoothed hard labels times s: a·σ(x) − b·σ(−x) = (a·side + (−b)·side')·σ(|x|), the two
    /// factors formed as <see cref="LogitsGradient{TS}"/> forms its one, added exactly, times σ(|x|) rounded once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF SmoothedLogitsGradient(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing)
    {
        var b = SmoothedCoefficients(z, q, smoothing, out var a, out var aLow, out var bLow);
        a = ScaledPair(a, aLow, scaleHigh, scaleLow, out aLow);
        b = ScaledPair(b, bLow, scaleHigh, scaleLow, out bLow);
        return SmoothedSigmoid(x, e, eLow, SigmoidBig(e, eLow), a, aLow, b, bLow);
    }

    /// <summary>The loss of smoothed hard labels (in <paramref name="loss"/>, unscaled) and ∂loss/∂x times s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF SmoothedLossAndLogitsGradient(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing, out TF loss)
    {
        var b = SmoothedCoefficients(z, q, smoothing, out var a, out var aLow, out var bLow);
        var sigmoid = SigmoidBig(e, eLow);
        loss = SmoothedSoftplus(x, e, Log1pTail(e, eLow, sigmoid), a, aLow, b, bLow);
        a = ScaledPair(a, aLow, scaleHigh, scaleLow, out aLow);
        b = ScaledPair(b, bLow, scaleHigh, scaleLow, out bLow);
        return SmoothedSigmoid(x, e, eLow, sigmoid, a, aLow, b, bLow);
    }

    /// <summary>∂loss/∂q of smoothed hard labels times s: z'·sp(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF SmoothedPosWeightGradient(
        TF x, TF z, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing)
    {
        var b = SmoothedCoefficients(z, F.Create(1f), smoothing, out _, out _, out var bLow);
        b = ScaledPair(b, bLow, scaleHigh, scaleLow, out bLow);
        var tail = Log1pTail(e, eLow, F.Subtract(F.Create(1f), F.HalveNormal(e)));
        return Softplus(F.Abs(x), e, tail, b, bLow, F.GreaterThan(F.Create(0f), x));
    }

    /// <summary>(a + aLow)·sp(x) + (b + bLow)·sp(−x): the big side of sp(x) is x ≥ 0, of sp(−x) x &lt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF SmoothedSoftplus(TF x, TF e, TF tail, TF a, TF aLow, TF b, TF bLow)
    {
        var ax = F.Abs(x);
        var negative = F.GreaterThan(F.Create(0f), x);
        var termA = Softplus(ax, e, tail, a, aLow, F.GreaterThanOrEqual(x, F.Create(0f)));
        var termB = Softplus(ax, e, tail, b, bLow, negative);
        return F.Add(termA, termB);
    }

    /// <summary>(a + aLow)·σ(x) − (b + bLow)·σ(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF SmoothedSigmoid(TF x, TF e, TF eLow, TF sigmoid, TF a, TF aLow, TF b, TF bLow)
    {
        var negative = F.GreaterThan(F.Create(0f), x);
        var nonNegative = F.GreaterThanOrEqual(x, F.Create(0f));
        Factor(e, eLow, a, aLow, nonNegative, out var factorA, out var factorALow);
        Factor(e, eLow, F.Negate(b), F.Negate(bLow), negative, out var factorB, out var factorBLow);
        // The two factors added exactly (TwoSum), then one product with σ(|x|): one rounding at the result's
        // magnitude, however much the two terms cancel.
        var factor = F.Add(factorA, factorB);
        var bVirtual = F.Subtract(factor, factorA);
        var error = F.Add(F.Subtract(factorA, F.Subtract(factor, bVirtual)), F.Subtract(factorB, bVirtual));
        return TimesSigmoid(sigmoid, factor, F.Add(error, F.Add(factorALow, factorBLow)));
    }

    /// <summary>As the one-coefficient factor, for a coefficient pair c + cLow: cLow·side joins the low part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Factor(TF e, TF eLow, TF c, TF cLow, TF big, out TF factor, out TF factorLow)
    {
        var side = F.Select(big, F.Create(1f), e);
        factor = F.Multiply(c, side);
        factorLow = F.FusedMultiplyAdd(
            cLow, side, F.FusedMultiplyAdd(c, F.AndNot(eLow, big), F.FusedMultiplySubtract(c, side, factor)));
    }

    /// <summary>value·(scaleHigh + scaleLow) as a pair: the product's head and its exact rounding error plus
    /// value·scaleLow. With s = 1 the low part is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF ScaledPair(TF value, TF scaleHigh, TF scaleLow, out TF low)
    {
        var scaled = F.Multiply(value, scaleHigh);
        low = F.FusedMultiplyAdd(value, scaleLow, F.FusedMultiplySubtract(value, scaleHigh, scaled));
        return scaled;
    }

    /// <summary>(value + valueLow)·(scaleHigh + scaleLow) as a pair: the product's head and its exact rounding error
    /// plus the low products (their own roundings negligible). With s = 1 (a pair 1 + 0) the pair comes back
    /// unchanged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF ScaledPair(TF value, TF valueLow, TF scaleHigh, TF scaleLow, out TF low)
    {
        var scaled = F.Multiply(value, scaleHigh);
        low = F.FusedMultiplyAdd(value, scaleLow, F.FusedMultiplyAdd(
            valueLow, scaleHigh, F.FusedMultiplySubtract(value, scaleHigh, scaled)));
        return scaled;
    }

    /// <summary>
    /// e^−|x| = (e + eLow)·(1 + O(2^−29)): e^−|x| = 2^k·e^r with k = round(−|x|·log₂e) and r = −|x| − k·ln2, where
    /// the head of r is exact (k·ln2's head has 23 bits) and e^r = 1 + (r + r²·P(r)). e is the result rounded once
    /// and eLow the rest, recovered exactly (pow2 − e is exact: e is within a factor √2 of pow2). The first stage of
    /// every kernel here and the longest chain of operations: the loop computes it a step or two ahead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exp(TF x, out TF e, out TF eLow)
    {
        var ax = F.Abs(x);
        var magicPlusK = F.FusedMultiplyAdd(ax, F.Create(-SingleConstants.Log2E), F.Create(SingleConstants.RoundingMagic));
        var k = F.Subtract(magicPlusK, F.Create(SingleConstants.RoundingMagic));
        var rHead = F.FusedMultiplySubtract(k, F.Create(-SingleConstants.Ln2Head), ax);
        var rTail = F.Multiply(k, F.Create(-SingleConstants.Ln2Tail));
        var r = F.Add(rHead, rTail);
        // Estrin's scheme: P(r) = (P0 + P1·r) + r²·(P2 + P3·r) + r⁴·(P4 + P5·r), a shorter chain than Horner's.
        var r2 = F.Multiply(r, r);
        var p01 = F.FusedMultiplyAdd(F.Create(SingleConstants.ExpP1), r, F.Create(SingleConstants.ExpP0));
        var p23 = F.FusedMultiplyAdd(F.Create(SingleConstants.ExpP3), r, F.Create(SingleConstants.ExpP2));
        var p45 = F.FusedMultiplyAdd(F.Create(SingleConstants.ExpP5), r, F.Create(SingleConstants.ExpP4));
        var poly = F.FusedMultiplyAdd(F.FusedMultiplyAdd(p45, r2, p23), r2, p01);
        var expm1 = F.Add(rHead, F.FusedMultiplyAdd(r2, poly, rTail));
        var pow2 = F.Pow2FromMagic(magicPlusK);
        e = F.FusedMultiplyAdd(pow2, expm1, pow2);
        eLow = F.FusedMultiplyAdd(pow2, expm1, F.Subtract(pow2, e));
    }

    /// <summary>t with log1p(e + eLow) ≈ e + t: e²·G(e) and eLow times <paramref name="slope"/> ≈ 1/(1 + e): σ(|x|)
    /// where the caller has it, else the chord 1 − e/2 (at most 0.086 off, enough for a term below half an ULP; e/2
    /// from e's exponent, e ≥ e^−80 being normal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF Log1pTail(TF e, TF eLow, TF slope)
    {
        // Estrin's scheme in e, e², e⁴: pairs, then pairs of pairs (a chain of 5 operations instead of Horner's 9).
        var e2 = F.Multiply(e, e);
        var e4 = F.Multiply(e2, e2);
        var g01 = F.FusedMultiplyAdd(F.Create(G1), e, F.Create(G0));
        var g23 = F.FusedMultiplyAdd(F.Create(G3), e, F.Create(G2));
        var g45 = F.FusedMultiplyAdd(F.Create(G5), e, F.Create(G4));
        var g67 = F.FusedMultiplyAdd(F.Create(G7), e, F.Create(G6));
        var g89 = F.FusedMultiplyAdd(F.Create(G9), e, F.Create(G8));
        var g03 = F.FusedMultiplyAdd(g23, e2, g01);
        var g47 = F.FusedMultiplyAdd(g67, e2, g45);
        var g = F.FusedMultiplyAdd(F.FusedMultiplyAdd(g89, e4, g47), e4, g03);
        return F.FusedMultiplyAdd(e2, g, F.Multiply(eLow, slope));
    }

    /// <summary>σ(|x|) = 1/(1 + e + eLow): w = 1 + e rounded, c its exact remainder plus eLow, then one Newton step
    /// on w + c from an estimate of 1/w within 2^−14 (<see cref="ISingleLanes{TF, TD}.Reciprocal"/>): the step squares
    /// the estimate's error to 2^−28, a sixteenth of an ULP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF SigmoidBig(TF e, TF eLow)
    {
        var one = F.Create(1f);
        var w = F.Add(one, e);
        var c = F.Add(F.Subtract(e, F.Subtract(w, one)), eLow);
        var r0 = F.Reciprocal(w);
        var residual = F.Subtract(F.FusedNegatedMultiplyAdd(r0, w, one), F.Multiply(r0, c));
        return F.FusedMultiplyAdd(r0, residual, r0);
    }

    /// <summary><paramref name="positive"/>: lanes with z = 1. <paramref name="big"/>: lanes that take sp(|x|) and
    /// σ(|x|), i.e. x ≥ 0 for z = 0 and x &lt; 0 for z = 1 (at x = ±0 both sides give the same value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sides(TF x, TF z, out TF positive, out TF big)
    {
        positive = F.GreaterThan(z, F.Create(0.5f));
        big = F.Xor(F.GreaterThanOrEqual(x, F.Create(0f)), positive);
    }

    /// <summary>c·sp(±x) = c·(|x| on the big side) + c·e + c·t, added so that only the last rounding is at the
    /// result's magnitude: the smaller of |x| (0 on the small side) and e goes with t inside, the larger outside,
    /// exact in the FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF Softplus(TF ax, TF e, TF tail, TF c, TF big)
    {
        var side = F.And(big, ax);
        var smaller = F.Min(side, e);
        var larger = F.Max(side, e);
        return F.FusedMultiplyAdd(c, larger, F.FusedMultiplyAdd(c, tail, F.Multiply(c, smaller)));
    }

    /// <summary>(c + cLow)·sp(±x) for a scaled coefficient carried as a pair: as the unscaled form, with cLow times
    /// sp (its parts added in float: cLow is below c's ULP) inside the final FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF Softplus(TF ax, TF e, TF tail, TF c, TF cLow, TF big)
    {
        var side = F.And(big, ax);
        var smaller = F.Min(side, e);
        var larger = F.Max(side, e);
        var lowPart = F.Multiply(cLow, F.Add(larger, F.Add(smaller, tail)));
        return F.FusedMultiplyAdd(c, larger, F.Add(lowPart, F.FusedMultiplyAdd(c, tail, F.Multiply(c, smaller))));
    }

    /// <summary>The factor that multiplies σ(|x|) in c·σ(±x), as factor + factorLow: c on the big side,
    /// c·(e + eLow) on the small side (σ(−|x|) = e·σ(|x|)), with the product's rounding kept in factorLow. It does not
    /// depend on σ, so it runs beside σ's division.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Factor(TF e, TF eLow, TF c, TF big, out TF factor, out TF factorLow)
    {
        var side = F.Select(big, F.Create(1f), e);
        factor = F.Multiply(c, side);
        factorLow = F.FusedMultiplyAdd(c, F.AndNot(eLow, big), F.FusedMultiplySubtract(c, side, factor));
    }

    /// <summary>σ·(factor + factorLow), rounded once: the exact product σ·factor plus the small σ·factorLow, in one
    /// FMA. A zero result takes the sign of factor (σ > 0), as the product would: factor = −0 with a low part of +0
    /// would otherwise add up to +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF TimesSigmoid(TF sigmoid, TF factor, TF factorLow) =>
        F.Or(F.FusedMultiplyAdd(sigmoid, factor, F.Multiply(sigmoid, factorLow)), F.And(factor, F.Create(-0f)));
}
