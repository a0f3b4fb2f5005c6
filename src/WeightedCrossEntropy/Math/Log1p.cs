using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// log(1 + e) for e in [0, 1] (the only range softplus needs: e = e^−|x|), to within 1 ULP. .NET's
/// <c>double.LogP1</c> computes log(1 + e) naively and returns 0 for e = 10^−17; this one does not lose digits.
/// </summary>
/// <remarks>
/// <para>w = 1 + e rounds, but its error c = e − (w − 1) is exact (Sterbenz), and log(1 + e) = log(w) + c/w to far
/// below an ULP. For w &gt; √2, w = 2·m with j = 1, else m = w: log w = j·ln2 + log m, m in [√½, √2].</para>
/// <para>With f = m − 1 (exact) and s = f/(2 + f): log m = 2·atanh s = f − (f²/2 − s·(f²/2 + R(s²))), where R is a
/// degree-6 Chebyshev fit of (2·atanh(s)/s − 2)/s² on |s| ≤ 3 − 2√2 (tools/fit_coefficients.py). The form keeps f,
/// which is exact, as the leading term, so the rounding of s only touches a correction 30 times smaller.</para>
/// </remarks>
internal static class Log1p
{
    private const double Sqrt2 = 1.4142135623730951;
    private const double Ln2 = 0.6931471805599453;
    private const double Ln2Low = 2.3190468138462996e-17;   // ln 2 − Ln2

    private const double R0 = 0.666666666666667;
    private const double R1 = 0.39999999999899505;
    private const double R2 = 0.28571428625975487;
    private const double R3 = 0.2222221113479508;
    private const double R4 = 0.18182889125261723;
    private const double R5 = 0.15331721600556042;
    private const double R6 = 0.14616449685043406;

    /// <summary>log(1 + e) for e in [0, 1], given w = 1 + e (rounded) and an approximation of 1/w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Evaluate<TV, L>(TV e, TV w, TV reciprocalW)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var one = L.Create(1.0);
        var c = L.Subtract(e, L.Subtract(w, one));
        var high = L.LessThan(L.Create(Sqrt2), w);
        var m = L.Select(high, L.Multiply(w, L.Create(0.5)), w);
        var f = L.Subtract(m, one);
        var s = L.Divide(f, L.Add(L.Create(2.0), f));
        var z = L.Multiply(s, s);

        // Estrin's scheme (shorter latency than Horner's; the loops are latency-bound).
        var z2 = L.Multiply(z, z);
        var r01 = L.FusedMultiplyAdd(L.Create(R1), z, L.Create(R0));
        var r23 = L.FusedMultiplyAdd(L.Create(R3), z, L.Create(R2));
        var r45 = L.FusedMultiplyAdd(L.Create(R5), z, L.Create(R4));
        var r03 = L.FusedMultiplyAdd(r23, z2, r01);
        var r46 = L.FusedMultiplyAdd(L.Create(R6), z2, r45);
        var poly = L.FusedMultiplyAdd(r46, L.Multiply(z2, z2), r03);
        var r = L.Multiply(z, poly);

        var halfFSquared = L.Multiply(L.Multiply(f, f), L.Create(0.5));
        var logM = L.Subtract(f, L.Subtract(halfFSquared, L.Multiply(s, L.Add(halfFSquared, r))));

        // Low-order parts first, then the head of j·ln2.
        var low = L.FusedMultiplyAdd(c, reciprocalW, L.Select(high, L.Create(Ln2Low), L.Create(0.0)));
        return L.Add(L.Select(high, L.Create(Ln2), L.Create(0.0)), L.Add(logM, low));
    }
}
