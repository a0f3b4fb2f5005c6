using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Tensors;

// The tensor forms with a sample weight and label smoothing. Both weights go to the span loop as spans that cycle
// along the elements: as they are where they are dense over the trailing axes, else expanded over one period of up to
// PeriodLimit elements, else expanded over every element (a rented buffer of the logits' length).
internal static partial class TensorLoss
{
    /// <summary>The weights as a span that cycles along the dense elements of shape <paramref name="lengths"/>
    /// (element i uses span[i mod span.Length]): as <see cref="TryCycling{T}"/> gives them, else expanded over every
    /// element into <paramref name="rented"/>.</summary>
    private static ReadOnlySpan<T> Cycling<T>(BroadcastWeights<T> weights, ReadOnlySpan<nint> lengths, ref T[]? rented)
    {
        if (TryCycling(weights, lengths, ref rented, out var span))
        {
            return span;
        }

        long count = 1;
        foreach (var length in lengths)
        {
            count *= length;
        }

        rented = ArrayPool<T>.Shared.Rent(checked((int)count));
        var expanded = rented.AsSpan(0, (int)count);
        BroadcastRuns.Expand(WeightElements(weights), lengths, weights.Strides, expanded);
        return expanded;
    }

    /// <summary>Runs <typeparamref name="TOp"/> with both weights and the smoothing over dense data.</summary>
    private static double RunWeighted<TOp, T>(
        ReadOnlySpan<T> z, ReadOnlySpan<T> x, BroadcastWeights<T> posWeight, ReadOnlySpan<T> samples,
        ReadOnlySpan<nint> lengths, Span<T> destination, Scale scale, Smoothing smoothing)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        T[]? rented = null;
        try
        {
            var value = posWeight.Value;
            var q = posWeight.IsScalarValue ? new ReadOnlySpan<T>(in value) : Cycling(posWeight, lengths, ref rented);
            return Dispatch.Apply<TOp, T>(z, x, q, 0, destination, scale, LaneWidth.Best, samples, smoothing);
        }
        finally
        {
            GiveBack(rented);
        }
    }

    public static Tensor<T> WeightedLoss<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        ReadOnlyTensorSpan<T> sampleWeight, double labelSmoothing, string? name)
        where T : IFloatingPointIeee754<T>
    {
        CheckSameShape(labels, logits, name, nameof(labels));
        var q = Weights(posWeight, logits, name);
        var w = Weights(sampleWeight, logits, name, nameof(sampleWeight));
        SpanValidation.CheckSmoothing(labelSmoothing);
        int n = checked((int)logits.FlattenedLength);
        if (n == 0)
        {
            return EmptyLike<T>(logits.Lengths);
        }

        var result = GC.AllocateUninitializedArray<T>(n);
        T[]? rentedLogits = null, rentedLabels = null, rentedSamples = null;
        try
        {
            var x = Dense(logits, ref rentedLogits);
            var z = Dense(labels, ref rentedLabels);
            var samples = Cycling(w, logits.Lengths, ref rentedSamples);
            RunWeighted<LossOperator, T>(z, x, q, samples, logits.Lengths, result, Scale.One, new Smoothing(labelSmoothing));
        }
        finally
        {
            GiveBack(rentedLogits);
            GiveBack(rentedLabels);
            GiveBack(rentedSamples);
        }

        return Tensor.Create(result, logits.Lengths);
    }

    public static T WeightedReduce<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        ReadOnlyTensorSpan<T> sampleWeight, Reduction reduction, double labelSmoothing, string? name)
        where T : IFloatingPointIeee754<T>
    {
        CheckReduction(reduction, name);
        CheckSameShape(labels, logits, name, nameof(labels));
        var q = Weights(posWeight, logits, name);
        var w = Weights(sampleWeight, logits, name, nameof(sampleWeight));
        SpanValidation.CheckSmoothing(labelSmoothing);
        int n = checked((int)logits.FlattenedLength);
        double sum = 0.0;
        double divisor = n;
        if (n > 0)
        {
            T[]? rentedLogits = null, rentedLabels = null, rentedSamples = null;
            var scratch = ArrayPool<T>.Shared.Rent(n);
            try
            {
                var x = Dense(logits, ref rentedLogits);
                var z = Dense(labels, ref rentedLabels);
                var samples = Cycling(w, logits.Lengths, ref rentedSamples);
                sum = RunWeighted<Summed<LossOperator>, T>(
                    z, x, q, samples, logits.Lengths, scratch.AsSpan(0, n), Scale.One, new Smoothing(labelSmoothing));
                divisor = Nn.Divisor(reduction, n, samples);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(scratch);
                GiveBack(rentedLogits);
                GiveBack(rentedLabels);
                GiveBack(rentedSamples);
            }
        }

        return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / divisor);
    }

    /// <summary>The gradients with a sample weight and label smoothing: labels, logits and pos_weight as without a
    /// sample weight, each element's local derivative times its w (before the one rounding) and, with a reduction,
    /// the reduction's divisor; the sample weight's gradient is the unweighted smoothed loss (times the upstream
    /// gradient) summed to the sample weight's shape.</summary>
    public static WeightedCrossEntropyGradients<T> WeightedGradients<T>(
        ReadOnlyTensorSpan<T> labels, ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> posWeight,
        ReadOnlyTensorSpan<T> sampleWeight, ReadOnlyTensorSpan<T> upstreamGradient, Reduction? reduction,
        double labelSmoothing, string? name)
        where T : IFloatingPointIeee754<T>
    {
        if (reduction is { } r)
        {
            CheckReduction(r, name);
        }

        CheckSameShape(labels, logits, name, nameof(labels));
        var q = Weights(posWeight, logits, name);
        var w = Weights(sampleWeight, logits, name, nameof(sampleWeight));
        SpanValidation.CheckSmoothing(labelSmoothing);
        if (reduction is null && !upstreamGradient.Lengths.SequenceEqual(logits.Lengths))
        {
            throw new ArgumentException(
                Prefix(name) + Format("`upstreamGradient` must have the shape of `logits`, received ({0} vs {1}).",
                    Shape(upstreamGradient.Lengths), Shape(logits.Lengths)),
                nameof(upstreamGradient));
        }

        int n = checked((int)logits.FlattenedLength);
        int posCount = checked((int)posWeight.FlattenedLength);
        int sampleCount = checked((int)sampleWeight.FlattenedLength);
        if (n == 0)
        {
            return new WeightedCrossEntropyGradients<T>(
                EmptyLike<T>(logits.Lengths), EmptyLike<T>(logits.Lengths),
                Tensor.Create(new T[posCount], posWeight.Lengths))
            {
                SampleWeight = Tensor.Create(new T[sampleCount], sampleWeight.Lengths),
            };
        }

        var smoothing = new Smoothing(labelSmoothing);
        var dz = GC.AllocateUninitializedArray<T>(n);
        var dx = GC.AllocateUninitializedArray<T>(n);
        var posSums = new double[posCount];
        var sampleSums = new double[sampleCount];
        T[]? rentedLogits = null, rentedLabels = null, rentedUpstream = null, rentedSamples = null;
        var scratch = ArrayPool<T>.Shared.Rent(n);
        try
        {
            var x = Dense(logits, ref rentedLogits);
            var z = Dense(labels, ref rentedLabels);
            var samples = Cycling(w, logits.Lengths, ref rentedSamples);
            double divisor = reduction is { } reduced ? Nn.Divisor(reduced, n, samples) : 1.0;
            var scale = reduction is null or Reduction.Sum ? Scale.One : Scale.Reciprocal(divisor);
            RunWeighted<LabelsGradientOperator, T>(z, x, q, samples, logits.Lengths, dz, scale, smoothing);
            var perElement = scratch.AsSpan(0, n);
            var g = reduction is null ? Dense(upstreamGradient, ref rentedUpstream) : default;
            double weightedSum = 0.0;
            if (reduction is null)
            {
                // ∂/∂logits is finite everywhere: w·g is its per-lane scale (w·g rounded to T, exact for w = 1), so
                // the product with the local derivative is rounded once, as without a sample weight.
                for (int start = 0; start < n; start += samples.Length)
                {
                    int length = System.Math.Min(samples.Length, n - start);
                    TensorPrimitives.Multiply(samples[..length], g.Slice(start, length), perElement.Slice(start, length));
                }

                RunWeighted<LogitsGradientOperator, T>(z, x, q, perElement, logits.Lengths, dx, Scale.One, smoothing);
            }
            else
            {
                weightedSum = RunWeighted<LossAndLogitsGradientOperator, T>(
                    z, x, q, samples, logits.Lengths, dx, scale, smoothing);
            }

            // ∂/∂pos_weight per element (weighted), then summed to pos_weight's shape.
            if (reduction is not null && posCount == 1 && smoothing.IsNone)
            {
                // One pos_weight: its gradient is the sum of every element's, summed in the same pass (as without a
                // sample weight, so that w = 1 gives the same bits). Not with smoothing: the loops' padding lanes
                // (x = −∞, z = 0, q = 0) have ∂/∂q = (ε/2)·sp(+∞) there, which the sum would take in.
                posSums[0] = RunWeighted<Summed<PosWeightGradientOperator>, T>(
                    z, x, q, samples, logits.Lengths, perElement, Scale.One, smoothing);
            }
            else
            {
                RunWeighted<PosWeightGradientOperator, T>(
                    z, x, q, samples, logits.Lengths, perElement, Scale.One, smoothing);
                BroadcastSums.Run<T>(perElement, g, logits.Lengths, q.Strides, posSums);
            }

            if (reduction is null)
            {
                TensorPrimitives.Multiply(dz, g, dz);
            }

            // ∂/∂w per element: the unweighted smoothed loss, then summed to the sample weight's shape.
            RunWeighted<LossOperator, T>(z, x, q, default, logits.Lengths, perElement, Scale.One, smoothing);
            PropagateNaN(samples, perElement);
            BroadcastSums.Run<T>(perElement, g, logits.Lengths, w.Strides, sampleSums);

            if (reduction is Reduction.Mean or Reduction.WeightedMean)
            {
                for (int j = 0; j < posSums.Length; j++)
                {
                    posSums[j] /= divisor;
                }

                // d(S/W)/dw_j = (L_j − (S/W)·n_j)/W for WeightedMean, n_j = n/count elements per weight; L_j/N for Mean.
                double mean = reduction == Reduction.WeightedMean ? weightedSum / divisor : 0.0;
                double perWeight = (double)n / sampleCount;
                for (int j = 0; j < sampleSums.Length; j++)
                {
                    sampleSums[j] = (sampleSums[j] - (mean * perWeight)) / divisor;
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
            GiveBack(rentedLogits);
            GiveBack(rentedLabels);
            GiveBack(rentedUpstream);
            GiveBack(rentedSamples);
        }

        return new WeightedCrossEntropyGradients<T>(
            Tensor.Create(dz, logits.Lengths), Tensor.Create(dx, logits.Lengths),
            Tensor.Create(Round<T>(posSums), posWeight.Lengths))
        {
            SampleWeight = Tensor.Create(Round<T>(sampleSums), sampleWeight.Lengths),
        };
    }

    /// <summary>NaN where the element's sample weight is NaN: every result of this library is NaN where an input
    /// is, also where it does not depend on that input (as ∂/∂pos_weight with a NaN pos_weight).</summary>
    private static void PropagateNaN<T>(ReadOnlySpan<T> samples, Span<T> values)
        where T : IFloatingPointIeee754<T>
    {
        for (int j = 0; j < samples.Length; j++)
        {
            if (T.IsNaN(samples[j]))
            {
                for (int i = j; i < values.Length; i += samples.Length)
                {
                    values[i] = T.NaN;
                }
            }
        }
    }

    private static T[] Round<T>(double[] sums)
        where T : IFloatingPointIeee754<T>
    {
        var result = new T[sums.Length];
        for (int j = 0; j < sums.Length; j++)
        {
            result[j] = T.CreateTruncating(sums[j]);
        }

        return result;
    }
}
