using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// The arithmetic the element math needs, over one kind of lane: a scalar <see cref="double"/> or a hardware vector of
/// doubles. The element math (<see cref="ElementMath{TV, L}"/>) is written once against this interface; the JIT specializes
/// it per lane type because every implementation is a struct, so nothing is virtual at run time.
/// </summary>
/// <remarks>
/// Masks are values of <typeparamref name="TV"/> whose lanes are all-ones (true) or all-zeros (false), as the
/// hardware compare instructions produce them. Every operation rounds as IEEE 754 does, and
/// <see cref="FusedMultiplyAdd"/> rounds once on every lane type, so the scalar and the vector paths give the same
/// bits.
/// </remarks>
/// <typeparam name="TV">The lane type.</typeparam>
internal interface ILanes<TV>
    where TV : struct
{
    /// <summary>Number of doubles in one <typeparamref name="TV"/>.</summary>
    static abstract int Count { get; }

    static abstract TV Create(double value);
    static abstract TV Load(ref double source);
    static abstract void Store(TV value, ref double destination);

    /// <summary>Loads 2·<see cref="Count"/> floats, widened to double.</summary>
    static abstract void LoadWidened(ref float source, out TV lower, out TV upper);

    /// <summary>Stores 2·<see cref="Count"/> floats, each rounded once from double.</summary>
    static abstract void StoreNarrowed(TV lower, TV upper, ref float destination);

    static abstract TV Add(TV a, TV b);
    static abstract TV Subtract(TV a, TV b);
    static abstract TV Multiply(TV a, TV b);
    static abstract TV Divide(TV a, TV b);

    /// <summary>a·b + c, rounded once.</summary>
    static abstract TV FusedMultiplyAdd(TV a, TV b, TV c);

    /// <summary>a·b − c, rounded once (one instruction where FMA is accelerated: a negation the JIT does not fold).
    /// </summary>
    static abstract TV FusedMultiplySubtract(TV a, TV b, TV c);

    /// <summary>c − a·b, rounded once.</summary>
    static abstract TV FusedNegatedMultiplyAdd(TV a, TV b, TV c);

    static abstract TV Abs(TV a);

    /// <summary>Rounds to the nearest integer, ties to even.</summary>
    static abstract TV RoundToInteger(TV a);

    /// <summary>The smaller of a and b; either is returned when they compare equal. Inputs are never NaN here.</summary>
    static abstract TV MinNumber(TV a, TV b);

    static abstract TV LessThan(TV a, TV b);
    static abstract TV Equal(TV a, TV b);
    static abstract TV And(TV a, TV b);

    /// <summary>a &amp; ~b.</summary>
    static abstract TV AndNot(TV a, TV b);

    static abstract TV Or(TV a, TV b);
    static abstract TV Xor(TV a, TV b);

    /// <summary>Compares the bits of a and b as unsigned integers (a ≤ b): for b a non-negative double, true exactly
    /// where a is +0 or a positive number up to b (never −0, a negative number or NaN).</summary>
    static abstract TV BitsLessThanOrEqual(TV a, TV b);

    static abstract bool AllSet(TV mask);
    static abstract bool NoneSet(TV mask);

    /// <summary>a ≤ b in every lane (false where either is NaN): a compare tested as a mask, never turned into a
    /// vector (which <see cref="AllSet"/> of a combined mask costs on AVX-512).</summary>
    static abstract bool AllLessThanOrEqual(TV a, TV b);

    /// <summary>a = b in every lane (false where either is NaN).</summary>
    static abstract bool AllEqual(TV a, TV b);

    /// <summary>BitsLessThanOrEqual(a, b) in every lane.</summary>
    static abstract bool AllBitsLessThanOrEqual(TV a, TV b);

    /// <summary>Loads <see cref="Count"/> bytes, each converted to double (exactly); reads no byte beyond them.</summary>
    static abstract TV LoadBytes(ref byte source);

    /// <summary>mask ? ifTrue : ifFalse, per lane.</summary>
    static abstract TV Select(TV mask, TV ifTrue, TV ifFalse);

    /// <summary>2^n for lanes holding an integer n in [-1022, 1023].</summary>
    static abstract TV Pow2(TV n);

    /// <summary>2^n for lanes holding <see cref="LaneConstants.Pow2Magic"/> + n, n an integer in [−1022, 1023] (what
    /// an FMA that rounds to an integer by adding the magic leaves): one shift.</summary>
    static abstract TV Pow2FromMagic(TV magicPlusN);

    /// <summary>value·pow2 for pow2 a power of two, by adding exponents as integers (no multiplier): exact where
    /// value and the product are both normal, meaningless elsewhere (zero, subnormal, ±∞, NaN).</summary>
    static abstract TV ScaleNormal(TV value, TV pow2);

    /// <summary>The sum of all lanes, added in a fixed order.</summary>
    static abstract double Sum(TV a);
}

/// <summary>Bit tricks shared by the lane implementations.</summary>
internal static class LaneConstants
{
    /// <summary>
    /// 1.5·2^52 + 1023: adding an integer n in [-1022, 1023] to it leaves n + 1023 in the low bits of the significand,
    /// and shifting the bits left by 52 then gives the bits of 2^n.
    /// </summary>
    public const double Pow2Magic = 6755399441055744.0 + 1023.0;

    /// <summary>The bits of 1.0 (its biased exponent, 1023, shifted into place).</summary>
    public const long OneBits = 0x3FF0_0000_0000_0000;

    public static double AllBitsSet => BitConverter.Int64BitsToDouble(-1L);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mask(bool condition) => condition ? AllBitsSet : 0.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSet(double mask) => BitConverter.DoubleToInt64Bits(mask) != 0;
}
