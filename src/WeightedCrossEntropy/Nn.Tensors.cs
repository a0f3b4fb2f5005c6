using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;
using WeightedCrossEntropy.Tensors;

namespace WeightedCrossEntropy;


// The tensor overloads. Every one validates the shapes, makes strided inputs dense, and hands the work to the span
// loop (Dispatch.Apply): directly for a scalar or a pos_weight that cycles along the trailing axes; for other
// broadcast patterns with the weights expanded over one period (up to 32 Ki elements), else run by run of the
// innermost axes (Tensors/BroadcastRuns.cs). Every form reaches all cores on large inputs.
public static partial class Nn
{
    /// <summary>
    /// TensorFlow's <c>tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight, name)</c> on tensors:
    /// the elementwise loss <c>(1 − z)·sp(x) + q·z·sp(−x)</c>, with pos_weight broadcast right-aligned against the
    /// logits.
    /// </summary>
    /// <remarks>
    /// <para><b>Special values</b> (as the span overloads; see <see cref="Nn"/>): a NaN logit, label or weight gives
    /// NaN; x = +∞ gives 0 for z = 1 and +∞ for z &lt; 1; x = −∞ gives 0 for z = 0 and +∞ for z &gt; 0 with q &gt; 0.
    /// Any finite label (soft labels too) and any finite pos_weight are accepted: q = 0 drops the positive term, and a
    /// negative q makes the loss unbounded below.</para>
    /// <para><b>Shapes.</b> <paramref name="labels"/> and <paramref name="logits"/> must have the same shape.
    /// <paramref name="posWeight"/> broadcasts right-aligned, as in TensorFlow and PyTorch: each of its axes, matched
    /// from the last, must equal the logits' axis or be 1. For logits [N, C] that is a scalar ([1]), [C], [1, C],
    /// [N, 1] or [N, C]; a [C] pos_weight always applies to the <i>last</i> axis, so for logits [N, C, H, W] the
    /// per-class weights must be shaped [C, 1, 1] (a [C] pos_weight there is matched against W, and rejected unless
    /// W = C or C = 1). Extra leading axes of length 1 are allowed. A pos_weight that would enlarge the result (an
    /// extra leading axis longer than 1, or an axis longer than the logits' axis of length 1, which TensorFlow
    /// silently broadcasts to a bigger result) is rejected, as PyTorch does: the result always has the logits'
    /// shape.</para>
    /// <para>Inputs may be strided views (slices, transposes); the result is a new dense tensor.</para>
    /// </remarks>
    /// <typeparam name="T">float, double, Half, or any other IEEE 754 type (computed in double).</typeparam>
    /// <param name="labels">Targets z, the logits' shape. Any finite value (soft labels too). NaN gives NaN.</param>
    /// <param name="logits">Logits x. ±∞ gives the limit; NaN gives NaN.</param>
    /// <param name="posWeight">Weights q of the positive term, broadcast right-aligned to the logits' shape (see
    /// remarks). Zero and negative weights are accepted.</param>
    /// <param name="name">The op's name, as TensorFlow's <c>name</c>: it prefixes error messages.</param>
    /// <returns>A new dense tensor of the logits' shape holding the loss of every element.</returns>
    /// <exception cref="ArgumentException"><paramref name="labels"/> and <paramref name="logits"/> have different
    /// shapes, or <paramref name="posWeight"/> is empty, cannot broadcast to the logits' shape, or would enlarge
    /// it. The message names the shapes and, when given, <paramref name="name"/>.</exception>
    public static Tensor<T> WeightedCrossEntropyWithLogits<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        string? name = null)
        where T : IFloatingPointIeee754<T> =>
        TensorLoss.Loss(labels, logits, posWeight, name, nameof(labels));

    /// <summary>
    /// TensorFlow's <c>tf.nn.weighted_cross_entropy_with_logits</c> on tensors with one pos_weight for every element:
    /// <c>(1 − z)·sp(x) + q·z·sp(−x)</c>.
    /// </summary>
    /// <remarks>Special values as in
    /// <see cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)"/>;
    /// inputs may be strided views; the result is a new dense tensor.</remarks>
    /// <param name="posWeight">The weight q of the positive term for every element. Zero and negative weights are
    /// accepted; NaN gives NaN everywhere.</param>
    /// <exception cref="ArgumentException"><paramref name="labels"/> and <paramref name="logits"/> have different
    /// shapes; the message names both and, when given, <paramref name="name"/>.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/returns"/>
    public static Tensor<T> WeightedCrossEntropyWithLogits<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, T posWeight, string? name = null)
        where T : IFloatingPointIeee754<T> =>
        TensorLoss.Loss(labels, logits, TensorLoss.Weights(posWeight), name, nameof(labels));

    /// <summary>
    /// The weighted cross-entropy on tensors reduced to one value: the <see cref="Reduction.Sum"/> or
    /// <see cref="Reduction.Mean"/> over all elements (PyTorch's <c>reduction</c>, Keras' <c>sum</c> and
    /// <c>sum_over_batch_size</c>).
    /// </summary>
    /// <param name="reduction"><see cref="Reduction.Sum"/> or <see cref="Reduction.Mean"/>. For
    /// <see cref="Reduction.None"/> call the overload without a reduction, which returns a tensor.</param>
    /// <returns>The reduced loss, summed in double with compensated summation (in fixed chunks combined in a fixed
    /// order, so the same bits for any <see cref="MaxDegreeOfParallelism"/>) and rounded once to
    /// <typeparamref name="T"/>. Empty input: Sum is 0, Mean is NaN (0/0, as TensorFlow's reduce_mean). An infinite
    /// element loss makes the result +∞ (or NaN with a negative pos_weight giving −∞ elsewhere); a NaN makes it
    /// NaN.</returns>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is <see cref="Reduction.None"/> or not a
    /// defined value, or the shapes break the rules of the elementwise overload.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/remarks"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    public static T WeightedCrossEntropyWithLogits<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        Reduction reduction, string? name = null)
        where T : IFloatingPointIeee754<T>
    {
        return TensorLoss.Reduce(labels, logits, posWeight, reduction, name);
    }

    /// <summary>
    /// The weighted cross-entropy on tensors with one pos_weight for every element, reduced to its
    /// <see cref="Reduction.Sum"/> or <see cref="Reduction.Mean"/>.
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/returns"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/exception"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, T, string?)" path="/param[@name='posWeight']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    public static T WeightedCrossEntropyWithLogits<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, T posWeight, Reduction reduction,
        string? name = null)
        where T : IFloatingPointIeee754<T>
    {
        return TensorLoss.Reduce(labels, logits, TensorLoss.Weights(posWeight), reduction, name);
    }

    /// <summary>
    /// TensorFlow's <c>tf.nn.sigmoid_cross_entropy_with_logits(labels, logits, name)</c> on tensors: the weighted
    /// loss with pos_weight 1, <c>(1 − z)·sp(x) + z·sp(−x)</c>.
    /// </summary>
    /// <remarks>A NaN logit or label gives NaN; x = +∞ gives 0 for z = 1 and +∞ for z &lt; 1; x = −∞ gives 0 for
    /// z = 0 and +∞ for z &gt; 0. Inputs may be strided views; the result is a new dense tensor.</remarks>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, T, string?)" path="/exception"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='logits']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='name']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/returns"/>
    public static Tensor<T> SigmoidCrossEntropyWithLogits<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, string? name = null)
        where T : IFloatingPointIeee754<T> =>
        TensorLoss.Loss(labels, logits, TensorLoss.Weights(T.One), name, nameof(labels));

    /// <summary>
    /// TensorFlow's <c>tf.nn.sigmoid_cross_entropy_with_logits</c> on tensors, reduced to its
    /// <see cref="Reduction.Sum"/> or <see cref="Reduction.Mean"/>.
    /// </summary>
    /// <remarks>A NaN logit or label gives NaN; x = +∞ gives 0 for z = 1 and +∞ for z &lt; 1; x = −∞ gives 0 for
    /// z = 0 and +∞ for z &gt; 0.</remarks>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/returns"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/exception"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/param[@name='reduction']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='logits']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param[@name='name']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    public static T SigmoidCrossEntropyWithLogits<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, Reduction reduction, string? name = null)
        where T : IFloatingPointIeee754<T>
    {
        return TensorLoss.Reduce(labels, logits, TensorLoss.Weights(T.One), reduction, name);
    }

    /// <summary>
    /// The gradients of an objective with respect to all three inputs of
    /// <see cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)"/>,
    /// given the objective's gradient with respect to each element's loss (TensorFlow's upstream gradient): what
    /// <c>tf.GradientTape.gradient</c> returns for labels, logits and pos_weight.
    /// </summary>
    /// <remarks>
    /// <para>With g = <paramref name="upstreamGradient"/>: labels get g·(q·sp(−x) − sp(x)), logits get
    /// g·((1 − z)·σ(x) − q·z·σ(−x)), and pos_weight gets g·z·sp(−x) summed over every axis along which it was
    /// broadcast, so it comes back in pos_weight's own shape (leading 1-axes included). Those sums are taken in double
    /// with every addition compensated, in fixed blocks combined in a fixed order: the same bits for any
    /// <see cref="MaxDegreeOfParallelism"/>, and no digit lost to the number of elements summed.</para>
    /// <para><b>Special values.</b> The local derivatives are the true ones at x = 0 ((1 − z)/2 − q·z/2 for the
    /// logits, where autodiff through abs/relu is not) and take their limits at x = ±∞: for the logits 1 − z at +∞
    /// and −q·z at −∞; for the labels −∞ at +∞ and, at −∞, +∞ for q &gt; 0, 0 for q = 0, −∞ for q &lt; 0; for
    /// pos_weight 0 at +∞ and, at −∞, +∞ for z &gt; 0, 0 for z = 0. The logits' gradient is g times the local
    /// derivative rounded once (the product formed before the rounding, as for a sample weight); the labels' and
    /// pos_weight's are multiplied by g after, with IEEE arithmetic: a zero upstream gradient times an infinite local
    /// derivative gives NaN, as in TensorFlow. NaN in any input gives NaN in the affected elements (and in the
    /// pos_weight sums they feed).</para>
    /// <para>Shapes as in the loss: labels and logits the same, pos_weight broadcast right-aligned without enlarging
    /// the result; <paramref name="upstreamGradient"/> must have the logits' shape. Inputs may be strided
    /// views.</para>
    /// </remarks>
    /// <param name="upstreamGradient">∂objective/∂loss for each element, the logits' shape (ones for the gradient of
    /// the sum).</param>
    /// <returns>New dense tensors: labels and logits gradients in the logits' shape, the pos_weight gradient in
    /// pos_weight's shape.</returns>
    /// <exception cref="ArgumentException">The shapes break the rules of the loss, or
    /// <paramref name="upstreamGradient"/> does not have the logits' shape.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    public static WeightedCrossEntropyGradients<T> WeightedCrossEntropyWithLogitsGradients<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        ReadOnlyTensorSpan<T> upstreamGradient, string? name = null)
        where T : IFloatingPointIeee754<T>
    {
        TensorLoss.CheckSameShape(labels, logits, name, nameof(labels));
        var weights = TensorLoss.Weights(posWeight, logits, name);
        return TensorLoss.Gradients(labels, logits, weights, posWeight.Lengths, upstreamGradient, null, name);
    }

    /// <summary>
    /// The gradients with respect to labels, logits and the one pos_weight of
    /// <see cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, T, string?)"/>,
    /// given the upstream gradient; the pos_weight gradient is the sum over all elements, in a tensor of shape [1].
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/remarks"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/returns"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/exception"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, T, string?)" path="/param[@name='posWeight']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    public static WeightedCrossEntropyGradients<T> WeightedCrossEntropyWithLogitsGradients<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, T posWeight,
        ReadOnlyTensorSpan<T> upstreamGradient, string? name = null)
        where T : IFloatingPointIeee754<T>
    {
        TensorLoss.CheckSameShape(labels, logits, name, nameof(labels));
        return TensorLoss.Gradients(labels, logits, TensorLoss.Weights(posWeight), [1], upstreamGradient, null, name);
    }

    /// <summary>
    /// The gradients of the reduced loss
    /// <see cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)"/>
    /// with respect to labels, logits and pos_weight: the upstream gradient is 1 for <see cref="Reduction.Sum"/>
    /// and 1/N for <see cref="Reduction.Mean"/> (N the element count). With Mean, each label and logit gradient is
    /// its exact value divided by N, rounded once (N need not be representable in <typeparamref name="T"/>).
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/remarks"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/returns"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/exception"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    public static WeightedCrossEntropyGradients<T> WeightedCrossEntropyWithLogitsGradients<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        Reduction reduction, string? name = null)
        where T : IFloatingPointIeee754<T>
    {
        TensorLoss.CheckReduction(reduction, name);
        TensorLoss.CheckSameShape(labels, logits, name, nameof(labels));
        var weights = TensorLoss.Weights(posWeight, logits, name);
        return TensorLoss.Gradients(labels, logits, weights, posWeight.Lengths, default, reduction, name);
    }

    /// <summary>
    /// The gradients of the reduced loss with one pos_weight for every element, with respect to labels, logits and
    /// that pos_weight (shape [1]): the upstream gradient is 1 for <see cref="Reduction.Sum"/> and 1/N for
    /// <see cref="Reduction.Mean"/>.
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/remarks"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradients{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/returns"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/exception"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, Reduction, string?)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, T, string?)" path="/param[@name='posWeight']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, string?)" path="/typeparam"/>
    public static WeightedCrossEntropyGradients<T> WeightedCrossEntropyWithLogitsGradients<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, T posWeight, Reduction reduction,
        string? name = null)
        where T : IFloatingPointIeee754<T>
    {
        TensorLoss.CheckReduction(reduction, name);
        TensorLoss.CheckSameShape(labels, logits, name, nameof(labels));
        return TensorLoss.Gradients(labels, logits, TensorLoss.Weights(posWeight), [1], default, reduction, name);
    }
}
