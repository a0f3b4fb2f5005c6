using System.Buffers;
using System.Numerics;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy;

/// <summary>
/// TensorFlow's <c>tf.nn</c> losses for .NET: <c>weighted_cross_entropy_with_logits</c> and
/// <c>sigmoid_cross_entropy_with_logits</c>, with their gradients, exact where TensorFlow and PyTorch lose digits.
/// </summary>
/// <remarks>
/// <para>For logits x, labels z and pos_weight q, elementwise, with sp(t) = log(1 + e^t) and σ the sigmoid:</para>
/// <code>
/// loss = z·q·(−log σ(x)) + (1 − z)·(−log(1 − σ(x)))
///      = (1 − z)·sp(x) + q·z·sp(−x)
/// </code>
/// <para>The second line has no cancellation (both terms are ≥ 0 for q ≥ 0) and is what is computed, from one
/// e^−|x| per element; TensorFlow's and PyTorch's form (1 − z)·x + (1 + (q − 1)·z)·sp(−x) loses every digit for
/// z = 0 and x ≲ −15 in float32. Results are within 2 ULP in float32 and 3 ULP in float64 of the exact value.
/// float64 is computed in double lanes; float32 in float lanes for finite |x| ≤ 80 where 256-bit vectors are
/// accelerated (the combinations in double), else in double and rounded once; Half and other types are converted
/// exactly to double and rounded once back. An element's result depends on its own inputs only, never on its
/// neighbours or the number of threads.</para>
/// <para><b>Special values.</b> Any finite label is accepted (soft labels, also outside [0, 1]); any finite
/// pos_weight is accepted: q &gt; 1 raises recall, q &lt; 1 raises precision, q = 0 ignores the positive term, and a
/// negative q makes the loss unbounded below (TensorFlow accepts it; it is rarely what you want). A NaN logit, label
/// or weight gives NaN. Logits ±∞ give the mathematical limit, never NaN from 0·∞: x = +∞ gives loss 0 for z = 1
/// and +∞ for z &lt; 1; x = −∞ gives 0 for z = 0 and +∞ for z &gt; 0 with q &gt; 0 (a zero weight times an infinite
/// softplus counts as 0).</para>
/// <para><b>Shapes.</b> The span overloads take flat row-major data: <c>posWeight</c> has length 1 (one weight for
/// every element) or C, where the length of <c>logits</c> is a multiple of C and element i uses
/// <c>posWeight[i % C]</c>, a weight per class along the last axis. The tensor overloads broadcast pos_weight
/// right-aligned as TensorFlow and PyTorch do.</para>
/// </remarks>
public static partial class Nn
{
    /// <summary>
    /// The elementwise weighted cross-entropy (TensorFlow's <c>tf.nn.weighted_cross_entropy_with_logits</c>):
    /// <c>destination[i] = (1 − z)·sp(x) + q·z·sp(−x)</c> with x = logits[i], z = labels[i],
    /// q = posWeight[i % posWeight.Length].
    /// </summary>
    /// <typeparam name="T">float, double, Half, or any other IEEE 754 type (computed in double).</typeparam>
    /// <param name="labels">Targets z, one per logit. Any finite value (soft labels too). NaN gives NaN.</param>
    /// <param name="logits">Logits x. ±∞ gives the limit (see <see cref="Nn"/>); NaN gives NaN.</param>
    /// <param name="posWeight">One weight for every element, or C weights, one per class along the last axis
    /// (logits.Length must be a multiple of C). Zero and negative weights are accepted.</param>
    /// <param name="destination">Receives the loss; same length as <paramref name="logits"/>. It may be the very
    /// span of <paramref name="labels"/> or <paramref name="logits"/> (in place), but not overlap one partly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="posWeight"/> is empty or its length does
    /// not divide the logits' length, or <paramref name="destination"/> partly overlaps an input.</exception>
    public static void WeightedCrossEntropyWithLogits<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        SpanValidation.Check(labels, logits, posWeight, destination, nameof(destination));
        Dispatch.Apply<LossOperator, T>(labels, logits, posWeight, 0, destination, Scale.One);
    }

    /// <summary>
    /// The elementwise gradient of <see cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
    /// with respect to the logits: <c>destination[i] = (1 − z)·σ(x) − q·z·σ(−x)</c>.
    /// </summary>
    /// <remarks>At x = +∞ the gradient is 1 − z; at x = −∞ it is −q·z; NaN in any input gives NaN. At x = 0 it is
    /// (1 − z)/2 − q·z/2 (the true derivative, where autodiff through abs/relu is not).</remarks>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/exception"/>
    public static void WeightedCrossEntropyWithLogitsGradient<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        SpanValidation.Check(labels, logits, posWeight, destination, nameof(destination));
        Dispatch.Apply<LogitsGradientOperator, T>(labels, logits, posWeight, 0, destination, Scale.One);
    }

    /// <summary>
    /// The elementwise gradient with respect to the labels: <c>destination[i] = q·sp(−x) − sp(x)</c>.
    /// </summary>
    /// <remarks>At x = +∞ it is −∞; at x = −∞ it is +∞ for q &gt; 0, 0 for q = 0 and −∞ for q &lt; 0. NaN in any
    /// input gives NaN.</remarks>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/exception"/>
    public static void WeightedCrossEntropyWithLogitsLabelsGradient<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        SpanValidation.Check(labels, logits, posWeight, destination, nameof(destination));
        Dispatch.Apply<LabelsGradientOperator, T>(labels, logits, posWeight, 0, destination, Scale.One);
    }

    /// <summary>
    /// The elementwise gradient with respect to pos_weight, before any sum over classes:
    /// <c>destination[i] = z·sp(−x)</c>. Sum it over the elements that share a weight to get the gradient of a
    /// per-class weight (the tensor overloads do that for you).
    /// </summary>
    /// <remarks>At x = +∞ it is 0; at x = −∞ it is +∞ for z &gt; 0 and 0 for z = 0. It does not depend on q, but NaN
    /// in any input, q included, gives NaN (as every result of this library); q = ±∞ does not.</remarks>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/exception"/>
    public static void WeightedCrossEntropyWithLogitsPosWeightGradient<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        SpanValidation.Check(labels, logits, posWeight, destination, nameof(destination));
        Dispatch.Apply<PosWeightGradientOperator, T>(labels, logits, posWeight, 0, destination, Scale.One);
    }

    /// <summary>
    /// One pass for a training step: returns the <see cref="Reduction.Sum"/> or <see cref="Reduction.Mean"/> of the
    /// weighted cross-entropy over all elements and writes that reduced loss's gradient with respect to the logits
    /// (for Mean, each element's gradient divided by the element count).
    /// </summary>
    /// <param name="logitsGradient">Receives ∂(reduced loss)/∂logits; same length as <paramref name="logits"/>; may
    /// be the very span of an input (in place).</param>
    /// <param name="reduction"><see cref="Reduction.Sum"/> or <see cref="Reduction.Mean"/> (the default).</param>
    /// <returns>The reduced loss, summed in double with compensated summation and rounded once to
    /// <typeparamref name="T"/>. Empty input: Sum is 0, Mean is NaN (0/0, as TensorFlow's reduce_mean). An infinite
    /// element loss makes the result +∞; a NaN makes it NaN.</returns>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is <see cref="Reduction.None"/> or not a
    /// defined value, or the spans break the rules of the elementwise overload.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='logits']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='posWeight']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    public static T WeightedCrossEntropyWithLogitsAndGradient<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> logitsGradient,
        Reduction reduction = Reduction.Mean)
        where T : IFloatingPointIeee754<T>
    {
        CheckFusedReduction(reduction);
        SpanValidation.Check(labels, logits, posWeight, logitsGradient, nameof(logitsGradient));
        int n = logits.Length;
        var scale = reduction == Reduction.Sum ? Scale.One : Scale.Reciprocal(n);
        double sum = Dispatch.Apply<LossAndLogitsGradientOperator, T>(
            labels, logits, posWeight, 0, logitsGradient, scale);
        return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / n);
    }

    /// <summary>
    /// The weighted cross-entropy reduced to one number, without a gradient: the <see cref="Reduction.Sum"/> or
    /// <see cref="Reduction.Mean"/> over all elements of <c>(1 − z)·sp(x) + q·z·sp(−x)</c> with x = logits[i],
    /// z = labels[i], q = posWeight[i % posWeight.Length] (TensorFlow's
    /// <c>tf.reduce_mean(tf.nn.weighted_cross_entropy_with_logits(...))</c>, PyTorch's
    /// <c>binary_cross_entropy_with_logits(..., pos_weight=..., reduction="mean")</c>). For a validation loss or
    /// logging, where no gradient buffer is wanted.
    /// </summary>
    /// <remarks>
    /// <para>One pass: each element's loss is the elementwise overload's, summed as
    /// <see cref="WeightedCrossEntropyWithLogitsAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Reduction)"/>
    /// sums its losses (in double, compensated, in chunks fixed by the length, so the same bits for any number of
    /// threads) and rounded once to <typeparamref name="T"/>: within 4 ULP of the correctly rounded sum of the
    /// elementwise losses in float64, 1 ULP (Sum) and 2 ULP (Mean) in float32, the bounds of that call's Sum and Mean.
    /// The losses pass through a pooled scratch buffer of the logits' length.</para>
    /// <para><b>Special values.</b> NaN in any input makes the result NaN. Logits ±∞ contribute the element's limit
    /// (0 or +∞, see <see cref="Nn"/>), so an element with an infinite loss makes the result +∞. pos_weight 0 drops
    /// the positive term (also at x = −∞); a negative pos_weight makes a positive element's loss negative and the
    /// sum unbounded below (accepted as TensorFlow does): −∞ at x = −∞, and NaN where +∞ and −∞ meet.</para>
    /// <para><b>Shapes.</b> <paramref name="posWeight"/> has length 1 (one weight for every element) or C, one per
    /// class along the last axis: the logits' length must be a multiple of C, and element i uses
    /// <c>posWeight[i % C]</c>. For right-aligned broadcasting of other shapes use the tensor overloads.</para>
    /// </remarks>
    /// <param name="reduction"><see cref="Reduction.Sum"/> or <see cref="Reduction.Mean"/>;
    /// <see cref="Reduction.None"/> has no single number (call the overload with a destination).</param>
    /// <returns>The Sum, or the Sum divided by the element count. Empty input: Sum 0, Mean NaN (0/0, as TensorFlow's
    /// <c>reduce_mean</c>).</returns>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is <see cref="Reduction.None"/> or not a
    /// defined value, lengths differ, or <paramref name="posWeight"/> is empty or its length does not divide the
    /// logits' length.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='logits']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='posWeight']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    public static T WeightedCrossEntropyWithLogits<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Reduction reduction)
        where T : IFloatingPointIeee754<T>
    {
        CheckReduced(reduction);
        int n = logits.Length;
        var scratch = ArrayPool<T>.Shared.Rent(n);
        try
        {
            var losses = scratch.AsSpan(0, n);
            SpanValidation.Check(labels, logits, posWeight, losses, "logits");
            double sum = Dispatch.Apply<Summed<LossOperator>, T>(labels, logits, posWeight, 0, losses, Scale.One);
            return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / n);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private static void CheckReduced(Reduction reduction)
    {
        if (reduction is not (Reduction.Sum or Reduction.Mean or Reduction.WeightedMean))
        {
            throw new ArgumentException(
                $"reduction must be Sum or Mean for a reduced loss, not {reduction}; for per-element losses call " +
                "WeightedCrossEntropyWithLogits with a destination span.",
                nameof(reduction));
        }
    }

    private static void CheckFusedReduction(Reduction reduction)
    {
        if (reduction is not (Reduction.Sum or Reduction.Mean or Reduction.WeightedMean))
        {
            throw new ArgumentException(
                $"reduction must be Sum or Mean for the fused loss and gradient, not {reduction}; for per-element " +
                "losses call WeightedCrossEntropyWithLogits and WeightedCrossEntropyWithLogitsGradient.",
                nameof(reduction));
        }
    }

    /// <summary>
    /// TensorFlow's <c>tf.nn.sigmoid_cross_entropy_with_logits</c>: the weighted loss with pos_weight 1,
    /// <c>destination[i] = (1 − z)·sp(x) + z·sp(−x)</c>.
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='logits']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='destination']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    /// <exception cref="ArgumentException">Lengths differ, or <paramref name="destination"/> partly overlaps an
    /// input.</exception>
    public static void SigmoidCrossEntropyWithLogits<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> one = [T.One];
        WeightedCrossEntropyWithLogits(labels, logits, one, destination);
    }
}
