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

    /// <summary>z' of a hard label 1: 1 − ε/2 as the double pair <paramref name="low"/> + returned value (exact: the
    /// subtraction's error is recovered by Fast2Sum, 1 ≥ ε/2).</summary>
    public double LabelOne(out double low)
    {
        double half = Half;
        double high = 1.0 - half;
        low = (1.0 - high) - half;
        return high;
    }
}

/// <summary>The smoothed values of the two hard labels in lanes, each a pair: z' = ε/2 for label 0
/// (<see cref="ZeroHigh"/> + <see cref="ZeroLow"/>) and z' = 1 − ε/2 for label 1 (<see cref="OneHigh"/> +
/// <see cref="OneLow"/>). The hard-label kernels form the coefficients of sp(x) and sp(−x) from them: 1 − z' is the
/// other label's z'.</summary>
internal readonly struct HardSmoothing<TV>
    where TV : struct
{
    public readonly TV ZeroHigh;
    public readonly TV ZeroLow;
    public readonly TV OneHigh;
    public readonly TV OneLow;

    public HardSmoothing(TV zeroHigh, TV zeroLow, TV oneHigh, TV oneLow)
    {
        ZeroHigh = zeroHigh;
        ZeroLow = zeroLow;
        OneHigh = oneHigh;
        OneLow = oneLow;
    }

    /// <summary>In float lanes: each double pair rounded to a float pair.</summary>
    public static HardSmoothing<TF> Single<TF, TD, F>(Smoothing smoothing)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
    {
        double zero = smoothing.Half;
        double one = smoothing.LabelOne(out double oneLow);
        float zeroHigh = (float)zero;
        float oneHigh = (float)one;
        return new HardSmoothing<TF>(
            F.Create(zeroHigh), F.Create((float)(zero - zeroHigh)), F.Create(oneHigh),
            F.Create((float)((one - oneHigh) + oneLow)));
    }

    /// <summary>In double lanes.</summary>
    public static HardSmoothing<TV> Double<L>(Smoothing smoothing)
        where L : struct, ILanes<TV>
    {
        double one = smoothing.LabelOne(out double oneLow);
        return new HardSmoothing<TV>(L.Create(smoothing.Half), L.Create(0.0), L.Create(one), L.Create(oneLow));
    }
}
