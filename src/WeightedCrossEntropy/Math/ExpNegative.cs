using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// e^−t for t ≥ 0, returned as 2^k·p with p in [√½, √2] and k an integer, so that a caller can scale p before it
/// applies 2^k and lose no digit where e^−t itself would be subnormal (q·e^−700 in float64, for instance).
/// </summary>
/// <remarks>
/// <para>Reduction: k = round(−t·log₂e) and r = −t − k·ln2 (ln2 split into a 41-bit head, so k·head is exact, and a tail),
/// |r| ≤ ln2/2. Then e^r = 1 + (r + r²·P(r)) with P a degree-10 Chebyshev fit of (e^r − 1 − r)/r²
/// (tools/fit_coefficients.py), whose error is below 10^−18. t is clamped to 1100 first, where e^−t is 0 in double
/// and even q = 1.8·10^308 cannot bring it back; so k ≥ −1587.</para>
/// <para>Error of p·2^k: below 1 ULP (the last addition of 1 dominates).</para>
/// </remarks>
internal static class ExpNegative
{
    public const double Log2E = 1.4426950408889634;
    public const double Ln2Head = 0.693147180559663;        // ln 2 with its low 12 bits cleared
    public const double Ln2Tail = 2.8235290563031577e-13;    // ln 2 − Ln2Head
    public const double Clamp = 1100.0;

    private const double P0 = 0.5;
    private const double P1 = 0.1666666666666667;
    private const double P2 = 0.04166666666666667;
    private const double P3 = 0.008333333333326141;
    private const double P4 = 0.0013888888888883752;
    private const double P5 = 0.00019841269874800493;
    private const double P6 = 2.4801587325533363e-05;
    private const double P7 = 2.7557255425746435e-06;
    private const double P8 = 2.7557273661348637e-07;
    private const double P9 = 2.510520637395701e-08;
    private const double P10 = 2.0914679376583935e-09;

    /// <summary>Splits e^−t (t ≥ 0, or NaN) into <paramref name="k"/> and the returned p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Evaluate<TV, L>(TV t, out TV k)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        t = L.MinNumber(t, L.Create(Clamp));
        k = L.RoundToInteger(L.Multiply(t, L.Create(-Log2E)));
        // r = −t − k·ln2: k·Ln2Head is exact (k has at most 11 bits), and −t − k·Ln2Head is exact by Sterbenz.
        var r = L.FusedMultiplySubtract(k, L.Create(-Ln2Head), t);
        r = L.FusedMultiplyAdd(k, L.Create(-Ln2Tail), r);
        var r2 = L.Multiply(r, r);
        var expm1 = L.FusedMultiplyAdd(r2, Remainder<TV, L>(r, r2), r);
        return L.Add(L.Create(1.0), expm1);
    }

    /// <summary>
    /// e^−t = e + <paramref name="low"/> for 0 ≤ t ≤ 700 (where e^−t is normal), e rounded and the pair within 2^−57
    /// of e^−t, where e alone is only within an ULP.
    /// </summary>
    /// <remarks>k = round(−t·log₂e) comes from one FMA that adds <see cref="LaneConstants.Pow2Magic"/>, whose low bits
    /// then hold k + 1023 (2^k is one shift away). r = r_head + r_tail with r_head exact, e^r = 1 + r_head + (r_tail +
    /// r²·P(r)), added with the rounding errors of both additions kept in the low part; e^r = p + pLow, p in [√½, √2],
    /// is scaled by 2^k by adding k to p's exponent (an integer add, not a multiply: e is normal here) and pLow by a
    /// multiply (it may be zero or subnormal).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Pair<TV, L>(TV t, out TV low)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var magicPlusK = L.FusedMultiplyAdd(t, L.Create(-Log2E), L.Create(LaneConstants.Pow2Magic));
        var k = L.Subtract(magicPlusK, L.Create(LaneConstants.Pow2Magic));
        var rHead = L.FusedMultiplySubtract(k, L.Create(-Ln2Head), t);
        var rTail = L.Multiply(k, L.Create(-Ln2Tail));
        var r = L.Add(rHead, rTail);
        var r2 = L.Multiply(r, r);
        var rest = L.FusedMultiplyAdd(r2, Remainder<TV, L>(r, r2), rTail);

        // 1 + (r_head + rest) with both additions' errors kept (Fast2Sum: |r_head| ≥ |rest| but where both are
        // below 10^−9, and there the error is far below 2^−57 anyway).
        var expm1 = L.Add(rHead, rest);
        var expm1Low = L.Add(L.Subtract(rHead, expm1), rest);
        var one = L.Create(1.0);
        var p = L.Add(one, expm1);
        var pLow = L.Add(L.Add(L.Subtract(one, p), expm1), expm1Low);
        var pow2 = L.Pow2FromMagic(magicPlusK);
        low = L.Multiply(pLow, pow2);
        return L.ScaleNormal(p, pow2);
    }

    /// <summary>P(r) = (e^r − 1 − r)/r², given r and r², by Estrin's scheme in r, r², r⁴ (about a third of Horner's
    /// latency; the top block goes in by a second FMA with r⁴ rather than with an r⁸, one multiply fewer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Remainder<TV, L>(TV r, TV r2)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var r4 = L.Multiply(r2, r2);
        var p01 = L.FusedMultiplyAdd(L.Create(P1), r, L.Create(P0));
        var p23 = L.FusedMultiplyAdd(L.Create(P3), r, L.Create(P2));
        var p45 = L.FusedMultiplyAdd(L.Create(P5), r, L.Create(P4));
        var p67 = L.FusedMultiplyAdd(L.Create(P7), r, L.Create(P6));
        var p89 = L.FusedMultiplyAdd(L.Create(P9), r, L.Create(P8));
        var p03 = L.FusedMultiplyAdd(p23, r2, p01);
        var p47 = L.FusedMultiplyAdd(p67, r2, p45);
        var p810 = L.FusedMultiplyAdd(L.Create(P10), r2, p89);
        return L.FusedMultiplyAdd(L.FusedMultiplyAdd(p810, r4, p47), r4, p03);
    }

    /// <summary>v·2^k for an integer k in [−1588, 0], rounded once even where the result is subnormal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ScaleByPow2<TV, L>(TV v, TV k)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        // Two exact factors, each a normal power of two (both halves are ≥ −794): the first product stays normal
        // wherever |v| ≥ 2^−228, so only the second rounds.
        var half = L.RoundToInteger(L.Multiply(k, L.Create(0.5)));
        return L.Multiply(L.Multiply(v, L.Pow2(half)), L.Pow2(L.Subtract(k, half)));
    }
}
