using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// What one pass computes per element. The loops (<see cref="Loops.ElementwiseLoop"/>) are generic over an operator,
/// so the JIT compiles one specialized loop per operator and lane type.
/// </summary>
internal interface IElementOperator
{
    /// <summary>Whether the loop should sum <c>accumulate</c> over the elements (the fused loss-and-gradient).</summary>
    static abstract bool Accumulates { get; }

    /// <summary>The value stored for each element; <paramref name="accumulate"/> is summed when
    /// <see cref="Accumulates"/>. <paramref name="scale"/> multiplies the stored value (1/N for a mean).</summary>
    static abstract TV Invoke<TV, L>(TV x, TV z, TV q, TV scale, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>;
}

/// <summary>The elementwise loss.</summary>
internal readonly struct LossOperator : IElementOperator
{
    public static bool Accumulates => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L>(TV x, TV z, TV q, TV scale, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        accumulate = default;
        return new ElementMath<TV, L>(x).Loss(z, q);
    }
}

/// <summary>∂loss/∂logits.</summary>
internal readonly struct LogitsGradientOperator : IElementOperator
{
    public static bool Accumulates => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L>(TV x, TV z, TV q, TV scale, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        accumulate = default;
        return new ElementMath<TV, L>(x).LogitsGradient(z, q);
    }
}

/// <summary>∂loss/∂labels.</summary>
internal readonly struct LabelsGradientOperator : IElementOperator
{
    public static bool Accumulates => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L>(TV x, TV z, TV q, TV scale, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        accumulate = default;
        return new ElementMath<TV, L>(x).LabelsGradient(z, q);
    }
}

/// <summary>∂loss/∂pos_weight (per element, before any sum over broadcast axes).</summary>
internal readonly struct PosWeightGradientOperator : IElementOperator
{
    public static bool Accumulates => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L>(TV x, TV z, TV q, TV scale, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        accumulate = default;
        return new ElementMath<TV, L>(x).PosWeightGradient(z, q);
    }
}

/// <summary>The loss, summed, and scale·∂loss/∂logits stored: one pass for a training step.</summary>
internal readonly struct LossAndLogitsGradientOperator : IElementOperator
{
    public static bool Accumulates => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Invoke<TV, L>(TV x, TV z, TV q, TV scale, out TV accumulate)
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var element = new ElementMath<TV, L>(x);
        accumulate = element.Loss(z, q);
        return L.Multiply(element.LogitsGradient(z, q), scale);
    }
}
