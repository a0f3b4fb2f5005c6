using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// log(1 + e) for e in [0, 1] (the only range softplus needs: e = e^−|x|), to within about 1 ULP. .NET's
/// <c>double.LogP1</c> computes log(1 + e) naively and returns 0 for e = 10^−17; this one does not lose digits.
/// </summary>
/// <remarks>
/// <para>With s = e/(2 + e) (so s ≤ 1/3): log(1 + e) = 2·atanh s = e + (s·(e²/2 + R(s²)) − e²/2), where R is a
/// degree-10 Chebyshev fit of (2·atanh(s)/s − 2)/s² on s² ≤ 1/9 (tools/fit_coefficients.py; its error moves the
/// result by less than 2^−62 of itself). The form keeps e, which is exact, as the leading term, so the roundings of
/// 2 + e and of s only touch a correction at most 30% of the result; no 1 + e is formed, so nothing needs the
/// rounding error of 1 + e, and no reduction to [√½, √2] is needed (the polynomial is longer instead, which costs
/// less latency than the reduction).</para>
/// </remarks>
internal static class Log1p
{
    private const double R0 = 0.6666666666666666;
    private const double R1 = 0.39999999999999525;
    private const double R2 = 0.285714285716001;
    private const double R3 = 0.2222222219823677;
    private const double R4 = 0.18181819897962714;
    private const double R5 = 0.1538454396486055;
    private const double R6 = 0.13335178631449257;
    private const double R7 = 0.11734279061303197;
    private const double R8 = 0.10845178394880015;
    private const double R9 = 0.07492143795550767;
    private const double R10 = 0.1563057780092285;

    /// <summary>log(1 + e) for e in [0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Evaluate<TV, L>(TV e)
        where TV : struct
        where L : struct, ILanes<TV> =>
        L.Add(e, Correction<TV, L>(e, L.Multiply(e, L.Create(0.5))));

    /// <summary>log(1 + e + <paramref name="low"/>) for a normal e in [2^−1022, 1] and |low| ≤ 2^−53·e: the low part
    /// adds low/(1 + e), with 1/(1 + e) ≈ 1 − e/2 (a chord, at most 0.086 off, where low/(1 + e) is below 0.36 ULP of
    /// the result: it moves the result by at most 0.03 ULP). e/2 comes from e's exponent (e is normal), not from a
    /// multiply.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Evaluate<TV, L>(TV e, TV low)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var halfE = L.ScaleNormal(e, L.Create(0.5));
        return WithLow<TV, L>(e, low, L.Subtract(L.Create(1.0), halfE), halfE);
    }

    /// <summary>log(1 + e + <paramref name="low"/>) as <see cref="Evaluate{TV, L}(TV, TV)"/> (e normal), given
    /// <paramref name="slope"/> within 0.09 of 1/(1 + e) (a caller that has σ(|x|) = 1/(1 + e) passes it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Evaluate<TV, L>(TV e, TV low, TV slope)
        where TV : struct
        where L : struct, ILanes<TV> =>
        WithLow<TV, L>(e, low, slope, L.ScaleNormal(e, L.Create(0.5)));

    /// <summary>e + (low·slope + the correction), given e/2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV WithLow<TV, L>(TV e, TV low, TV slope, TV halfE)
        where TV : struct
        where L : struct, ILanes<TV> =>
        L.Add(e, L.FusedMultiplyAdd(low, slope, Correction<TV, L>(e, halfE)));

    /// <summary>log(1 + e) − e = s·(e²/2 + R) − e²/2, R = z·poly, given e/2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Correction<TV, L>(TV e, TV halfE)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var s = L.Divide(e, L.Add(L.Create(2.0), e));
        var z = L.Multiply(s, s);

        // Estrin's scheme (a shorter chain than Horner's) in z, z², z⁴: the top block goes in by one more FMA with z⁴
        // instead of a z⁸ (one multiply fewer).
        var z2 = L.Multiply(z, z);
        var z4 = L.Multiply(z2, z2);
        var r01 = L.FusedMultiplyAdd(L.Create(R1), z, L.Create(R0));
        var r23 = L.FusedMultiplyAdd(L.Create(R3), z, L.Create(R2));
        var r45 = L.FusedMultiplyAdd(L.Create(R5), z, L.Create(R4));
        var r67 = L.FusedMultiplyAdd(L.Create(R7), z, L.Create(R6));
        var r89 = L.FusedMultiplyAdd(L.Create(R9), z, L.Create(R8));
        var r03 = L.FusedMultiplyAdd(r23, z2, r01);
        var r47 = L.FusedMultiplyAdd(r67, z2, r45);
        var r810 = L.FusedMultiplyAdd(L.Create(R10), z2, r89);
        var poly = L.FusedMultiplyAdd(L.FusedMultiplyAdd(r810, z4, r47), z4, r03);

        // s·(e²/2 + z·poly) − e²/2 with the inner sum in one FMA: one multiply and one FMA besides the subtraction.
        // Other orders measure worse (tools/fit_coefficients.py, 38,000 points, worst ULP): this one 1.09,
        // fma(s, e²/2 + z·poly, −e²/2) 1.32, s³·poly + fma(s, e²/2, −e²/2) 1.31 (one FMA after the polynomial: a
        // shorter chain, but no faster now that the loops are pipelined).
        var halfESquared = L.Multiply(e, halfE);
        return L.Subtract(L.Multiply(s, L.FusedMultiplyAdd(z, poly, halfESquared)), halfESquared);
    }
}
