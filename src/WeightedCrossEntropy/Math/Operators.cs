using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// What one pass computes per element. The loops (<see cref="Loops.ElementwiseLoop"/>) are generic over an operator,
/// so the JIT compiles one specialized loop per operator and lane type. What kernels an operator has is said by the
/// interfaces it implements: <see cref="IFloatLaneOperator"/> (float lanes of <see cref="SingleFastPath"/>) and
/// <see cref="IHardLabelOperator"/> (the hard-label kernels); <see cref="RunSlice{TE, TIO}"/> hands a slice to the
/// kernel family those allow (<see cref="Loops.KernelChoice"/>), which only accepts an operator that has them.
/// </summary>
internal interface IElementOperator
{
    /// <summary>Whether the loop should sum <c>accumulate</c> over the elements (the fused loss-and-gradient).</summary>
    static abstract bool Accumulates { get; }

    /// <summary>Whether the accumulated value is the stored one, sample weight and scale included
    /// (<see cref="Summed{TInner}"/>); else it is the unweighted loss, which the loop multiplies by the element's
    /// sample weight where there is one.</summary>
    static abstract bool AccumulatesStored { get; }

    /// <summary>The value stored for each element; <paramref name="accumulate"/> is summed when
    /// <see cref="Accumulates"/>. Every operator multiplies the stored value by the scale s =
    /// <paramref name="scaleHigh"/> + <paramref name="scaleLow"/> (<see cref="Scale"/>: 1/N for a mean, 1 for the
    /// elementwise forms, a sample weight per lane) in double, before its one rounding to the element type; the
    /// accumulated value (the fused step's loss) is not scaled. Where <typeparamref name="TS"/> smooths the labels,
    /// <paramref name="keep"/> = 1 − ε and <paramref name="half"/> = ε/2 (<see cref="Smoothing"/>); else they are
    /// not read.</summary>
    static abstract TV Invoke<TV, L, TS>(TV x, TV z, TV q, TV scaleHigh, TV scaleLow, TV keep, TV half, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind;

    /// <summary>Runs one slice of validated elements through the kernel family this operator has
    /// (<see cref="Loops.KernelChoice.HardLabels{TOp, TE, TIO}"/> or
    /// <see cref="Loops.KernelChoice.FloatLanes{TOp, TE, TIO}"/>); returns the accumulated sum.</summary>
    static abstract double RunSlice<TE, TIO>(in Loops.ElementwiseCall<TE> call)
        where TE : unmanaged, System.Numerics.IFloatingPointIeee754<TE>
        where TIO : struct, Loops.IElementType<TE>;
}

/// <summary>An operator with a float-lane kernel (<see cref="SingleFastPath"/>): the float32 loop computes eight
/// floats at a time in float lanes where <see cref="SingleFastPath.Covered"/>.</summary>
internal interface IFloatLaneOperator : IElementOperator
{
    /// <summary>The same as <see cref="IElementOperator.Invoke"/> for eight floats that
    /// <see cref="SingleFastPath.Covered"/>, with the scale s (<see cref="Scale.High"/>, times the sample weight per
    /// lane where there is one) given in double lanes for the lower and upper four floats as
    /// <paramref name="scaleLower"/> and <paramref name="scaleUpper"/>: the double result is multiplied by it before the
    /// one rounding to float. <paramref name="keep"/> and <paramref name="half"/> as in
    /// <see cref="IElementOperator.Invoke"/>.</summary>
    static abstract Vector256<float> InvokeSingle<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half, out Vector256<float> accumulate)
        where TS : struct, IScaleKind;
}

/// <summary>An operator with hard-label kernels (<see cref="HardLabelMath{TF, TD, F}"/>,
/// <see cref="HardLabelDoubleMath{TV, L}"/>), which <see cref="Loops.SingleLoop"/> and <see cref="Loops.DoubleLoop"/>
/// run on the steps whose labels are all 0 or 1.</summary>
internal interface IHardLabelOperator : IFloatLaneOperator
{
    /// <summary>The same as <see cref="IElementOperator.Invoke"/> for float lanes that
    /// <see cref="HardLabelMath{TF, TD, F}.Covered"/> (hard labels), given e^−|x| = <paramref name="e"/> +
    /// <paramref name="eLow"/> (<see cref="HardLabelMath{TF, TD, F}.Exp"/>); the stored value is multiplied by the
    /// scale, given as the float pair <paramref name="scaleHigh"/> + <paramref name="scaleLow"/>, in the coefficient
    /// before the final FMA (rounded once).</summary>
    static abstract TF InvokeHard<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind;

    /// <summary>As <see cref="InvokeHard"/> for smoothed hard labels (<paramref name="smoothing"/>: z' of labels 0 and
    /// 1 as pairs), where <typeparamref name="TS"/> smooths.</summary>
    static abstract TF InvokeHardSmoothed<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing,
        out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind;

    /// <summary>The same as <see cref="IElementOperator.Invoke"/> for double lanes that
    /// <see cref="HardLabelDoubleMath{TV, L}.Covered"/> (hard labels); the stored value is multiplied by the scale,
    /// given as the pair <paramref name="scaleHigh"/> + <paramref name="scaleLow"/>, in the coefficient before the
    /// final FMA (rounded once).</summary>
    static abstract TV InvokeHardDouble<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind;

    /// <summary>As <see cref="InvokeHardDouble"/> for smoothed hard labels (<paramref name="smoothing"/>: z' of labels 0 and
    /// 1 as pairs), where <typeparamref name="TS"/> smooths.</summary>
    static abstract TV InvokeHardDoubleSmoothed<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing,
        out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind;
}

/// <summary>The elementwise loss, times the scale.</summary>
internal readonly struct LossOperator : IHardLabelOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RunSlice<TE, TIO>(in Loops.ElementwiseCall<TE> call)
        where TE : unmanaged, System.Numerics.IFloatingPointIeee754<TE>
        where TIO : struct, Loops.IElementType<TE> =>
        Loops.KernelChoice.HardLabels<LossOperator, TE, TIO>(call);

    public static bool Accumulates
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool AccumulatesStored
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L, TS>(TV x, TV z, TV q, TV scaleHigh, TV scaleLow, TV keep, TV half, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        var element = new ElementMath<TV, L>(x);
        return OperatorScaling.Apply<TV, L, TS>(
            element, element.Loss<TS>(z, q, keep, half), ElementMath<TV, L>.Kernel.Loss, z, q, keep, half, scaleHigh,
            scaleLow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InvokeSingle<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half, out Vector256<float> accumulate)
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return SingleFastPath.Loss<TS>(x, z, q, scaleLower, scaleUpper, keep, half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHard<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelMath<TF, TD, F>.Loss<TS>(x, z, q, e, eLow, scaleHigh, scaleLow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHardSmoothed<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing,
        out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelMath<TF, TD, F>.SmoothedLoss(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDouble<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelDoubleMath<TV, L>.Loss<TS>(x, z, q, e, eLow, scaleHigh, scaleLow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDoubleSmoothed<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing,
        out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelDoubleMath<TV, L>.SmoothedLoss(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing);
    }
}

/// <summary><typeparamref name="TInner"/>'s stored value, also summed, with the chunked, thread-count-independent sum
/// of the fused step: the tensor forms' Sum and Mean (<c>Summed&lt;LossOperator&gt;</c>) and the gradient of a single
/// pos_weight (<c>Summed&lt;PosWeightGradientOperator&gt;</c>) in the pass that computes the elements.</summary>
internal readonly struct Summed<TInner> : IHardLabelOperator
    where TInner : struct, IHardLabelOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RunSlice<TE, TIO>(in Loops.ElementwiseCall<TE> call)
        where TE : unmanaged, System.Numerics.IFloatingPointIeee754<TE>
        where TIO : struct, Loops.IElementType<TE> =>
        Loops.KernelChoice.HardLabels<Summed<TInner>, TE, TIO>(call);

    public static bool Accumulates
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }

    public static bool AccumulatesStored
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L, TS>(TV x, TV z, TV q, TV scaleHigh, TV scaleLow, TV keep, TV half, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = TInner.Invoke<TV, L, TS>(x, z, q, scaleHigh, scaleLow, keep, half, out _);
        return accumulate;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InvokeSingle<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half, out Vector256<float> accumulate)
        where TS : struct, IScaleKind
    {
        accumulate = TInner.InvokeSingle<TS>(x, z, q, scaleLower, scaleUpper, keep, half, out _);
        return accumulate;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHard<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind
    {
        accumulate = TInner.InvokeHard<TF, TD, F, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, out _);
        return accumulate;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHardSmoothed<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing,
        out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind
    {
        accumulate = TInner.InvokeHardSmoothed<TF, TD, F, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out _);
        return accumulate;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDouble<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = TInner.InvokeHardDouble<TV, L, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, out _);
        return accumulate;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDoubleSmoothed<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing,
        out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = TInner.InvokeHardDoubleSmoothed<TV, L, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out _);
        return accumulate;
    }
}

/// <summary>∂loss/∂logits, times the scale.</summary>
internal readonly struct LogitsGradientOperator : IHardLabelOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RunSlice<TE, TIO>(in Loops.ElementwiseCall<TE> call)
        where TE : unmanaged, System.Numerics.IFloatingPointIeee754<TE>
        where TIO : struct, Loops.IElementType<TE> =>
        Loops.KernelChoice.HardLabels<LogitsGradientOperator, TE, TIO>(call);

    public static bool Accumulates
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool AccumulatesStored
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L, TS>(TV x, TV z, TV q, TV scaleHigh, TV scaleLow, TV keep, TV half, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        var element = new ElementMath<TV, L>(x);
        return OperatorScaling.Apply<TV, L, TS>(
            element, element.LogitsGradient<TS>(z, q, keep, half), ElementMath<TV, L>.Kernel.LogitsGradient, z, q, keep, half, scaleHigh,
            scaleLow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InvokeSingle<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half, out Vector256<float> accumulate)
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return SingleFastPath.LogitsGradient<TS>(x, z, q, scaleLower, scaleUpper, keep, half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHard<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelMath<TF, TD, F>.LogitsGradient<TS>(x, z, q, e, eLow, scaleHigh, scaleLow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHardSmoothed<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing,
        out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelMath<TF, TD, F>.SmoothedLogitsGradient(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDouble<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelDoubleMath<TV, L>.LogitsGradient<TS>(x, z, q, e, eLow, scaleHigh, scaleLow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDoubleSmoothed<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing,
        out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelDoubleMath<TV, L>.SmoothedLogitsGradient(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing);
    }
}

/// <summary>∂loss/∂labels times the scale (1 for the span call; 1/N for the tensor form's Mean), each element rounded
/// once.</summary>
internal readonly struct LabelsGradientOperator : IFloatLaneOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RunSlice<TE, TIO>(in Loops.ElementwiseCall<TE> call)
        where TE : unmanaged, System.Numerics.IFloatingPointIeee754<TE>
        where TIO : struct, Loops.IElementType<TE> =>
        Loops.KernelChoice.FloatLanes<LabelsGradientOperator, TE, TIO>(call);

    public static bool Accumulates
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool AccumulatesStored
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L, TS>(TV x, TV z, TV q, TV scaleHigh, TV scaleLow, TV keep, TV half, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        var element = new ElementMath<TV, L>(x);
        if (!TS.Smooths)
        {
            return OperatorScaling.Apply<TV, L, TS>(
                element, element.LabelsGradient<TS>(z, q, keep), ElementMath<TV, L>.Kernel.LabelsGradient, z, q, keep,
                half, scaleHigh, scaleLow);
        }

        // Smoothed: (1 − ε) times the unsmoothed derivative, the factor folded into the scale pair, with 1 − ε itself
        // as a pair (keep + keepLow, exact by Fast2Sum), so that it adds no rounding of its own.
        var keepLow = L.Subtract(L.Subtract(L.Create(1.0), keep), L.Add(half, half));
        var high = L.Multiply(scaleHigh, keep);
        var low = L.FusedMultiplyAdd(
            scaleHigh, keepLow, L.FusedMultiplyAdd(scaleLow, keep, L.FusedMultiplySubtract(scaleHigh, keep, high)));
        var value = element.LabelsGradient<ScaleAny>(z, q, keep);
        return TS.PerLane
            ? OperatorScaling.Apply<TV, L, ScalePerLane>(
                element, value, ElementMath<TV, L>.Kernel.LabelsGradient, z, q, keep, half, high, low)
            : OperatorScaling.Apply<TV, L, ScaleAny>(
                element, value, ElementMath<TV, L>.Kernel.LabelsGradient, z, q, keep, half, high, low);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InvokeSingle<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half, out Vector256<float> accumulate)
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return SingleFastPath.LabelsGradient<TS>(x, z, q, scaleLower, scaleUpper, keep, half);
    }
}

/// <summary>∂loss/∂pos_weight (per element, before any sum over broadcast axes): z·sp(−x). With a hard label that is
/// the loss of a positive with weight 1 where z = 1, and +0 where z = 0, so the hard-label paths reuse the loss
/// kernels.</summary>
internal readonly struct PosWeightGradientOperator : IHardLabelOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RunSlice<TE, TIO>(in Loops.ElementwiseCall<TE> call)
        where TE : unmanaged, System.Numerics.IFloatingPointIeee754<TE>
        where TIO : struct, Loops.IElementType<TE> =>
        Loops.KernelChoice.HardLabels<PosWeightGradientOperator, TE, TIO>(call);

    public static bool Accumulates
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    public static bool AccumulatesStored
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L, TS>(TV x, TV z, TV q, TV scaleHigh, TV scaleLow, TV keep, TV half, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        var element = new ElementMath<TV, L>(x);
        return OperatorScaling.Apply<TV, L, TS>(
            element, element.PosWeightGradient<TS>(z, q, keep, half), ElementMath<TV, L>.Kernel.PosWeightGradient, z, q, keep, half, scaleHigh,
            scaleLow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InvokeSingle<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half, out Vector256<float> accumulate)
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return SingleFastPath.PosWeightGradient<TS>(x, z, q, scaleLower, scaleUpper, keep, half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHard<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return F.And(F.GreaterThan(z, F.Create(0.5f)), HardLabelMath<TF, TD, F>.Loss<TS>(x, z, F.Create(1f), e, eLow, scaleHigh, scaleLow));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHardSmoothed<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing,
        out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelMath<TF, TD, F>.SmoothedPosWeightGradient(x, z, e, eLow, scaleHigh, scaleLow, smoothing);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDouble<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return L.And(L.LessThan(L.Create(0.5), z), HardLabelDoubleMath<TV, L>.Loss<TS>(x, z, L.Create(1.0), e, eLow, scaleHigh, scaleLow));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDoubleSmoothed<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing,
        out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        accumulate = default;
        return HardLabelDoubleMath<TV, L>.SmoothedPosWeightGradient(x, z, e, eLow, scaleHigh, scaleLow, smoothing);
    }
}

/// <summary>The loss, summed (unscaled), and ∂loss/∂logits times the scale stored: one pass for a training step.</summary>
internal readonly struct LossAndLogitsGradientOperator : IHardLabelOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RunSlice<TE, TIO>(in Loops.ElementwiseCall<TE> call)
        where TE : unmanaged, System.Numerics.IFloatingPointIeee754<TE>
        where TIO : struct, Loops.IElementType<TE> =>
        Loops.KernelChoice.HardLabels<LossAndLogitsGradientOperator, TE, TIO>(call);

    public static bool Accumulates
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => true;
    }

    public static bool AccumulatesStored
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L, TS>(TV x, TV z, TV q, TV scaleHigh, TV scaleLow, TV keep, TV half, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        var element = new ElementMath<TV, L>(x);
        accumulate = element.Loss<TS>(z, q, keep, half);
        return OperatorScaling.Apply<TV, L, TS>(
            element, element.LogitsGradient<TS>(z, q, keep, half), ElementMath<TV, L>.Kernel.LogitsGradient, z, q, keep,
            half, scaleHigh, scaleLow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InvokeSingle<TS>(
        Vector256<float> x, Vector256<float> z, Vector256<float> q, Vector256<double> scaleLower,
        Vector256<double> scaleUpper, Vector256<double> keep, Vector256<double> half, out Vector256<float> accumulate)
        where TS : struct, IScaleKind
    {
        // The scale multiplies the gradient in double: the gradient of a mean is rounded to float once.
        return SingleFastPath.LossAndLogitsGradient<TS>(x, z, q, scaleLower, scaleUpper, keep, half, out accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHard<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind =>
        HardLabelMath<TF, TD, F>.LossAndLogitsGradient(x, z, q, e, eLow, scaleHigh, scaleLow, out accumulate);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF InvokeHardSmoothed<TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing,
        out TF accumulate)
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind =>
        HardLabelMath<TF, TD, F>.SmoothedLossAndLogitsGradient(
            x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out accumulate);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDouble<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind =>
        HardLabelDoubleMath<TV, L>.LossAndLogitsGradient(x, z, q, e, eLow, scaleHigh, scaleLow, out accumulate);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeHardDoubleSmoothed<TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing,
        out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind =>
        HardLabelDoubleMath<TV, L>.SmoothedLossAndLogitsGradient(
            x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out accumulate);
}

/// <summary>The double-lane operators' scaling: the value times the scale pair, rounded once
/// (<see cref="Scale.Apply{TV, L, TS}"/>); where the unscaled value overflowed or is subnormal (float64 logits near
/// ±1.8e308, results below 2^−1022) and the scale would bring it back into range, the value formed from coefficients
/// scaled first (<see cref="ElementMath{TV, L}.Prescaled{TS}"/>), so that w·value keeps its digits.</summary>
internal static class OperatorScaling
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TV, L, TS>(
        in ElementMath<TV, L> element, TV value, ElementMath<TV, L>.Kernel kernel, TV z, TV q, TV keep, TV half,
        TV scaleHigh, TV scaleLow)
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        var scaled = Scale.Apply<TV, L, TS>(value, scaleHigh, scaleLow);
        if (TS.IsOne)
        {
            return scaled;
        }

        // Inline, behind a branch taken only where a lane is out of range: an out-of-line call here made the JIT
        // keep the caller's vectors on the stack around it (measured: the float64 soft-label step 1.3× slower).
        var outOfRange = element.OutOfRange(value);
        if (L.NoneSet(outOfRange))
        {
            return scaled;
        }

        return L.Select(outOfRange, element.Prescaled<TS>(kernel, z, q, keep, half, scaleHigh), scaled);
    }
}

/// <summary>The hard-label kernel of an operator for the loops: the smoothed one where the call's kind smooths
/// the labels, else the plain one (a separate method per operator, so that a call without smoothing inlines exactly
/// the plain kernel).</summary>
internal static class HardLabelOperators
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Invoke<TOp, TF, TD, F, TS>(
        TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing,
        out TF accumulate)
        where TOp : struct, IHardLabelOperator
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TS : struct, IScaleKind
    {
        if (TS.Smooths)
        {
            return TOp.InvokeHardSmoothed<TF, TD, F, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out accumulate);
        }

        return TOp.InvokeHard<TF, TD, F, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, out accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV InvokeDouble<TOp, TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing,
        out TV accumulate)
        where TOp : struct, IHardLabelOperator
        where TV : struct
        where L : struct, ILanes<TV>
        where TS : struct, IScaleKind
    {
        if (TS.Smooths)
        {
            return TOp.InvokeHardDoubleSmoothed<TV, L, TS>(
                x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out accumulate);
        }

        return TOp.InvokeHardDouble<TV, L, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, out accumulate);
    }
}
