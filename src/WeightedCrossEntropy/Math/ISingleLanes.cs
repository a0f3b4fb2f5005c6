namespace WeightedCrossEntropy.Math;

/// <summary>
/// The arithmetic the float32 kernel (<see cref="HardLabelMath{TF, TD, F}"/>) needs, over one hardware vector of
/// floats, so that it is written once for Vector128, Vector256 and Vector512 (AVX-512 machines get 16 lanes). As with
/// <see cref="ILanes{TV}"/>, every implementation is a struct and the JIT specializes the kernel per vector type.
/// </summary>
/// <remarks>
/// Masks are values of <typeparamref name="TF"/> with all-ones (true) or all-zeros (false) lanes. Every operation
/// rounds as IEEE 754 does and <see cref="FusedMultiplyAdd"/> rounds once, so all widths give the same bits.
/// </remarks>
/// <typeparam name="TF">A vector of floats.</typeparam>
/// <typeparam name="TD">The vector of doubles with as many lanes as half of <typeparamref name="TF"/>.</typeparam>
internal interface ISingleLanes<TF, TD>
    where TF : struct
    where TD : struct
{
    /// <summary>Number of floats in one <typeparamref name="TF"/>.</summary>
    static abstract int Count { get; }

    static abstract TF Create(float value);
    static abstract TF Load(ref float source);
    static abstract void Store(TF value, ref float destination);

    /// <summary>Loads <see cref="Count"/> bytes, each converted to float (exactly); reads no byte beyond them.</summary>
    static abstract TF LoadBytes(ref byte source);

    static abstract TF Add(TF a, TF b);
    static abstract TF Subtract(TF a, TF b);
    static abstract TF Multiply(TF a, TF b);

    /// <summary>1/a to within a relative 2^−14, for a caller that refines it with one Newton step (error squared:
    /// 2^−28): a division, or on AVX-512 the 14-bit estimate <c>vrcp14ps</c>, which is shorter and cheaper.</summary>
    static abstract TF Reciprocal(TF a);

    /// <summary>a·b + c, rounded once.</summary>
    static abstract TF FusedMultiplyAdd(TF a, TF b, TF c);

    /// <summary>a·b − c, rounded once (one instruction where FMA is accelerated: a negation the JIT does not fold).
    /// </summary>
    static abstract TF FusedMultiplySubtract(TF a, TF b, TF c);

    /// <summary>c − a·b, rounded once.</summary>
    static abstract TF FusedNegatedMultiplyAdd(TF a, TF b, TF c);

    static abstract TF Abs(TF a);

    /// <summary>The smaller of a and b (inputs are never NaN here).</summary>
    static abstract TF Min(TF a, TF b);

    /// <summary>The larger of a and b (inputs are never NaN here).</summary>
    static abstract TF Max(TF a, TF b);
    static abstract TF Negate(TF a);

    static abstract TF LessThanOrEqual(TF a, TF b);
    static abstract TF GreaterThanOrEqual(TF a, TF b);
    static abstract TF GreaterThan(TF a, TF b);
    static abstract TF Equal(TF a, TF b);

    /// <summary>Compares the bits of a and b as unsigned integers (a ≤ b): for b a non-negative float, true exactly
    /// where a is +0 or a positive number up to b (never −0, a negative number or NaN).</summary>
    static abstract TF BitsLessThanOrEqual(TF a, TF b);

    static abstract TF And(TF a, TF b);

    /// <summary>a &amp; ~b.</summary>
    static abstract TF AndNot(TF a, TF b);

    static abstract TF Or(TF a, TF b);
    static abstract TF Xor(TF a, TF b);

    /// <summary>mask ? ifTrue : ifFalse, per lane, for a mask whose lanes are all ones or all zeros (a comparison's
    /// result, or bitwise operations on such): the 256-bit lanes use AVX's blend, which reads each lane's sign bit only
    /// (one instruction where the generic select takes three without AVX-512; A/B numbers: docs/benchmarks.md).</summary>
    static abstract TF Select(TF mask, TF ifTrue, TF ifFalse);

    static abstract bool AllSet(TF mask);
    static abstract bool NoneSet(TF mask);

    /// <summary>a ≤ b in every lane (false where either is NaN): a compare tested as a mask, never turned into a
    /// vector (which <see cref="AllSet"/> of a combined mask costs on AVX-512).</summary>
    static abstract bool AllLessThanOrEqual(TF a, TF b);

    /// <summary>a = b in every lane (false where either is NaN).</summary>
    static abstract bool AllEqual(TF a, TF b);

    /// <summary>BitsLessThanOrEqual(a, b) in every lane.</summary>
    static abstract bool AllBitsLessThanOrEqual(TF a, TF b);

    /// <summary>2^k for lanes holding <see cref="SingleConstants.RoundingMagic"/> + k, k an integer in [−126, 127].</summary>
    static abstract TF Pow2FromMagic(TF magicPlusK);

    /// <summary>value/2 by decrementing the exponent (an integer subtraction, no multiplier): exact for normal values
    /// of at least 2^−125, meaningless for smaller ones, zero, ±∞ and NaN.</summary>
    static abstract TF HalveNormal(TF value);

    /// <summary>The lanes widened to double: the lower half and the upper half.</summary>
    static abstract void Widen(TF value, out TD lower, out TD upper);
}

/// <summary>Constants shared by the float lane implementations.</summary>
internal static class SingleConstants
{
    /// <summary>1.5·2^23: adding a float of magnitude below 2^22 to it rounds that float to an integer k (ties to
    /// even) and leaves k in the low bits of the sum's significand.</summary>
    public const float RoundingMagic = 12582912f;

    // e^−t = 2^k·e^r with k = round(−t·log₂e) and r = −t − k·ln2, ln2 split into a 16-bit head (k·head is exact for
    // |k| < 128) and a tail; e^r = 1 + r + r²·P(r) on |r| ≤ ln2/2 with the degree-5 fit of tools/fit_coefficients.py.
    // Shared by SingleFastPath and HardLabelMath.
    public const float Log2E = 1.44269504f;
    public const float Ln2Head = 0.693145751953125f;
    public const float Ln2Tail = 1.428606765330187e-06f;
    public const float ExpP0 = 0.5f;
    public const float ExpP1 = 0.16666666681614256f;
    public const float ExpP2 = 0.04166646500604005f;
    public const float ExpP3 = 0.008333310934448869f;
    public const float ExpP4 = 0.0013933641031986701f;
    public const float ExpP5 = 0.00019890980869750327f;
}
