using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp.Internal;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>One validated call: the tensors, what reduces them, and which of them want a gradient.</summary>
internal sealed class LossCall
{
    private LossCall(Tensor input, Tensor target, Tensor? posWeight, Tensor? weight, Reduction reduction)
    {
        Input = input;
        Target = target;
        PosWeight = posWeight;
        Weight = weight;
        Reduction = reduction;
        Shape = input.shape;
        Count = input.numel();
        DType = input.dtype;
    }

    public Tensor Input { get; }

    public Tensor Target { get; }

    /// <summary>pos_weight; null means 1 for every element.</summary>
    public Tensor? PosWeight { get; }

    /// <summary>The per-element weight; null means none.</summary>
    public Tensor? Weight { get; }

    public Reduction Reduction { get; }

    public long[] Shape { get; }

    public long Count { get; }

    public ScalarType DType { get; }

    public bool NeedInput { get; private init; }

    public bool NeedTarget { get; private init; }

    public bool NeedPosWeight { get; private init; }

    public bool NeedWeight { get; private init; }

    public bool NeedsAnyGradient => NeedInput || NeedTarget || NeedPosWeight || NeedWeight;

    /// <summary>Views this call created (disposed once the call has run).</summary>
    public IReadOnlyList<Tensor> Owned { get; private init; } = [];

    /// <summary>The same call on other tensors of the same shapes (the ones autograd saved for backward), keeping
    /// which gradients are needed.</summary>
    public LossCall With(Tensor input, Tensor target, Tensor? posWeight, Tensor? weight) =>
        new(input, target, posWeight, weight, Reduction)
        {
            NeedInput = NeedInput,
            NeedTarget = NeedTarget,
            NeedPosWeight = NeedPosWeight,
            NeedWeight = NeedWeight,
        };

    /// <summary>Checks a call in TorchSharp's terms and records which inputs require a gradient.</summary>
    /// <param name="function">The function's name, to start each message.</param>
    /// <param name="tensorFlowNames">Name the arguments as TensorFlow does (labels, logits, pos_weight).</param>
    public static LossCall Create(
        string function, Tensor input, Tensor target, Tensor? weight, Reduction reduction, Tensor? posWeight,
        bool tensorFlowNames = false)
    {
        string inputName = tensorFlowNames ? "logits" : "input";
        string targetName = tensorFlowNames ? "labels" : "target";
        string posWeightName = tensorFlowNames ? "pos_weight" : "pos_weights";
        ArgumentNullException.ThrowIfNull(input, inputName);
        ArgumentNullException.ThrowIfNull(target, targetName);
        if (reduction is not (Reduction.None or Reduction.Mean or Reduction.Sum))
        {
            throw new ArgumentOutOfRangeException(
                nameof(reduction), reduction, $"{function}: reduction must be None, Mean or Sum.");
        }

        if (!input.is_floating_point())
        {
            throw new ArgumentException(
                $"{function}: {inputName} must be a floating-point tensor, got {input.dtype}.", inputName);
        }

        if (!input.shape.AsSpan().SequenceEqual(target.shape))
        {
            string message = tensorFlowNames
                ? $"{function}: logits and labels must have the same shape, received ({Format(input.shape)} vs " +
                  $"{Format(target.shape)})."
                : $"{function}: Target size ({Format(target.shape)}) must be the same as input size " +
                  $"({Format(input.shape)}).";
            throw new ArgumentException(message, targetName);
        }

        CheckSameKind(function, input, inputName, target, targetName);
        if (posWeight is not null)
        {
            CheckSameKind(function, input, inputName, posWeight, posWeightName);
            CheckBroadcast(function, input, inputName, posWeight, posWeightName);
        }

        if (weight is not null)
        {
            CheckSameKind(function, input, inputName, weight, "weight");
            CheckBroadcast(function, input, inputName, weight, "weight");
        }

        // Leading 1-axes beyond the input's rank never change the result, but torch operations would keep them in
        // theirs: compute on views without them (autograd takes gradients back to the original shapes).
        var owned = new List<Tensor>();
        posWeight = WithoutExtraAxes(posWeight, input, owned);
        weight = WithoutExtraAxes(weight, input, owned);
        return new LossCall(input, target, posWeight, weight, reduction)
        {
            Owned = owned,
            NeedInput = input.requires_grad,
            NeedTarget = target.requires_grad,
            NeedPosWeight = posWeight is not null && posWeight.requires_grad,
            NeedWeight = weight is not null && weight.requires_grad,
        };
    }

    private static Tensor? WithoutExtraAxes(Tensor? weight, Tensor input, List<Tensor> owned)
    {
        if (weight is null || weight.dim() <= input.dim())
        {
            return weight;
        }

        var view = weight.reshape(weight.shape[^(int)input.dim()..]);
        owned.Add(view);
        return view;
    }

    private static void CheckSameKind(string function, Tensor input, string inputName, Tensor other, string name)
    {
        if (other.dtype != input.dtype)
        {
            throw new ArgumentException(
                $"{function}: {name} has dtype {other.dtype} but {inputName} has dtype {input.dtype}; convert it " +
                $"with .to({input.dtype}).",
                name);
        }

        if (other.device_type != input.device_type || other.device_index != input.device_index)
        {
            throw new ArgumentException(
                $"{function}: Expected all tensors to be on the same device, but {inputName} is on {input.device} " +
                $"and {name} on {other.device}.",
                name);
        }
    }

    /// <summary>Right-aligned broadcasting that never enlarges the result: each axis of the weight, matched from the
    /// last, equals the input's or is 1; extra leading axes must be 1.</summary>
    private static void CheckBroadcast(string function, Tensor input, string inputName, Tensor weight, string name)
    {
        long[] w = weight.shape;
        long[] x = input.shape;
        for (int i = 1; i <= w.Length; i++)
        {
            long wi = w[^i];
            if (i > x.Length)
            {
                if (wi != 1)
                {
                    throw new ArgumentException(
                        $"{function}: {name} of shape {Format(w)} has more axes than {inputName} of shape " +
                        $"{Format(x)} and would enlarge the result; its extra leading axes must have length 1.",
                        name);
                }

                continue;
            }

            long xi = x[^i];
            if (wi != xi && wi != 1)
            {
                string hint = x.Length >= 3 && w.Length == 1
                    ? $" For weights per channel of {inputName} shaped [N, C, ...], give {name} the shape " +
                      $"[C{string.Concat(Enumerable.Repeat(", 1", x.Length - 2))}]."
                    : string.Empty;
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"{function}: {name} of shape {Format(w)} does not broadcast to {inputName} of shape " +
                        $"{Format(x)}: axes are matched from the right, and {name}'s axis {w.Length - i} (length " +
                        $"{wi}) meets {inputName}'s axis {x.Length - i} (length {xi}); each must be equal or 1.{hint}"),
                    name);
            }
        }
    }

    internal static string Format(long[] shape) =>
        "[" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]";
}
