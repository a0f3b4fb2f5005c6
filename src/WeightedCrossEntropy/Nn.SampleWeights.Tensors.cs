using System.Numerics;
using System.Numerics.Tensors;
using WeightedCrossEntropy.Tensors;

namespace WeightedCrossEntropy;

// The tensor overloads with a sample weight and label smoothing.
public static partial class Nn
{
    /// <summary>
    /// The elementwise weighted cross-entropy on tensors with a sample weight and label smoothing (PyTorch's
    /// <c>binary_cross_entropy_with_logits(input, target, weight, pos_weight=pos_weight, reduction="none")</c>):
    /// <c>w·((1 − z')·sp(x) + q·z'·sp(−x))</c> with z' = z·(1 − ε) + ε/2, pos_weight q and sample weight w each
    /// broadcast right-aligned against the logits.
    /// </summary>
    /// <remarks>
    /// <para><b>Shapes.</b> <paramref name="labels"/> and <paramref name="logits"/> must have the same shape.
    /// <paramref name="posWeight"/> and <paramref name="sampleWeight"/> each broadcast right-aligned as in TensorFlow
    /// and PyTorch: each of their axes, matched from the last, must equal the logits' axis or be 1; extra leading axes
    /// of length 1 are allowed; a weight that would enlarge the result is rejected. For logits [N, C]: [1], [C],
    /// [N, 1] (a weight per sample) or [N, C]. A sample weight that does not repeat along the trailing axes with a
    /// short period is expanded to the logits' length in a rented buffer.</para>
    /// <para><b>Special values.</b> As the span overload with a sample weight: a zero weight gives 0 also where the
    /// loss is infinite; a negative weight negates the loss; NaN in any input gives NaN. Results are within 2 ULP
    /// (float32) or 3 ULP (float64) of the exact w·loss.</para>
    /// </remarks>
    /// <param name="sampleWeight">w, broadcast right-aligned to the logits' shape (see remarks). Zero, negative and
    /// infinite weights are accepted.</param>
    /// <param name="labelSmoothing">ε in [0, 1]: labels z become z·(1 − ε) + ε/2. 0, the default, leaves them.</param>
    /// <exception cref="ArgumentException"><paramref name="labels"/> and <paramref name="logits"/> have different
    /// shapes, or <paramref name="posWeight"/> or <paramref name="sampleWeight"/> is empty, cannot broadcast to the
    /// logits' shape or would enlarge it; the message names the argument, both shapes and, when given,
    /// <paramref name="name"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1] or
    /// NaN.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/returns"/>
    public static Tensor<T> WeightedCrossEntropyWithLogits<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        ReadOnlyTensorSpan<T> sampleWeight, double labelSmoothing = 0, string? name = null)
        where T : IFloatingPointIeee754<T> =>
        TensorLoss.WeightedLoss(labels, logits, posWeight, sampleWeight, labelSmoothing, name);

    /// <summary>
    /// The weighted cross-entropy on tensors with a sample weight and label smoothing, reduced: Σ w·loss
    /// (<see cref="Reduction.Sum"/>), divided by the element count (<see cref="Reduction.Mean"/>, PyTorch's
    /// <c>mean</c> and Keras' <c>sum_over_batch_size</c>) or by Σ w over all elements
    /// (<see cref="Reduction.WeightedMean"/>).
    /// </summary>
    /// <param name="reduction"><see cref="Reduction.Sum"/>, <see cref="Reduction.Mean"/> or
    /// <see cref="Reduction.WeightedMean"/>.</param>
    /// <returns>The reduced loss, summed in double with compensated summation (the same bits for any
    /// <see cref="MaxDegreeOfParallelism"/>) and rounded once. Empty input: Sum 0, Mean and WeightedMean NaN; a zero
    /// sum of weights makes WeightedMean NaN.</returns>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is <see cref="Reduction.None"/> or not a
    /// defined value, or the shapes break the rules of the elementwise overload.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1] or
    /// NaN.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, double, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, double, string?)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, double, string?)" path="/remarks"/>
    public static T WeightedCrossEntropyWithLogits<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        ReadOnlyTensorSpan<T> sampleWeight, Reduction reduction, double labelSmoothing = 0, string? name = null)
        where T : IFloatingPointIeee754<T> =>
        TensorLoss.WeightedReduce(labels, logits, posWeight, sampleWeight, reduction, labelSmoothing, name);

    /// <summary>
    /// The gradients of an objective with respect to labels, logits, pos_weight and the sample weight of
    /// <see cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, double, string?)"/>,
    /// given the objective's gradient with respect to each element's loss.
    /// </summary>
    /// <remarks>
    /// <para>With g = <paramref name="upstreamGradient"/>: labels get g·w·(1 − ε)·(q·sp(−x) − sp(x)) (with respect to
    /// the unsmoothed labels); logits get g·w·((1 − z')·σ(x) − q·z'·σ(−x)); pos_weight gets g·w·z'·sp(−x) summed to
    /// pos_weight's shape; the sample weight gets g·((1 − z')·sp(x) + q·z'·sp(−x)) summed to its own shape
    /// (<see cref="WeightedCrossEntropyGradients{T}.SampleWeight"/>). The sums are compensated, in a fixed order.
    /// w multiplies each local derivative before its one rounding; g multiplies after it, with IEEE arithmetic (a zero
    /// g times an infinite local derivative gives NaN, as in TensorFlow).</para>
    /// <para>Shapes as in the loss; <paramref name="upstreamGradient"/> must have the logits' shape.</para>
    /// </remarks>
    /// <param name="upstreamGradient">∂objective/∂loss for each element, the logits' shape.</param>
    /// <returns>New dense tensors: labels and logits gradients in the logits' shape, the pos_weight gradient in
    /// pos_weight's shape, the sample weight's in its shape.</returns>
    /// <exception cref="ArgumentException">The shapes break the rules of the loss, or
    /// <paramref name="upstreamGradient"/> does not have the logits' shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1] or
    /// NaN.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, double, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, double, string?)" path="/typeparam"/>
    public static WeightedCrossEntropyGradients<T> WeightedCrossEntropyWithLogitsGradients<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        ReadOnlyTensorSpan<T> sampleWeight, ReadOnlyTensorSpan<T> upstreamGradient, double labelSmoothing = 0,
        string? name = null)
        where T : IFloatingPointIeee754<T> =>
        TensorLoss.WeightedGradients(
            labels, logits, posWeight, sampleWeight, upstreamGradient, null, labelSmoothing, name);

    /// <summary>
    /// The gradients of the reduced loss
    /// <see cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, double, string?)"/>
    /// with respect to labels, logits, pos_weight and the sample weight. For <see cref="Reduction.Mean"/> each
    /// element's derivative is divided by N, for <see cref="Reduction.WeightedMean"/> by Σ w (rounded once); the
    /// sample weight's gradient of the WeightedMean S/W is (L_j − (S/W)·n_j)/W, with L_j the unweighted losses that
    /// weight j multiplies and n_j their count.
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, double, string?)" path="/remarks"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, double, string?)" path="/returns"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, double, string?)" path="/exception"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, double, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, double, string?)" path="/typeparam"/>
    public static WeightedCrossEntropyGradients<T> WeightedCrossEntropyWithLogitsGradients<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        ReadOnlyTensorSpan<T> sampleWeight, Reduction reduction, double labelSmoothing = 0, string? name = null)
        where T : IFloatingPointIeee754<T> =>
        TensorLoss.WeightedGradients(labels, logits, posWeight, sampleWeight, default, reduction, labelSmoothing, name);
}
