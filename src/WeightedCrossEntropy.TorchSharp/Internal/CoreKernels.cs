using System.Numerics;
using System.Runtime.InteropServices;
using NumericsTensors = System.Numerics.Tensors;
using TorchTensor = TorchSharp.torch.Tensor;
using ScalarType = TorchSharp.torch.ScalarType;
using DeviceType = TorchSharp.DeviceType;

namespace WeightedCrossEntropy.TorchSharp.Internal;

using Reduction = global::TorchSharp.torch.nn.Reduction;
using CoreReduction = WeightedCrossEntropy.Reduction;
using Torch = global::TorchSharp.torch;

/// <summary>
/// CPU float32 and float64 tensors on this library's kernels (<see cref="Nn"/>): contiguous tensors are read in place
/// through their storage; non-contiguous ones are made contiguous first (one copy by libtorch). The elementwise loss
/// and the fused Sum/Mean with its input gradient are written straight into new torch tensors when pos_weight repeats
/// along the trailing axes (a scalar, [C], or any shape equal to the input's trailing axes); other broadcast patterns
/// and the gradients of backward come back as <see cref="NumericsTensors.Tensor{T}"/> and are copied once into a
/// torch tensor.
/// </summary>
/// <remarks>The per-element weight is the kernels' sample weight: w multiplies each element's loss and local
/// derivative before its one rounding, in the same pass (within 2 ULP in float32 and 3 ULP in float64 of the exact
/// w·loss). On the span path it is handed over as a span that cycles along the elements: as it is when it repeats
/// along the trailing axes (one value, [C], or the input's trailing axes), else expanded to the input's shape (one
/// copy by libtorch, e.g. [N, 1] against [N, C]). The tensor overloads broadcast it themselves and give its gradient,
/// summed to its shape.</remarks>
internal sealed class CoreKernels : IKernels
{
    public static readonly CoreKernels Instance = new();

    public bool AppliesWeight => true;

    /// <summary>Whether the call can run here: CPU, float32 or float64, not empty, and each tensor's data within the
    /// 2 GiB a span can address.</summary>
    public static bool Supports(LossCall call)
    {
        if (call.Input.device_type != DeviceType.CPU || call.Count == 0)
        {
            return false;
        }

        long size = call.DType switch
        {
            ScalarType.Float32 => sizeof(float),
            ScalarType.Float64 => sizeof(double),
            _ => 0,
        };
        return size != 0 && call.Count <= int.MaxValue / size;
    }

    public TorchTensor Loss(LossCall call) =>
        call.DType == ScalarType.Float32 ? Loss<float>(call) : Loss<double>(call);

    public TorchTensor Reduce(LossCall call, bool withInputGradient, out TorchTensor? inputGradient) =>
        call.DType == ScalarType.Float32
            ? Reduce<float>(call, withInputGradient, out inputGradient)
            : Reduce<double>(call, withInputGradient, out inputGradient);

    public LossGradients Gradients(
        LossCall call, TorchTensor? upstream, Reduction reduction, bool target, bool input, bool posWeight,
        bool weight = false) =>
        call.DType == ScalarType.Float32
            ? Gradients<float>(call, upstream, reduction, target, input, posWeight, weight)
            : Gradients<double>(call, upstream, reduction, target, input, posWeight, weight);

    private static TorchTensor Loss<T>(LossCall call)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var x = call.Input.contiguous();
        using var z = call.Target.contiguous();
        using var q = call.PosWeight?.contiguous();
        var output = Torch.empty(call.Shape, call.DType, call.Input.device);
        if (IsCyclic(call.PosWeight, call.Shape))
        {
            ReadOnlySpan<T> one = [T.One];
            var qs = q is null ? one : Data<T>(q);
            if (call.Weight is null)
            {
                Nn.WeightedCrossEntropyWithLogits(Data<T>(z), Data<T>(x), qs, Data<T>(output));
            }
            else
            {
                using var w = CyclingWeight(call);
                Nn.WeightedCrossEntropyWithLogits(Data<T>(z), Data<T>(x), qs, Data<T>(w), Data<T>(output));
            }
        }
        else
        {
            using var w = call.Weight?.contiguous();
            var result = w is null
                ? Nn.WeightedCrossEntropyWithLogits(View<T>(z), View<T>(x), View<T>(q!))
                : Nn.WeightedCrossEntropyWithLogits(View<T>(z), View<T>(x), View<T>(q!), View<T>(w));
            result.FlattenTo(Data<T>(output));
        }

        return output;
    }

    private static TorchTensor Reduce<T>(LossCall call, bool withInputGradient, out TorchTensor? inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var x = call.Input.contiguous();
        using var z = call.Target.contiguous();
        using var q = call.PosWeight?.contiguous();
        var reduction = ToCore(call.Reduction);
        T value;
        inputGradient = null;
        ReadOnlySpan<T> one = [T.One];
        if (call.Weight is not null && IsCyclic(call.PosWeight, call.Shape))
        {
            using var w = CyclingWeight(call);
            var qs = q is null ? one : Data<T>(q);
            if (withInputGradient)
            {
                inputGradient = Torch.empty(call.Shape, call.DType, call.Input.device);
                value = Nn.WeightedCrossEntropyWithLogitsAndGradient(
                    Data<T>(z), Data<T>(x), qs, Data<T>(w), Data<T>(inputGradient), reduction);
            }
            else
            {
                value = Nn.WeightedCrossEntropyWithLogits(Data<T>(z), Data<T>(x), qs, Data<T>(w), reduction);
            }
        }
        else if (call.Weight is not null)
        {
            using var w = call.Weight.contiguous();
            value = Nn.WeightedCrossEntropyWithLogits(View<T>(z), View<T>(x), View<T>(q!), View<T>(w), reduction);
        }
        else if (withInputGradient && IsCyclic(call.PosWeight, call.Shape))
        {
            inputGradient = Torch.empty(call.Shape, call.DType, call.Input.device);
            value = Nn.WeightedCrossEntropyWithLogitsAndGradient(
                Data<T>(z), Data<T>(x), q is null ? one : Data<T>(q), Data<T>(inputGradient), reduction);
        }
        else
        {
            value = q is null
                ? Nn.WeightedCrossEntropyWithLogits(View<T>(z), View<T>(x), T.One, reduction)
                : Nn.WeightedCrossEntropyWithLogits(View<T>(z), View<T>(x), View<T>(q), reduction);
        }

        return Torch.tensor(double.CreateTruncating(value), call.DType, call.Input.device);
    }

    private static LossGradients Gradients<T>(
        LossCall call, TorchTensor? upstream, Reduction reduction, bool target, bool input, bool posWeight,
        bool weight)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var x = call.Input.contiguous();
        using var z = call.Target.contiguous();
        using var q = call.PosWeight?.contiguous();
        using var w = call.Weight?.contiguous();
        using var u = upstream?.contiguous();
        WeightedCrossEntropyGradients<T> g;
        if (w is not null)
        {
            var qv = q is null ? new NumericsTensors.ReadOnlyTensorSpan<T>([T.One]) : View<T>(q);
            g = u is null
                ? Nn.WeightedCrossEntropyWithLogitsGradients(View<T>(z), View<T>(x), qv, View<T>(w), ToCore(reduction))
                : Nn.WeightedCrossEntropyWithLogitsGradients(View<T>(z), View<T>(x), qv, View<T>(w), View<T>(u));
        }
        else if (u is null)
        {
            var coreReduction = ToCore(reduction);
            g = q is null
                ? Nn.WeightedCrossEntropyWithLogitsGradients(View<T>(z), View<T>(x), T.One, coreReduction)
                : Nn.WeightedCrossEntropyWithLogitsGradients(View<T>(z), View<T>(x), View<T>(q), coreReduction);
        }
        else
        {
            g = q is null
                ? Nn.WeightedCrossEntropyWithLogitsGradients(View<T>(z), View<T>(x), T.One, View<T>(u))
                : Nn.WeightedCrossEntropyWithLogitsGradients(View<T>(z), View<T>(x), View<T>(q), View<T>(u));
        }

        return new LossGradients(
            target ? ToTorch(g.Labels, call.Shape, call) : null,
            input ? ToTorch(g.Logits, call.Shape, call) : null,
            posWeight && call.PosWeight is not null ? ToTorch(g.PosWeight, call.PosWeight.shape, call) : null,
            weight && call.Weight is not null && g.SampleWeight is not null
                ? ToTorch(g.SampleWeight, call.Weight.shape, call)
                : null);
    }

    /// <summary>The weight as a contiguous tensor whose elements cycle along the input's (element i uses
    /// w[i mod w.numel()]): the weight itself where it repeats along the trailing axes, else expanded to the input's
    /// shape.</summary>
    private static TorchTensor CyclingWeight(LossCall call)
    {
        var weight = call.Weight!;
        if (IsCyclic(weight, call.Shape))
        {
            return weight.contiguous();
        }

        using var expanded = weight.expand(call.Shape);
        return expanded.contiguous();
    }

    /// <summary>Whether element i of the flat input of shape <paramref name="shape"/> uses weights[i % P]: the
    /// weights are absent, have one element, or their shape without leading 1-axes equals the input's trailing
    /// axes.</summary>
    private static bool IsCyclic(TorchTensor? weights, long[] shape)
    {
        if (weights is null || weights.numel() == 1)
        {
            return true;
        }

        long[] q = weights.shape;
        int lead = 0;
        while (lead < q.Length && q[lead] == 1)
        {
            lead++;
        }

        var trailing = q.AsSpan(lead);
        return trailing.Length <= shape.Length && trailing.SequenceEqual(shape.AsSpan(^trailing.Length));
    }

    private static CoreReduction ToCore(Reduction reduction) =>
        reduction == Reduction.Sum ? CoreReduction.Sum : CoreReduction.Mean;

    /// <summary>The elements of a contiguous CPU tensor, in place (its storage from its offset).</summary>
    private static Span<T> Data<T>(TorchTensor dense)
        where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(dense.bytes);

    /// <summary>A contiguous CPU tensor as a read-only tensor span of its own shape (a 0-dim tensor as [1]), in
    /// place.</summary>
    private static NumericsTensors.ReadOnlyTensorSpan<T> View<T>(TorchTensor dense)
        where T : unmanaged
    {
        long[] shape = dense.shape;
        Span<nint> lengths = stackalloc nint[System.Math.Max(shape.Length, 1)];
        lengths[0] = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            lengths[i] = checked((nint)shape[i]);
        }

        return new NumericsTensors.ReadOnlyTensorSpan<T>(Data<T>(dense), lengths);
    }

    private static TorchTensor ToTorch<T>(NumericsTensors.Tensor<T> values, long[] shape, LossCall call)
        where T : unmanaged
    {
        var output = Torch.empty(shape, call.DType, call.Input.device);
        if (output.numel() > 0)
        {
            values.FlattenTo(Data<T>(output));
        }

        return output;
    }
}
