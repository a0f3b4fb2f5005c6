using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Tensors;

/// <summary>The machinery behind the tensor overloads of <see cref="Nn"/> and <see cref="Compat.V1"/>.</summary>
internal static partial class TensorLoss
{
    /// <summary>A broadcast pattern whose weights repeat with a period of up to this many elements is expanded over
    /// one period (256 KiB of float64 at most, a rented buffer that stays in L2) and runs as one span call; a longer
    /// period takes <see cref="BroadcastRuns"/>.</summary>
    internal const int PeriodLimit = 1 << 15;

    // ---------------------------------------------------------------- validation

    public static void CheckReduction(Reduction reduction, string? name)
    {
        if (reduction is Reduction.Sum or Reduction.Mean or Reduction.WeightedMean)
        {
            return;
        }

        string message = reduction == Reduction.None
            ? "reduction None returns one loss per element: call the overload without a reduction, which returns a " +
              "tensor of the logits' shape."
            : Format("Invalid value for argument `reduction`: {0}; expected Sum, Mean or WeightedMean.", (int)reduction);
        throw new ArgumentException(Prefix(name) + message, nameof(reduction));
    }

    public static void CheckSameShape<T>(
        in ReadOnlyTensorSpan<T> labels, in ReadOnlyTensorSpan<T> logits, string? name, string labelsName)
    {
        if (!labels.Lengths.SequenceEqual(logits.Lengths))
        {
            throw new ArgumentException(
                Prefix(name) + Format("`logits` and `{0}` must have the same shape, received ({1} vs {2}).",
                    labelsName, Shape(logits.Lengths), Shape(labels.Lengths)),
                labelsName);
        }
    }

    /// <summary>A scalar pos_weight value.</summary>
    public static BroadcastWeights<T> Weights<T>(T posWeight) => new(null, default, [], true, posWeight);

    /// <summary>Checks that <paramref name="posWeight"/> broadcasts to the logits' shape without enlarging it, and
    /// resolves its steps per logits axis.</summary>
    public static BroadcastWeights<T> Weights<T>(
        in ReadOnlyTensorSpan<T> posWeight, in ReadOnlyTensorSpan<T> logits, string? name,
        string argument = "posWeight")
    {
        var p = posWeight.Lengths;
        var l = logits.Lengths;
        if (p.IsEmpty)
        {
            throw new ArgumentException(
                Prefix(name) + Format("`{0}` is an empty (default) tensor span; pass one weight, or weights that " +
                "broadcast right-aligned to the logits' shape.", argument),
                argument);
        }

        // Leading 1-axes of pos_weight never change the result: drop them.
        int lead = 0;
        while (lead < p.Length - 1 && p[lead] == 1)
        {
            lead++;
        }

        var aligned = p[lead..];
        if (aligned.Length > l.Length && !(aligned.Length == 1 && aligned[0] == 1))
        {
            throw BroadcastError(name, p, l, enlarges: true, argument);
        }

        if (aligned.Length == 1 && aligned[0] == 1)
        {
            aligned = [];
        }

        int offset = l.Length - aligned.Length;
        for (int k = 0; k < aligned.Length; k++)
        {
            nint q = aligned[k];
            nint x = l[offset + k];
            if (q != x && q != 1)
            {
                throw BroadcastError(name, p, l, enlarges: x == 1 && q > 1, argument);
            }
        }

        // Row-major steps of pos_weight's own elements, 0 for axes of length 1 (broadcast or not, they do not move).
        var strides = new nint[l.Length];
        nint step = 1;
        for (int k = aligned.Length - 1; k >= 0; k--)
        {
            strides[offset + k] = aligned[k] == 1 ? 0 : step;
            step *= aligned[k];
        }

        T[]? owned = null;
        if (!posWeight.IsDense && posWeight.FlattenedLength > 0)
        {
            owned = new T[checked((int)posWeight.FlattenedLength)];
            posWeight.FlattenTo(owned);
        }

        return new BroadcastWeights<T>(owned, posWeight, strides, false, default!);
    }

    private static ArgumentException BroadcastError(
        string? name, ReadOnlySpan<nint> posWeight, ReadOnlySpan<nint> logits, bool enlarges, string argument)
    {
        var message = new StringBuilder(Prefix(name));
        message.Append(Format("`{0}` of shape {1} ", argument, Shape(posWeight)));
        message.Append(enlarges
            ? Format("would enlarge the result beyond the shape of `logits` {0}; the result always has the logits' " +
                "shape (TensorFlow would broadcast both to a larger result; this library, like PyTorch, does not).",
                Shape(logits))
            : Format("cannot broadcast to the shape of `logits` {0}.", Shape(logits)));
        message.Append(Format(
            " {0} broadcasts right-aligned: a [C] {0} applies to the last axis of logits; for logits " +
            "shaped [N, C, H, W], per-class weights must be shaped [C, 1, 1].", argument));

        // A 1-D weight (after leading 1s) whose length matches an inner axis: say how to reach that axis.
        int lead = 0;
        while (lead < posWeight.Length - 1 && posWeight[lead] == 1)
        {
            lead++;
        }

        if (posWeight.Length - lead == 1)
        {
            nint c = posWeight[^1];
            for (int axis = logits.Length - 2; axis >= 0; axis--)
            {
                if (logits[axis] == c)
                {
                    var suggestion = new nint[logits.Length - axis];
                    suggestion.AsSpan().Fill(1);
                    suggestion[0] = c;
                    message.Append(Format(" To weight axis {0} (length {1}) of these logits, shape {3} {2}.",
                        axis, c, Shape(suggestion), argument));
                    break;
                }
            }
        }

        return new ArgumentException(message.ToString(), argument);
    }

    // ---------------------------------------------------------------- the loss

    public static Tensor<T> Loss<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight, string? name,
        string labelsName)
        where T : IFloatingPointIeee754<T>
    {
        CheckSameShape(labels, logits, name, labelsName);
        return ShapedLoss(labels, logits, Weights(posWeight, logits, name));
    }

    public static Tensor<T> Loss<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, BroadcastWeights<T> weights, string? name,
        string labelsName)
        where T : IFloatingPointIeee754<T>
    {
        CheckSameShape(labels, logits, name, labelsName);
        return ShapedLoss(labels, logits, weights);
    }

    /// <summary>The loss of labels and logits whose shapes are checked.</summary>
    private static Tensor<T> ShapedLoss<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, BroadcastWeights<T> weights)
        where T : IFloatingPointIeee754<T>
    {
        var values = LossValues(labels, logits, weights);
        return values.Length == 0 ? EmptyLike<T>(logits.Lengths) : Tensor.Create(values, logits.Lengths);
    }

    /// <summary>The reduced loss: validates, then one pass that computes every element's loss into a rented
    /// scratch buffer and sums them as the fused span call does (chunked, compensated, the same bits for any number
    /// of threads).</summary>
    public static T Reduce<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, BroadcastWeights<T> weights, Reduction reduction,
        string? name)
        where T : IFloatingPointIeee754<T>
    {
        CheckReduction(reduction, name);
        CheckSameShape(labels, logits, name, nameof(labels));
        return ShapedReduce(labels, logits, weights, reduction);
    }

    /// <summary>The reduced loss of labels and logits whose shapes and reduction are checked.</summary>
    private static T ShapedReduce<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, BroadcastWeights<T> weights, Reduction reduction)
        where T : IFloatingPointIeee754<T>
    {
        int n = checked((int)logits.FlattenedLength);
        double sum = 0.0;
        if (n > 0)
        {
            T[]? rentedLogits = null, rentedLabels = null;
            var scratch = ArrayPool<T>.Shared.Rent(n);
            try
            {
                var x = Dense(logits, ref rentedLogits);
                var z = Dense(labels, ref rentedLabels);
                sum = Run<Summed<LossOperator>, T>(z, x, weights, logits.Lengths, scratch.AsSpan(0, n));
            }
            finally
            {
                ArrayPool<T>.Shared.Return(scratch);
                GiveBack(rentedLogits);
                GiveBack(rentedLabels);
            }
        }

        return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / n);
    }

    /// <inheritdoc cref="Reduce{T}(ReadOnlyTensorSpan{T}, ReadOnlyTensorSpan{T}, BroadcastWeights{T}, Reduction, string?)"/>
    public static T Reduce<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        Reduction reduction, string? name)
        where T : IFloatingPointIeee754<T>
    {
        CheckReduction(reduction, name);
        CheckSameShape(labels, logits, name, nameof(labels));
        return ShapedReduce(labels, logits, Weights(posWeight, logits, name), reduction);
    }

    /// <summary>Every element's loss, row-major, in a new array (shapes checked by the caller).</summary>
    private static T[] LossValues<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, BroadcastWeights<T> weights)
        where T : IFloatingPointIeee754<T>
    {
        int n = checked((int)logits.FlattenedLength);
        if (n == 0)
        {
            return [];
        }

        var result = GC.AllocateUninitializedArray<T>(n);
        if (!TryGetDense(logits, out var x))
        {
            // Strided logits: copy them into the result and compute in place there.
            logits.FlattenTo(result);
            x = result;
        }

        T[]? rentedLabels = null;
        try
        {
            Run<LossOperator, T>(Dense(labels, ref rentedLabels), x, weights, logits.Lengths, result);
        }
        finally
        {
            GiveBack(rentedLabels);
        }

        return result;
    }

    // ---------------------------------------------------------------- gradients

    public static WeightedCrossEntropyGradients<T> Gradients<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, BroadcastWeights<T> weights,
        ReadOnlySpan<nint> posWeightShape, ReadOnlyTensorSpan<T> upstreamGradient, Reduction? reduction,
        string? name)
        where T : IFloatingPointIeee754<T>
    {
        // labels and logits: checked by the caller, before pos_weight, so that their error comes first.
        if (reduction is null && !upstreamGradient.Lengths.SequenceEqual(logits.Lengths))
        {
            throw new ArgumentException(
                Prefix(name) + Format("`upstreamGradient` must have the shape of `logits`, received ({0} vs {1}).",
                    Shape(upstreamGradient.Lengths), Shape(logits.Lengths)),
                nameof(upstreamGradient));
        }

        int n = checked((int)logits.FlattenedLength);
        int weightCount = 1;
        foreach (var length in posWeightShape)
        {
            weightCount *= checked((int)length);
        }

        ReadOnlySpan<nint> weightShape = posWeightShape.IsEmpty ? [1] : posWeightShape;
        if (n == 0)
        {
            return new WeightedCrossEntropyGradients<T>(
                EmptyLike<T>(logits.Lengths), EmptyLike<T>(logits.Lengths),
                Tensor.Create(new T[weightCount], weightShape));
        }

        var dz = GC.AllocateUninitializedArray<T>(n);
        var dx = GC.AllocateUninitializedArray<T>(n);
        var sums = new double[weightCount];
        T[]? rentedLogits = null, rentedLabels = null, rentedUpstream = null;
        var scratch = ArrayPool<T>.Shared.Rent(n);
        try
        {
            var x = Dense(logits, ref rentedLogits);
            var z = Dense(labels, ref rentedLabels);
            var g = reduction is null ? Dense(upstreamGradient, ref rentedUpstream) : default;

            // A Mean's 1/N goes into the operators, so each element is rounded once (and N need not be exact in T).
            // With a reduction ∂/∂logits takes the fused step (the gradient times 1/N; its loss sum is not needed).
            var scale = reduction is Reduction.Mean or Reduction.WeightedMean ? Scale.Reciprocal(n) : Scale.One;
            Run<LabelsGradientOperator, T>(z, x, weights, logits.Lengths, dz, scale);
            if (reduction is null)
            {
                // ∂/∂logits is finite everywhere, so the upstream gradient can be its per-lane scale, multiplied
                // before the one rounding (0 times it is 0 either way); ∂/∂labels and ∂/∂pos_weight are infinite at
                // x = ±∞, where TensorFlow's 0·∞ = NaN is kept by multiplying after.
                RunWeighted<LogitsGradientOperator, T>(z, x, weights, g, logits.Lengths, dx, Scale.One, default);
            }
            else
            {
                Run<LossAndLogitsGradientOperator, T>(z, x, weights, logits.Lengths, dx, scale);
            }

            // ∂/∂pos_weight per element is only summed to pos_weight's shape: the rented scratch buffer.
            var dq = scratch.AsSpan(0, n);
            if (reduction is not null && weightCount == 1)
            {
                // One weight: its gradient is the sum of every element's, summed in the same pass.
                sums[0] = Run<Summed<PosWeightGradientOperator>, T>(z, x, weights, logits.Lengths, dq);
            }
            else
            {
                Run<PosWeightGradientOperator, T>(z, x, weights, logits.Lengths, dq);
            }

            if (reduction is null)
            {
                TensorPrimitives.Multiply(dz, g, dz);
                BroadcastSums.Run(dq, g, logits.Lengths, weights.Strides, sums);
            }
            else
            {
                if (weightCount != 1)
                {
                    BroadcastSums.Run(dq, default, logits.Lengths, weights.Strides, sums);
                }

                if (reduction is Reduction.Mean or Reduction.WeightedMean)
                {
                    for (int j = 0; j < sums.Length; j++)
                    {
                        sums[j] /= n;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
            GiveBack(rentedLogits);
            GiveBack(rentedLabels);
            GiveBack(rentedUpstream);
        }

        var dqReduced = new T[weightCount];
        for (int j = 0; j < sums.Length; j++)
        {
            dqReduced[j] = T.CreateTruncating(sums[j]);
        }

        return new WeightedCrossEntropyGradients<T>(
            Tensor.Create(dz, logits.Lengths), Tensor.Create(dx, logits.Lengths),
            Tensor.Create(dqReduced, weightShape));
    }

    // ---------------------------------------------------------------- the loop over broadcast patterns

    /// <summary>
    /// destination = TOp(labels, logits, weights) over dense row-major data of shape <paramref name="lengths"/>;
    /// returns the sum of the operator's accumulated output (0 for operators that accumulate nothing), the same bits
    /// for any number of threads, each stored value unscaled (<see cref="Scale.One"/>).
    /// </summary>
    internal static double Run<TOp, T>(
        ReadOnlySpan<T> z, ReadOnlySpan<T> x, BroadcastWeights<T> weights, ReadOnlySpan<nint> lengths,
        Span<T> destination)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T> =>
        Run<TOp, T>(z, x, weights, lengths, destination, Scale.One);

    /// <summary>
    /// As <see cref="Run{TOp, T}(ReadOnlySpan{T}, ReadOnlySpan{T}, BroadcastWeights{T}, ReadOnlySpan{nint}, Span{T})"/>,
    /// each stored value times <paramref name="scale"/> (<see cref="Scale"/>: 1/N for a Mean's gradient).
    /// </summary>
    internal static double Run<TOp, T>(
        ReadOnlySpan<T> z, ReadOnlySpan<T> x, BroadcastWeights<T> weights, ReadOnlySpan<nint> lengths,
        Span<T> destination, Scale scale)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        if (weights.IsScalarValue)
        {
            var value = weights.Value;
            return Dispatch.Apply<TOp, T>(z, x, new ReadOnlySpan<T>(in value), 0, destination, scale);
        }

        T[]? rented = null;
        try
        {
            if (TryCycling(weights, lengths, ref rented, out var cycling))
            {
                return Dispatch.Apply<TOp, T>(z, x, cycling, 0, destination, scale);
            }
        }
        finally
        {
            GiveBack(rented);
        }

        // A long period: runs of the innermost axes, a segment of them at a time, on every core (BroadcastRuns).
        return BroadcastRuns.Run<TOp, T>(z, x, WeightElements(weights), lengths, weights.Strides, destination, scale);
    }

    /// <summary>The weights as a span that cycles along the dense elements of shape <paramref name="lengths"/>
    /// (element i uses span[i mod span.Length]), where the pattern allows: as they are where they are dense over every
    /// axis from their first non-broadcast one on ([C], [1, C], [H, W], [N, C] ...); else, where the axes from there
    /// on hold at most <see cref="PeriodLimit"/> elements ([C, 1, 1] against [N, C, H, W], [N, 1] against [N, C] ...),
    /// expanded over that period into <paramref name="rented"/>, repeated up to a multiple of 64 elements where that
    /// fits (so that no vector step of the span loop straddles the end of the cycle and gathers its weights one by one).
    /// False for a longer period.</summary>
    private static bool TryCycling<T>(
        BroadcastWeights<T> weights, ReadOnlySpan<nint> lengths, ref T[]? rented, out ReadOnlySpan<T> span)
    {
        var q = WeightElements(weights);
        var strides = weights.Strides;
        int cycle = CyclePeriod(strides, lengths);
        if (cycle > 0)
        {
            span = q[..System.Math.Min(q.Length, cycle)];
            return true;
        }

        int t = FirstWeightedAxis(strides);
        long period = 1;
        for (int k = t; k < lengths.Length; k++)
        {
            period *= lengths[k];
        }

        if (period > PeriodLimit)
        {
            span = default;
            return false;
        }

        int p = (int)period;
        int repeats = 64 >> BitOperations.TrailingZeroCount(p | 64);
        int expandedLength = (long)p * repeats <= PeriodLimit ? p * repeats : p;
        rented = ArrayPool<T>.Shared.Rent(expandedLength);
        var expanded = rented.AsSpan(0, expandedLength);
        BroadcastRuns.Expand(q, lengths[t..], strides.AsSpan(t), expanded[..p]);
        for (int filled = p; filled < expandedLength; filled += p)
        {
            expanded[..p].CopyTo(expanded[filled..]);
        }

        span = expanded;
        return true;
    }

    /// <summary>The period with which the weights repeat when they cycle as they are (pos_weight dense over every axis
    /// from its first non-broadcast one on, or all broadcast: period 1), else 0.</summary>
    private static int CyclePeriod(ReadOnlySpan<nint> strides, ReadOnlySpan<nint> lengths)
    {
        long period = 1;
        for (int k = FirstWeightedAxis(strides); k < lengths.Length; k++)
        {
            if (strides[k] == 0 && lengths[k] != 1)
            {
                return 0;
            }

            period *= lengths[k];
        }

        return (int)period;
    }

    /// <summary>The first axis along which pos_weight is not broadcast (the rank where there is none).</summary>
    private static int FirstWeightedAxis(ReadOnlySpan<nint> strides)
    {
        int t = 0;
        while (t < strides.Length && strides[t] == 0)
        {
            t++;
        }

        return t;
    }

    private static ReadOnlySpan<T> WeightElements<T>(BroadcastWeights<T> weights)
    {
        if (weights.Owned is { } owned)
        {
            return owned;
        }

        TryGetDense(weights.View, out var span);
        return span;
    }

    // ---------------------------------------------------------------- helpers

    private static bool TryGetDense<T>(ReadOnlyTensorSpan<T> tensor, out ReadOnlySpan<T> span)
    {
        if (tensor.IsDense && tensor.FlattenedLength > 0)
        {
            // TryGetSpan refuses dense tensors with trailing axes of length 1 (stride 0), such as [C, 1, 1], in
            // System.Numerics.Tensors 10.0: dense means FlattenedLength elements in a row from the first.
            int length = checked((int)tensor.FlattenedLength);
            if (!tensor.TryGetSpan(Zeros(tensor.Rank), length, out span))
            {
                span = MemoryMarshal.CreateReadOnlySpan(in tensor.GetPinnableReference(), length);
            }

            return true;
        }

        span = default;
        return tensor.FlattenedLength == 0;
    }

    /// <summary>The elements of <paramref name="tensor"/>, row-major: in place where it is dense, else copied into an
    /// array rented from <see cref="ArrayPool{T}.Shared"/> (returned in <paramref name="rented"/>, for the caller to
    /// give back with <see cref="GiveBack{T}(T[])"/>).</summary>
    private static ReadOnlySpan<T> Dense<T>(ReadOnlyTensorSpan<T> tensor, ref T[]? rented)
    {
        if (TryGetDense(tensor, out var span))
        {
            return span;
        }

        int n = checked((int)tensor.FlattenedLength);
        rented = ArrayPool<T>.Shared.Rent(n);
        var copy = rented.AsSpan(0, n);
        tensor.FlattenTo(copy);
        return copy;
    }

    private static void GiveBack<T>(T[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    private static nint[] Zeros(int rank) => new nint[rank];

    private static Tensor<T> EmptyLike<T>(ReadOnlySpan<nint> lengths) =>
        lengths.IsEmpty ? Tensor<T>.Empty : Tensor.CreateFromShape<T>(lengths, false);

    internal static string Prefix(string? name) => string.IsNullOrEmpty(name) ? string.Empty : name + ": ";

    /// <summary>A shape as Python prints a tuple: <c>(3,)</c>, <c>(1, 2)</c>, <c>()</c>.</summary>
    internal static string Shape(ReadOnlySpan<nint> lengths)
    {
        if (lengths.Length == 1)
        {
            return Format("({0},)", lengths[0]);
        }

        var text = new StringBuilder("(");
        for (int k = 0; k < lengths.Length; k++)
        {
            text.Append(k == 0 ? string.Empty : ", ").Append(lengths[k].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(')').ToString();
    }

    private static string Format(string format, params object[] args) =>
        string.Format(CultureInfo.InvariantCulture, format, args);
}
