using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp.Internal;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// Runs a validated call: directly when no gradient is wanted, else as a TorchSharp autograd function whose backward
/// cannot throw (an exception there would abort the process).
/// </summary>
internal static class LossRunner
{
    public static Tensor Run(LossCall call)
    {
        try
        {
            return RunOwned(call);
        }
        finally
        {
            foreach (var t in call.Owned)
            {
                t.Dispose();
            }
        }
    }

    private static Tensor RunOwned(LossCall call)
    {
        PendingDisposals.Flush();
        IKernels kernels = CoreKernels.Supports(call) ? CoreKernels.Instance : TorchKernels.Instance;
        if (!is_grad_enabled() || !call.NeedsAnyGradient)
        {
            return Forward(kernels, call, keepForBackward: false, out _, out _);
        }

        var state = new CallState(call, kernels);
        try
        {
            return WceFunction.apply(call.Input, call.Target, call.PosWeight!, call.Weight!, state);
        }
        finally
        {
            // Autograd wrapped the result and saved what backward needs; these wrappers are no longer used.
            state.Result?.Dispose();
            state.InputGradient?.Dispose();
            state.ElementLoss?.Dispose();
        }
    }

    /// <summary>The loss, and when <paramref name="keepForBackward"/> what backward can reuse: the input gradient
    /// of a fused reduction, and where the kernels do not apply the weight themselves, the unweighted elementwise
    /// loss for the weight's gradient.</summary>
    internal static Tensor Forward(
        IKernels kernels, LossCall call, bool keepForBackward, out Tensor? inputGradient, out Tensor? elementLoss)
    {
        inputGradient = null;
        elementLoss = null;
        if (call.Weight is not null && !kernels.AppliesWeight)
        {
            return ElementWeight.Forward(kernels, call, keepForBackward && call.NeedWeight, out elementLoss);
        }

        return call.Reduction == Reduction.None
            ? kernels.Loss(call)
            : kernels.Reduce(call, keepForBackward && call.NeedInput, out inputGradient);
    }

    internal sealed class CallState(LossCall call, IKernels kernels)
    {
        public LossCall Call { get; } = call;

        public IKernels Kernels { get; } = kernels;

        public Tensor? Result { get; set; }

        public Tensor? InputGradient { get; set; }

        public Tensor? ElementLoss { get; set; }
    }
}

/// <summary>The autograd node: arguments (input, target, pos_weight, weight, state); null tensors are absent.</summary>
internal sealed class WceFunction : autograd.SingleTensorFunction<WceFunction>
{
    private const string StateKey = "state";

    public override string Name => "WeightedCrossEntropyWithLogits";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var state = (LossRunner.CallState)vars[4];
        var result = LossRunner.Forward(
            state.Kernels, state.Call, keepForBackward: true, out var inputGradient, out var elementLoss);
        state.Result = result;
        state.InputGradient = inputGradient;
        state.ElementLoss = elementLoss;
        var call = state.Call;
        ctx.save_for_backward([call.Input, call.Target, call.PosWeight!, call.Weight!, inputGradient!, elementLoss!]);
        ctx.save_data(StateKey, new Saved(call, state.Kernels));
        return result;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        PendingDisposals.Flush();
        List<Tensor>? saved = null;
        Tensor?[] gradients = new Tensor?[5];
        try
        {
            saved = ctx.get_saved_variables();
            var meta = (Saved)ctx.get_data(StateKey);
            var call = meta.Call.With(saved[0], saved[1], saved[2], saved[3]);
            Backward(meta.Kernels, call, grad_output, saved[4], saved[5], gradients);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Unreachable by design (every check is made before forward); throwing here would abort the process.
            Trace.TraceError("WeightedCrossEntropy.TorchSharp: backward failed, gradients set to NaN: {0}", e);
            Console.Error.WriteLine($"WeightedCrossEntropy.TorchSharp: backward failed, gradients set to NaN: {e}");
            NaNGradients(saved, gradients);
        }
        finally
        {
            if (saved is not null)
            {
                foreach (var t in saved)
                {
                    if (t is not null && !gradients.Any(g => ReferenceEquals(g, t)))
                    {
                        t.Dispose();
                    }
                }
            }

            grad_output.Dispose();
        }

        PendingDisposals.Add(gradients);
        return [.. gradients.Select(t => t!)];
    }

    private static void Backward(
        IKernels kernels, LossCall call, Tensor gradOutput, Tensor? inputGradient, Tensor? elementLoss,
        Tensor?[] gradients)
    {
        LossGradients g;
        bool needWeight = call.NeedWeight && call.Weight is not null;
        if (call.Weight is not null && !kernels.AppliesWeight)
        {
            g = ElementWeight.Backward(kernels, call, gradOutput, elementLoss, out var weightGradient);
            g = g with { Weight = weightGradient };
        }
        else if (call.Reduction == Reduction.None)
        {
            g = kernels.Gradients(
                call, gradOutput, Reduction.None, call.NeedTarget, call.NeedInput, call.NeedPosWeight, needWeight);
        }
        else
        {
            bool unit = IsOne(gradOutput);
            bool needInput = call.NeedInput && inputGradient is null;
            g = call.NeedTarget || call.NeedPosWeight || needInput || needWeight
                ? kernels.Gradients(
                    call, null, call.Reduction, call.NeedTarget, needInput, call.NeedPosWeight, needWeight)
                : default;
            if (inputGradient is not null)
            {
                g = g with { Input = inputGradient };
            }

            if (!unit)
            {
                g = new LossGradients(
                    Scale(g.Target, gradOutput), Scale(g.Input, gradOutput), Scale(g.PosWeight, gradOutput),
                    Scale(g.Weight, gradOutput));
            }
        }

        gradients[0] = g.Input;
        gradients[1] = g.Target;
        gradients[2] = g.PosWeight;
        gradients[3] = g.Weight;
    }

    private static bool IsOne(Tensor scalar)
    {
        using var value = scalar.to(ScalarType.Float64, CPU);
        return value.item<double>() == 1.0;
    }

    /// <summary>gradient·scale in a new tensor; the gradient is disposed.</summary>
    private static Tensor? Scale(Tensor? gradient, Tensor scale)
    {
        if (gradient is null)
        {
            return null;
        }

        using (gradient)
        {
            return gradient * scale;
        }
    }

    private static void NaNGradients(List<Tensor>? saved, Tensor?[] gradients)
    {
        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i]?.Dispose();
            gradients[i] = null;
        }

        if (saved is null)
        {
            return;
        }

        try
        {
            for (int i = 0; i < 4; i++)
            {
                var t = saved[i];
                if (t is not null && t.requires_grad)
                {
                    gradients[i] = full(t.shape, double.NaN, t.dtype, t.device);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Trace.TraceError("WeightedCrossEntropy.TorchSharp: could not build NaN gradients: {0}", e);
        }
    }

    private sealed record Saved(LossCall Call, IKernels Kernels);
}
