using System.Numerics;
using System.Numerics.Tensors;

namespace WeightedCrossEntropy;

/// <summary>
/// The gradients of the weighted cross-entropy with respect to its three inputs, as TensorFlow's autodiff returns
/// them for <c>tf.nn.weighted_cross_entropy_with_logits</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="Labels">∂objective/∂labels, the labels' (= logits') shape: upstream·(q·sp(−x) − sp(x)).</param>
/// <param name="Logits">∂objective/∂logits, the logits' shape: upstream·((1 − z)·σ(x) − q·z·σ(−x)).</param>
/// <param name="PosWeight">∂objective/∂pos_weight in pos_weight's own shape: upstream·z·sp(−x) summed over every
/// axis along which pos_weight was broadcast (shape [1] for a scalar pos_weight given as a value).</param>
public readonly record struct WeightedCrossEntropyGradients<T>(Tensor<T> Labels, Tensor<T> Logits, Tensor<T> PosWeight)
    where T : IFloatingPointIeee754<T>
{
    /// <summary>∂objective/∂sampleWeight in the sample weight's own shape: the unweighted (smoothed) loss times the
    /// upstream gradient, summed over every axis along which the sample weight was broadcast (for a reduction, the
    /// derivative of the reduced loss). Null from the overloads without a sample weight.</summary>
    public Tensor<T>? SampleWeight { get; init; }
}
