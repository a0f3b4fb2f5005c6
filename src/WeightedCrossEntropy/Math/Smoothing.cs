using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// Label smoothing ε ∈ [0, 1] (Keras' and TensorFlow's definition for binary labels): z' = z·(1 − ε) + ε/2, formed
/// in the kernels from the label as given, so that ∂/∂labels is with respect to the unsmoothed label. The default
/// value is ε = 0 (no smoothing).
/// </summary>
/// <remarks>
/// The coefficients of the loss are 1 − z' = (1 − z)·(1 − ε) + ε/2 and z' = z·(1 − ε) + ε/2, each one FMA from
/// 1 − z (or z) with no cancellation for labels in [0, 1], so a small ε keeps every digit of 1 − z' (1 − z' itself,
/// formed from a rounded z', would lose them). ∂loss/∂z is (1 − ε)·(q·sp(−x) − sp(x)).
/// </remarks>
internal readonly struct Smoothing
{
    /// <summary>ε.</summary>
    public readonly double Epsilon;

    public Smoothing(double epsilon) => Epsilon = epsilon;

    /// <summary>Whether ε is 0 (no smoothing).</summary>
    public bool IsNone => Epsilon == 0.0;

    /// <summary>1 − ε, rounded to double.</summary>
    public double Keep => 1.0 - Epsilon;

    /// <summary>ε/2 (exact).</summary>
    public double Half => 0.5 * Epsilon;

    /// <summary>The coefficients of a label z in double lanes: 1 − z' (<paramref name="negative"/>) and z'
    /// (returned); where <typeparamref name="TS"/> does not smooth, 1 − z and z themselves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Coefficients<TV, L, TS>(TV z, TV keep, TV half, out TV negative)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        var oneMinusZ = L.Subtract(L.Create(1.0), z);
        if (!TS.Smooths)
        {
            negative = oneMinusZ;
            return z;
        }

        negative = L.FusedMultiplyAdd(oneMinusZ, keep, half);
        return L.FusedMultiplyAdd(z, keep, half);
    }
}
