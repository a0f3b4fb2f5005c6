using TorchSharp;
using WeightedCrossEntropy.TorchSharp.Internal;
using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// TorchSharp's <c>binary_cross_entropy_with_logits</c> and <c>BCEWithLogitsLoss</c>, and TensorFlow's
/// <c>weighted_cross_entropy_with_logits</c>, computed without cancellation and with autograd through every input.
/// </summary>
/// <remarks>
/// <para>With x the input (logits), z the target (labels), q pos_weight and w the per-element weight, each element's
/// loss is <c>w·((1 − z)·sp(x) + q·z·sp(−x))</c>, sp(t) = log(1 + e^t). libtorch computes
/// <c>(1 − z)·x + (1 + (q − 1)·z)·sp(−x)</c> instead, which loses every digit in float32 for z = 0 and x ≲ −15 (it
/// returns 0 at x = −20, where the loss is 2.0611537e-09), returns a zero gradient at z = 1, x = 20, and NaN at
/// x = ±∞.</para>
/// <para><b>Gradients.</b> Autograd reaches every input that requires a gradient: the input
/// (w·((1 − z)·σ(x) − q·z·σ(−x))), the target (w·(q·sp(−x) − sp(x)), soft labels), pos_weight (w·z·sp(−x), summed
/// over the axes along which it was broadcast, for learnable class weights) and weight (the unweighted loss, summed
/// likewise); each times the upstream gradient (1/N of it for Mean).</para>
/// <para><b>Special values.</b> A NaN in any input gives NaN. Infinite inputs give the mathematical limit, never NaN
/// from 0·∞: x = +∞ gives loss 0 for z = 1 and +∞ for z &lt; 1; x = −∞ gives 0 for z = 0 and +∞ for z &gt; 0 with
/// q &gt; 0. Any finite target is accepted (soft labels, also outside [0, 1]). Any finite pos_weight is accepted:
/// q &gt; 1 favours recall, q &lt; 1 precision, q = 0 drops the positive term, and a negative q makes the loss
/// unbounded below. A zero weight drops the element, on the CPU kernels also where its loss is infinite (0, the limit;
/// the torch-operation path multiplies after the fact and gives 0·∞ = NaN there); a negative weight is accepted as
/// given.</para>
/// <para><b>Shapes.</b> target has the input's shape. pos_weight and weight broadcast right-aligned against the input,
/// as in TorchSharp: each of their axes, matched from the last, equals the input's axis or is 1, so a [C] tensor
/// applies to the <i>last</i> axis; for per-channel values on input [N, C, H, W] use [C, 1, 1]. Extra leading axes
/// must be 1: a tensor that would enlarge the result is rejected.</para>
/// <para><b>Where it runs.</b> CPU tensors of float32 and float64 run on this library's vectorized kernels, which read
/// contiguous tensors in place (non-contiguous ones are made contiguous first): every element's loss and gradient
/// is within 2 ULP (float32) and 3 ULP (float64) of the exact value, and Sum and Mean are summed in double with
/// compensated summation. Other devices (CUDA) and dtypes (float16, bfloat16, and CPU tensors over 2 GiB) compute the
/// same cancellation-free formula from torch operations (float16 and bfloat16 in float32, rounded once), so they
/// are at least as exact as libtorch's function and never NaN at ±∞. On the CPU kernels the per-element weight w is
/// multiplied into each element's loss and gradient before its one rounding, in the same pass, so w·loss and its
/// gradients keep the bounds above (2 ULP float32, 3 ULP float64 of the exact weighted value), and Mean is Σ w·loss
/// divided by the element count (PyTorch's <c>mean</c>, not Σ w). The torch-operation path multiplies the computed
/// loss and the upstream gradient by w, which rounds once more (about half an ULP), and sums its weighted reductions
/// in float64.</para>
/// <para><b>Errors</b> are <see cref="ArgumentException"/>s raised when the function is called (never from
/// <c>backward</c>): the input is not floating-point, the target's shape differs, a tensor has another dtype or
/// device than the input, or pos_weight or weight does not broadcast; the message names the argument and the
/// shapes.</para>
/// <para><b>Memory.</b> No tensor wrapper is left to the finalizer, with or without a <see cref="DisposeScope"/>: the
/// result belongs to the caller (and to the current DisposeScope, as any TorchSharp result).</para>
/// </remarks>
public static class Losses
{
    /// <summary>
    /// TensorFlow's <c>tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight)</c>: the elementwise
    /// loss <c>(1 − z)·sp(x) + q·z·sp(−x)</c>, a tensor of the logits' shape.
    /// </summary>
    /// <param name="labels">Targets z, the logits' shape, dtype and device. Soft labels are accepted.</param>
    /// <param name="logits">Logits x, floating-point.</param>
    /// <param name="pos_weight">Weights q of the positive term, broadcast right-aligned to the logits' shape ([C]
    /// for the last axis, [C, 1, 1] for the channels of [N, C, H, W]); may require a gradient.</param>
    /// <returns>The loss of every element; differentiable with respect to every argument that requires a
    /// gradient.</returns>
    /// <exception cref="ArgumentException">Shapes, dtypes or devices do not match (see <see cref="Losses"/>); unlike
    /// TensorFlow, a pos_weight that would enlarge the result is rejected.</exception>
    /// <inheritdoc cref="Losses" path="/remarks"/>
    public static Tensor weighted_cross_entropy_with_logits(Tensor labels, Tensor logits, Tensor pos_weight)
    {
        ArgumentNullException.ThrowIfNull(pos_weight);
        var call = LossCall.Create(
            nameof(weighted_cross_entropy_with_logits), logits, labels, null, Reduction.None, pos_weight,
            tensorFlowNames: true);
        return LossRunner.Run(call);
    }

    /// <summary>
    /// TensorFlow's <c>tf.nn.weighted_cross_entropy_with_logits</c> with one pos_weight for every element.
    /// </summary>
    /// <param name="pos_weight">The weight q of the positive term. Zero and negative values are accepted.</param>
    /// <inheritdoc cref="weighted_cross_entropy_with_logits(Tensor, Tensor, Tensor)"/>
    public static Tensor weighted_cross_entropy_with_logits(Tensor labels, Tensor logits, double pos_weight)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var q = tensor(pos_weight, logits.dtype, logits.device);
        return weighted_cross_entropy_with_logits(labels, logits, q);
    }

    /// <summary>
    /// A drop-in for <c>torch.nn.functional.binary_cross_entropy_with_logits</c> (same signature and broadcasting):
    /// <c>w·((1 − z)·sp(x) + q·z·sp(−x))</c> per element, reduced by <paramref name="reduction"/>.
    /// </summary>
    /// <param name="input">Logits x, floating-point, any shape.</param>
    /// <param name="target">Targets z, the input's shape, dtype and device; soft labels are accepted.</param>
    /// <param name="weight">Optional rescaling w of each element's loss, broadcast right-aligned to the input's
    /// shape.</param>
    /// <param name="reduction"><see cref="Reduction.Mean"/> (the default: the sum over all elements divided by their
    /// number; NaN for an empty input), <see cref="Reduction.Sum"/>, or <see cref="Reduction.None"/> (a tensor of the
    /// input's shape).</param>
    /// <param name="pos_weights">Optional weight q of the positive term, broadcast right-aligned to the input's shape:
    /// [C] for classes on the last axis, [C, 1, 1] for the channels of [N, C, H, W]. PyTorch suggests
    /// negatives/positives per class; <see cref="PosWeights"/> computes it from the labels.</param>
    /// <returns>The reduced loss (a 0-dim tensor) or the elementwise loss; differentiable with respect to every
    /// argument that requires a gradient.</returns>
    /// <exception cref="ArgumentException">Shapes, dtypes or devices do not match (see <see cref="Losses"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    /// <inheritdoc cref="Losses" path="/remarks"/>
    public static Tensor binary_cross_entropy_with_logits(
        Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
        Tensor? pos_weights = null)
    {
        var call = LossCall.Create(
            nameof(binary_cross_entropy_with_logits), input, target, weight, reduction, pos_weights);
        return LossRunner.Run(call);
    }

    /// <summary>
    /// A drop-in for <c>torch.nn.BCEWithLogitsLoss</c>: a module whose <c>forward(input, target)</c> is
    /// <see cref="binary_cross_entropy_with_logits"/> with these weights and reduction.
    /// </summary>
    /// <inheritdoc cref="binary_cross_entropy_with_logits" path="/param[@name='weight']"/>
    /// <inheritdoc cref="binary_cross_entropy_with_logits" path="/param[@name='reduction']"/>
    /// <inheritdoc cref="binary_cross_entropy_with_logits" path="/param[@name='pos_weights']"/>
    /// <returns>The loss module.</returns>
    /// <inheritdoc cref="Losses" path="/remarks"/>
    public static nn.Module<Tensor, Tensor, Tensor> BCEWithLogitsLoss(
        Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weights = null) =>
        new WeightedBCEWithLogitsLoss(weight, reduction, pos_weights);
}
