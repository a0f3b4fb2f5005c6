using TorchSharp;
using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp.Internal;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// Any device and floating-point dtype, from torch operations: the same cancellation-free form as the CPU kernels,
/// (1 − z)·sp(x) + q·z·sp(−x) with sp(t) = max(t, 0) + log1p(e^−|t|) and one e^−|x| for both softplus values, a zero
/// factor times an infinite softplus counted as 0 (so ±∞ logits give the limits, not NaN). float16 and bfloat16 are
/// computed in float32 and rounded once to their dtype; reductions and the sums of the pos_weight gradient are taken
/// in float64. The per-element weight is not applied here: <see cref="ElementWeight"/> composes it.
/// </summary>
internal sealed class TorchKernels : IKernels
{
    public static readonly TorchKernels Instance = new();

    public bool AppliesWeight => false;

    public Tensor Loss(LossCall call)
    {
        using var scope = NewDisposeScope();
        var (x, z, q) = Inputs(call);
        var (spPositive, spNegative) = Softplus(x);
        using var one = ScalarOne(x);
        var loss = TimesOrZero(one - z, spPositive) + TimesOrZero(q is null ? z : q * z, spNegative);
        return scope.MoveToOuter(loss.to(call.DType));
    }

    public Tensor Reduce(LossCall call, bool withInputGradient, out Tensor? inputGradient)
    {
        inputGradient = null;
        using var scope = NewDisposeScope();
        var loss = Loss(call);
        var sum = loss.sum(ScalarType.Float64);
        var reduced = call.Reduction == Reduction.Mean ? sum / (double)call.Count : sum;
        return scope.MoveToOuter(reduced.to(call.DType));
    }

    public LossGradients Gradients(
        LossCall call, Tensor? upstream, Reduction reduction, bool target, bool input, bool posWeight,
        bool weight = false)
    {
        using var scope = NewDisposeScope();
        var (x, z, q) = Inputs(call);
        var u = upstream?.to(x.dtype);
        double scale = upstream is null && reduction == Reduction.Mean ? 1.0 / call.Count : 1.0;
        Tensor Scaled(Tensor local) => u is not null ? local * u : scale == 1.0 ? local : local / (double)call.Count;

        Tensor? dTarget = null, dInput = null, dPosWeight = null;
        using var one = ScalarOne(x);
        if (input)
        {
            var positive = q is null ? z : q * z;
            var local = (one - z) * x.sigmoid() - positive * (-x).sigmoid();
            dInput = scope.MoveToOuter(Scaled(local).to(call.DType));
        }

        if (target || posWeight)
        {
            var (spPositive, spNegative) = Softplus(x);
            if (target)
            {
                var local = (q is null ? spNegative : TimesOrZero(q, spNegative)) - spPositive;
                dTarget = scope.MoveToOuter(Scaled(local).to(call.DType));
            }

            if (posWeight && call.PosWeight is not null)
            {
                var local = Scaled(TimesOrZero(z, spNegative));
                dPosWeight = scope.MoveToOuter(SumTo(local, call.PosWeight.shape).to(call.DType));
            }
        }

        return new LossGradients(dTarget, dInput, dPosWeight);
    }

    /// <summary>Sums <paramref name="values"/> over the axes along which a tensor of <paramref name="shape"/> was
    /// broadcast to it (in float64), giving a float64 tensor of that shape.</summary>
    internal static Tensor SumTo(Tensor values, long[] shape)
    {
        using var scope = NewDisposeScope();
        long[] full = values.shape;
        int lead = full.Length - shape.Length;
        var axes = new List<long>();
        for (int i = 0; i < full.Length; i++)
        {
            if (i < lead || (shape[i - lead] == 1 && full[i] != 1))
            {
                axes.Add(i);
            }
        }

        var summed = axes.Count > 0
            ? values.sum([.. axes], keepdim: true, type: ScalarType.Float64)
            : values.to(ScalarType.Float64);
        return scope.MoveToOuter(summed.reshape(shape));
    }

    private static (Tensor X, Tensor Z, Tensor? Q) Inputs(LossCall call)
    {
        var compute = call.DType is ScalarType.Float16 or ScalarType.BFloat16 ? ScalarType.Float32 : call.DType;
        return (call.Input.to(compute), call.Target.to(compute), call.PosWeight?.to(compute));
    }

    private static Tensor ScalarOne(Tensor like) => tensor(1.0, like.dtype, like.device);

    /// <summary>sp(x) and sp(−x) from one e^−|x|.</summary>
    private static (Tensor Positive, Tensor Negative) Softplus(Tensor x)
    {
        var log1p = x.abs().neg().exp().log1p();
        return (x.relu() + log1p, x.neg().relu() + log1p);
    }

    /// <summary>factor·value, where a zero factor times an infinite value counts as 0 (the limit, not NaN).</summary>
    private static Tensor TimesOrZero(Tensor factor, Tensor value)
    {
        var product = factor * value;
        var zero = zeros_like(product);
        return product.where(factor.ne(0).logical_or(value.isinf().logical_not()), zero);
    }
}
