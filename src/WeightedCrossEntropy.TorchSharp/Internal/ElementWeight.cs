using TorchSharp;
using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp.Internal;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// The per-element <c>weight</c> (TorchSharp's rescaling of each element's loss) for kernels that do not apply it
/// themselves (<see cref="IKernels.AppliesWeight"/> false): the torch-operation path (<see cref="TorchKernels"/>) for
/// other devices (CUDA), float16 and bfloat16, empty inputs and CPU tensors over 2 GiB. CPU float32 and float64 go
/// to <see cref="CoreKernels"/>, which multiply w in before the one rounding and never come here. The forward pass
/// multiplies the kernels' elementwise loss by w (broadcast by libtorch) and sums in float64; the backward pass hands
/// the kernels the upstream gradient times w as their upstream gradient, and the weight's own gradient is the
/// upstream gradient times the unweighted loss, summed to the weight's shape in float64.
/// </summary>
/// <remarks>Composition rounds once more than a kernel that applied w inside: the weighted elementwise loss is the
/// loss rounded to the dtype, times w, rounded again (up to one more half ULP), and each gradient's upstream factor
/// g·w (g/N·w for Mean) is rounded before the kernel multiplies it in.</remarks>
internal static class ElementWeight
{
    /// <summary>The weighted loss, reduced as the call asks; <paramref name="elementLoss"/> receives the unweighted
    /// elementwise loss when <paramref name="keepElementLoss"/> (the weight's gradient needs it), else null.</summary>
    public static Tensor Forward(IKernels kernels, LossCall call, bool keepElementLoss, out Tensor? elementLoss)
    {
        var weight = call.Weight!;
        using var scope = NewDisposeScope();
        var loss = kernels.Loss(call);
        var weighted = loss * weight;
        Tensor result = call.Reduction switch
        {
            Reduction.None => weighted,
            Reduction.Sum => weighted.sum(ScalarType.Float64).to(call.DType),
            _ => (weighted.sum(ScalarType.Float64) / (double)call.Count).to(call.DType),
        };
        elementLoss = keepElementLoss ? scope.MoveToOuter(loss) : null;
        return scope.MoveToOuter(result);
    }

    /// <summary>The gradients of the weighted loss for upstream gradient <paramref name="gradOutput"/> (the result's
    /// shape); <paramref name="weightGradient"/> receives ∂/∂weight when the call needs it.</summary>
    public static LossGradients Backward(
        IKernels kernels, LossCall call, Tensor gradOutput, Tensor? elementLoss, out Tensor? weightGradient)
    {
        var weight = call.Weight!;
        using var scope = NewDisposeScope();
        var perElement = call.Reduction == Reduction.Mean ? gradOutput / (double)call.Count : gradOutput;
        LossGradients gradients = default;
        if (call.NeedInput || call.NeedTarget || call.NeedPosWeight)
        {
            var upstream = (perElement * weight).expand(call.Shape).contiguous();
            gradients = kernels.Gradients(
                call, upstream, Reduction.None, call.NeedTarget, call.NeedInput, call.NeedPosWeight);
            foreach (var t in new[] { gradients.Target, gradients.Input, gradients.PosWeight })
            {
                if (t is not null)
                {
                    scope.MoveToOuter(t);
                }
            }
        }

        weightGradient = call.NeedWeight && elementLoss is not null
            ? scope.MoveToOuter(TorchKernels.SumTo(perElement * elementLoss, weight.shape).to(call.DType))
            : null;
        return gradients;
    }
}
