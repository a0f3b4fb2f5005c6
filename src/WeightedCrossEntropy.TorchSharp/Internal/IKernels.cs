using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp.Internal;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>The gradients one backward pass produces; null where not asked for.</summary>
internal readonly record struct LossGradients(Tensor? Target, Tensor? Input, Tensor? PosWeight, Tensor? Weight = null);

/// <summary>
/// Computes the loss (1 − z)·sp(x) + q·z·sp(−x) and its gradients, for every tensor the call holds, times the call's
/// per-element weight w where <see cref="AppliesWeight"/> (else unweighted, and <see cref="ElementWeight"/> applies
/// w). Implemented by this library's CPU kernels (<see cref="CoreKernels"/>, which apply w) and by torch operations
/// (<see cref="TorchKernels"/>, which do not). Every method returns new tensors the caller owns.
/// </summary>
internal interface IKernels
{
    /// <summary>Whether the loss, its reductions and its gradients include the call's weight w (multiplied in
    /// before each value's one rounding), and <see cref="Gradients"/> can give ∂/∂w.</summary>
    bool AppliesWeight { get; }

    /// <summary>The elementwise loss, a dense tensor of the input's shape and dtype.</summary>
    Tensor Loss(LossCall call);

    /// <summary>The Sum or Mean of the loss, a 0-dim tensor of the input's dtype; with
    /// <paramref name="withInputGradient"/>, also ∂(reduced loss)/∂input when the kernels can produce it in the same
    /// pass (else <paramref name="inputGradient"/> is null and backward computes it).</summary>
    Tensor Reduce(LossCall call, bool withInputGradient, out Tensor? inputGradient);

    /// <summary>The gradients asked for, each times the upstream gradient: <paramref name="upstream"/> (dense, the
    /// input's shape) when given, else 1 for Sum and 1/N for Mean (<paramref name="reduction"/>). The pos_weight
    /// gradient is summed to pos_weight's shape; the weight's (<paramref name="weight"/>, only where
    /// <see cref="AppliesWeight"/>) is the unweighted loss times the upstream gradient, summed to the weight's
    /// shape.</summary>
    LossGradients Gradients(
        LossCall call, Tensor? upstream, Reduction reduction, bool target, bool input, bool posWeight,
        bool weight = false);
}
