using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Tensors;

/// <summary>
/// pos_weight resolved against the logits' shape: its elements, dense and row-major, and for every logits axis the
/// step in those elements (0 where pos_weight is broadcast).
/// </summary>
internal readonly ref struct BroadcastWeights<T>
{
    public BroadcastWeights(T[]? owned, ReadOnlyTensorSpan<T> view, nint[] strides, bool scalar, T value)
    {
        Owned = owned;
        View = view;
        Strides = strides;
        IsScalarValue = scalar;
        Value = value;
    }

    /// <summary>The elements when they had to be copied (a strided pos_weight).</summary>
    public T[]? Owned { get; }

    /// <summary>The caller's pos_weight, used in place when dense.</summary>
    public ReadOnlyTensorSpan<T> View { get; }

    /// <summary>Per logits axis, the step in the dense elements; 0 for broadcast axes. Empty for a scalar value.</summary>
    public nint[] Strides { get; }

    public bool IsScalarValue { get; }

    public T Value { get; }
}
