using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using WeightedCrossEntropy.Tensors;

namespace WeightedCrossEntropy.Compat;

/// <summary>
/// TensorFlow 1's spellings (<c>tf.compat.v1</c>), for code ported from TF1: the same functions as
/// <see cref="WeightedCrossEntropy.Nn"/>, with TF1's argument names.
/// </summary>
public static class V1
{
    /// <summary>
    /// <c>tf.compat.v1.nn</c>: <c>weighted_cross_entropy_with_logits(targets, logits, pos_weight, name)</c>, whose
    /// first argument TF1 named <c>targets</c>. Every method forwards to
    /// <see cref="WeightedCrossEntropy.Nn"/>; error messages say <c>targets</c> where TF2's say labels.
    /// </summary>
    /// <remarks>The loss is <c>(1 − z)·sp(x) + q·z·sp(−x)</c> with x = logits, z = targets, q = pos_weight; see
    /// <see cref="WeightedCrossEntropy.Nn"/> for special values (NaN gives NaN; ±∞ logits give the limits, never NaN
    /// from 0·∞; zero and negative pos_weight are accepted) and the shape rules.</remarks>
#pragma warning disable CA1034 // Nested types should not be visible: V1.Nn mirrors tf.compat.v1.nn on purpose.
    public static class Nn
#pragma warning restore CA1034
    {
        /// <summary>
        /// TF1's <c>tf.nn.weighted_cross_entropy_with_logits(targets, logits, pos_weight)</c> on flat spans:
        /// <c>destination[i] = (1 − z)·sp(x) + q·z·sp(−x)</c> with z = targets[i], x = logits[i],
        /// q = posWeight[i % posWeight.Length].
        /// </summary>
        /// <param name="targets">Targets z (TF2's labels), one per logit. Any finite value (soft labels too). NaN
        /// gives NaN.</param>
        /// <exception cref="ArgumentException"><paramref name="targets"/> and <paramref name="logits"/> differ in
        /// length, <paramref name="posWeight"/> is empty or its length does not divide the logits' length, or
        /// <paramref name="destination"/> partly overlaps an input.</exception>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='logits']"/>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='posWeight']"/>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='destination']"/>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
        public static void WeightedCrossEntropyWithLogits<T>(
            ReadOnlySpan<T> targets, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination)
            where T : IFloatingPointIeee754<T>
        {
            if (targets.Length != logits.Length)
            {
                throw new ArgumentException(
                    string.Format(CultureInfo.InvariantCulture,
                        "targets has length {0} but logits has length {1}; they must have the same length.",
                        targets.Length, logits.Length),
                    nameof(targets));
            }

            if (destination.Overlaps(targets, out int offset) && !(offset == 0 && destination.Length == targets.Length))
            {
                throw new ArgumentException(
                    "destination overlaps targets without being the same memory; write in place (the very same " +
                    "span) or to separate memory.",
                    nameof(destination));
            }

            WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits(targets, logits, posWeight, destination);
        }

        /// <summary>
        /// TF1's <c>tf.nn.weighted_cross_entropy_with_logits(targets, logits, pos_weight, name)</c> on tensors, with
        /// pos_weight broadcast right-aligned (a [C] pos_weight applies to the last axis; for logits [N, C, H, W]
        /// per-class weights are [C, 1, 1]).
        /// </summary>
        /// <param name="targets">Targets z (TF2's labels), the logits' shape. Any finite value (soft labels too).
        /// NaN gives NaN.</param>
        /// <exception cref="ArgumentException"><paramref name="targets"/> and <paramref name="logits"/> have
        /// different shapes (the message says "`logits` and `targets` must have the same shape" and names both
        /// shapes), or <paramref name="posWeight"/> is empty, cannot broadcast to the logits' shape, or would
        /// enlarge it.</exception>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/remarks"/>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/returns"/>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='logits']"/>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='posWeight']"/>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='name']"/>
        /// <inheritdoc cref="WeightedCrossEntropy.Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
        public static Tensor<T> WeightedCrossEntropyWithLogits<T>(
            ReadOnlyTensorSpan<T> targets, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
            string? name = null)
            where T : IFloatingPointIeee754<T> =>
            TensorLoss.Loss(targets, logits, posWeight, name, nameof(targets));

        /// <summary>
        /// TF1's <c>tf.nn.weighted_cross_entropy_with_logits(targets, logits, pos_weight, name)</c> on tensors with
        /// one pos_weight for every element.
        /// </summary>
        /// <param name="posWeight">The weight q of the positive term for every element. Zero and negative weights
        /// are accepted; NaN gives NaN everywhere.</param>
        /// <exception cref="ArgumentException"><paramref name="targets"/> and <paramref name="logits"/> have
        /// different shapes; the message says "`logits` and `targets` must have the same shape" and names both
        /// shapes.</exception>
        /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/remarks"/>
        /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/returns"/>
        /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='targets']"/>
        /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='logits']"/>
        /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='name']"/>
        /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
        public static Tensor<T> WeightedCrossEntropyWithLogits<T>(
            ReadOnlyTensorSpan<T> targets, ReadOnlyTensorSpan<T> logits, T posWeight, string? name = null)
            where T : IFloatingPointIeee754<T> =>
            TensorLoss.Loss(targets, logits, TensorLoss.Weights(posWeight), name, nameof(targets));
    }
}
