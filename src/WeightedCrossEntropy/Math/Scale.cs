using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// The per-lane scale s that every operator applies to the value it stores, before that value's one rounding: 1/N
/// for a mean's gradient (<see cref="Reciprocal"/>), 1 for the elementwise forms (<see cref="One"/>), or any other
/// factor (<see cref="Of"/>: an upstream gradient that is uniform, a sample weight). Built once per call: s as the
/// double pair <see cref="High"/> + <see cref="Low"/> (for 1/N the exact remainder of the division, so s·v is v/N to
/// about 2^−106) and as the float pair <see cref="SingleHigh"/> + <see cref="SingleLow"/> for the float32 hard-label
/// kernels.
/// </summary>
/// <remarks>
/// <para>Where each kernel family applies it: the float32 and float64 hard-label kernels
/// (<see cref="HardLabelMath{TF, TD, F}"/>, <see cref="HardLabelDoubleMath{TV, L}"/>) multiply the coefficient of
/// the result (c of c·sp, the factor of c·σ) by the pair before the final FMA; <see cref="SingleFastPath"/> multiplies
/// its double result by <see cref="High"/> before the one rounding to float; <see cref="ElementMath{TV, L}"/>'s
/// operators multiply their double result by the double pair (<see cref="Apply{TV, L, TS}"/>). With s = 1 every family
/// gives the bits of the unscaled value.</para>
/// </remarks>
internal readonly struct Scale
{
    /// <summary>s rounded to double.</summary>
    public readonly double High;

    /// <summary>The rest of s below <see cref="High"/>: fma(−High, N, 1)/N for 1/N, else 0.</summary>
    public readonly double Low;

    /// <summary>s rounded to float.</summary>
    public readonly float SingleHigh;

    /// <summary><see cref="High"/> − <see cref="SingleHigh"/>, rounded to float.</summary>
    public readonly float SingleLow;

    private Scale(double high, double low)
    {
        High = high;
        Low = low;
        SingleHigh = (float)high;
        SingleLow = (float)(high - SingleHigh);
    }

    /// <summary>Whether s is exactly 1 (the pairs 1 + 0).</summary>
    public bool IsOne => High == 1.0 && Low == 0.0 && SingleHigh == 1f && SingleLow == 0f;

    /// <summary>s = 1: the stored values unscaled.</summary>
    public static Scale One => new(1.0, 0.0);

    /// <summary>s = 1/<paramref name="divisor"/> (N for a mean), with the division's remainder kept.</summary>
    public static Scale Reciprocal(double divisor)
    {
        double reciprocal = 1.0 / divisor;
        return new Scale(reciprocal, System.Math.FusedMultiplyAdd(-reciprocal, divisor, 1.0) / divisor);
    }

    /// <summary>s = <paramref name="factor"/>.</summary>
    public static Scale Of(double factor) => new(factor, 0.0);

    /// <summary>s times <paramref name="factor"/> (one sample weight for every element), as a pair again: the
    /// product's head, its exact rounding error and the low part times the factor.</summary>
    public Scale Times(double factor)
    {
        double high = High * factor;
        return new Scale(
            high, System.Math.FusedMultiplyAdd(High, factor, -high) + System.Math.FusedMultiplyAdd(Low, factor, 0.0));
    }

    /// <summary>The scale pair times per-lane sample weights w in double lanes: (high, low) with high = w·High
    /// rounded and low its exact remainder plus w·Low. Where w·High is not finite the low part is 0, so that an
    /// infinite weight gives ±∞ (or NaN times 0) and not NaN from ∞ − ∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV PerLane<TV, L>(TV weight, TV high, TV low, out TV scaledLow)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var scaled = L.Multiply(weight, high);
        var rest = L.FusedMultiplyAdd(weight, low, L.FusedMultiplySubtract(weight, high, scaled));
        scaledLow = L.And(L.Equal(L.Subtract(scaled, scaled), L.Create(0.0)), rest);
        return scaled;
    }

    /// <summary>An accumulated value v times the sample weight w, with a zero weight giving 0 also where v is
    /// infinite (the limits rule: a zero weight times an infinite loss counts as 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Weigh<TV, L>(TV value, TV weight)
        where TV : struct
        where L : struct, ILanes<TV> =>
        L.AndNot(L.Multiply(value, weight), L.Equal(weight, L.Create(0.0)));

    /// <summary>v·(high + low) in double lanes, rounded once: fma(v, high, v·low) where v is finite and not zero,
    /// v·high where it is ±0, ±∞ or NaN; v itself where the scale is
    /// 1 (<typeparamref name="TS"/>) (so that ∞·0 in the low part cannot turn ±∞ into NaN, nor a low part of the
    /// other sign −0 into +0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TV, L, TS>(TV value, TV high, TV low)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        if (TS.IsOne)
        {
            return value;
        }

        var finite = L.Equal(L.Subtract(value, value), L.Create(0.0));
        var pair = L.AndNot(finite, L.Equal(value, L.Create(0.0)));
        var scaled = L.Select(pair, L.FusedMultiplyAdd(value, high, L.Multiply(value, low)), L.Multiply(value, high));
        if (!TS.PerLane)
        {
            return scaled;
        }

        // A zero sample weight times an infinite value counts as 0 (NaN stays NaN).
        var zeroTimesInfinite = L.AndNot(L.And(L.Equal(high, L.Create(0.0)), L.Equal(value, value)), finite);
        return L.AndNot(scaled, zeroTimesInfinite);
    }
}

/// <summary>What a call multiplies and smooths, known when a loop is compiled: the loops and operators are generic over
/// it, so that an unscaled call runs the kernels without the scale's operations (which the JIT removes as dead code),
/// a call with a sample weight loads one per element, and label smoothing costs nothing where it is off.</summary>
internal interface IScaleKind
{
    /// <summary>True where the scale is exactly 1 (<see cref="Scale.IsOne"/>), with no sample weight and no label
    /// smoothing.</summary>
    static abstract bool IsOne { get; }

    /// <summary>True where each element has its own sample weight w: the loop multiplies the call's scale by w per
    /// lane (<see cref="Scale.PerLane{TV, L}"/>) and the accumulated loss by w.</summary>
    static abstract bool PerLane { get; }

    /// <summary>True where the labels are smoothed (<see cref="Smoothing"/>): the soft-label kernels form the
    /// coefficients of z' = z·(1 − ε) + ε/2.</summary>
    static abstract bool Smooths { get; }
}

/// <summary>The scale is 1: the operators store their values unscaled.</summary>
internal readonly struct ScaleOne : IScaleKind
{
    public static bool IsOne
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }

    public static bool PerLane
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool Smooths
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }
}

/// <summary>Any scale, the same for every element: the operators apply it.</summary>
internal readonly struct ScaleAny : IScaleKind
{
    public static bool IsOne
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool PerLane
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool Smooths
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }
}

/// <summary>The call's scale times a sample weight per element.</summary>
internal readonly struct ScalePerLane : IScaleKind
{
    public static bool IsOne
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool PerLane
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }

    public static bool Smooths
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }
}

/// <summary>Any scale, with smoothed labels.</summary>
internal readonly struct SmoothedScaleAny : IScaleKind
{
    public static bool IsOne
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool PerLane
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool Smooths
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }
}

/// <summary>The call's scale times a sample weight per element, with smoothed labels.</summary>
internal readonly struct SmoothedScalePerLane : IScaleKind
{
    public static bool IsOne
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool PerLane
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }

    public static bool Smooths
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }
}
