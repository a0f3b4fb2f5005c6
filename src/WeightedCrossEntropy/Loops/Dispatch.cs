using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// The element-type dispatch: float and double run natively (<see cref="ParallelChunks"/>); Half is converted to
/// double in blocks (vectorized, <see cref="HalfConversion"/>) in the same chunks on every core, computed by the
/// float64 kernels and rounded once back; any other <see cref="IFloatingPointIeee754{TSelf}"/> the same way, one
/// element conversion at a time, on the calling thread.
/// </summary>
internal static class Dispatch
{
    private const int ConvertedBlock = 256;

    /// <summary>Runs <typeparamref name="TOp"/> over validated spans, each stored value times <paramref name="scale"/>
    /// (<see cref="Scale"/>); returns the accumulated sum.</summary>
    public static double Apply<TOp, T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, long firstElement,
        Span<T> destination, Scale scale, LaneWidth width = LaneWidth.Best, ReadOnlySpan<T> sampleWeight = default,
        Smoothing smoothing = default)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        double factor = FoldScalarWeight<TOp, T>(ref sampleWeight, ref scale);
        return factor * ApplyUnfolded<TOp, T>(
            labels, logits, posWeight, firstElement, destination, scale, width, sampleWeight, smoothing);
    }

    /// <summary>One finite, nonzero sample weight for every element goes into the scale (w = 1 runs the very kernels
    /// of a call without a weight); returns the factor the accumulated sum then still needs (w where the operator
    /// accumulates the unweighted loss, else 1). Other weights (one per class or element, 0, ±∞, NaN) stay per lane,
    /// where the limits rule and IEEE's rules for them are applied.</summary>
    private static double FoldScalarWeight<TOp, T>(ref ReadOnlySpan<T> sampleWeight, ref Scale scale)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        if (sampleWeight.Length != 1)
        {
            return 1.0;
        }

        double weight = double.CreateTruncating(sampleWeight[0]);
        if (!double.IsFinite(weight) || weight == 0.0)
        {
            return 1.0;
        }

        scale = scale.Times(weight);
        sampleWeight = default;
        return TOp.AccumulatesStored ? 1.0 : weight;
    }

    private static double ApplyUnfolded<TOp, T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, long firstElement,
        Span<T> destination, Scale scale, LaneWidth width, ReadOnlySpan<T> sampleWeight, Smoothing smoothing)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return ParallelChunks.Run<TOp, double, DoubleElements>(
                SpanCast.As<T, double>(labels), SpanCast.As<T, double>(logits), SpanCast.As<T, double>(posWeight), firstElement,
                SpanCast.As<T, double>(destination), scale, width, default, SpanCast.As<T, double>(sampleWeight), smoothing);
        }

        if (typeof(T) == typeof(float))
        {
            return ParallelChunks.Run<TOp, float, SingleElements>(
                SpanCast.As<T, float>(labels), SpanCast.As<T, float>(logits), SpanCast.As<T, float>(posWeight), firstElement,
                SpanCast.As<T, float>(destination), scale, width, default, SpanCast.As<T, float>(sampleWeight), smoothing);
        }

        if (typeof(T) == typeof(Half))
        {
            return ParallelChunks.RunHalf<TOp>(
                SpanCast.As<T, Half>(labels), default, SpanCast.As<T, Half>(logits), SpanCast.As<T, Half>(posWeight), firstElement,
                SpanCast.As<T, Half>(destination), scale, width, SpanCast.As<T, Half>(sampleWeight), smoothing);
        }

        return Converted<TOp, T>(labels, logits, posWeight, firstElement, destination, scale, width, sampleWeight, smoothing);
    }

    /// <summary>Runs <typeparamref name="TOp"/> with hard labels given as bytes (validated 0 or 1).</summary>
    public static double ApplyByteLabels<TOp, T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination,
        Scale scale, LaneWidth width = LaneWidth.Best, ReadOnlySpan<T> sampleWeight = default,
        Smoothing smoothing = default)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        double factor = FoldScalarWeight<TOp, T>(ref sampleWeight, ref scale);
        return factor * ApplyByteLabelsUnfolded<TOp, T>(labels, logits, posWeight, destination, scale, width, sampleWeight, smoothing);
    }

    private static double ApplyByteLabelsUnfolded<TOp, T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination,
        Scale scale, LaneWidth width, ReadOnlySpan<T> sampleWeight, Smoothing smoothing)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return ParallelChunks.Run<TOp, double, DoubleElements>(
                default, SpanCast.As<T, double>(logits), SpanCast.As<T, double>(posWeight), 0, SpanCast.As<T, double>(destination), scale,
                width, labels, SpanCast.As<T, double>(sampleWeight), smoothing);
        }

        if (typeof(T) == typeof(float))
        {
            return ParallelChunks.Run<TOp, float, SingleElements>(
                default, SpanCast.As<T, float>(logits), SpanCast.As<T, float>(posWeight), 0, SpanCast.As<T, float>(destination), scale,
                width, labels, SpanCast.As<T, float>(sampleWeight), smoothing);
        }

        if (typeof(T) == typeof(Half))
        {
            return ParallelChunks.RunHalf<TOp>(
                default, labels, SpanCast.As<T, Half>(logits), SpanCast.As<T, Half>(posWeight), 0, SpanCast.As<T, Half>(destination), scale,
                width, SpanCast.As<T, Half>(sampleWeight), smoothing);
        }

        // Other types: labels converted to T in blocks, then the general path, block by block.
        Span<T> block = new T[System.Math.Min(labels.Length, KernelChoice.ByteLabelBlock)];
        double total = 0.0;
        for (int start = 0; start < labels.Length; start += KernelChoice.ByteLabelBlock)
        {
            int count = System.Math.Min(KernelChoice.ByteLabelBlock, labels.Length - start);
            for (int t = 0; t < count; t++)
            {
                block[t] = labels[start + t] == 0 ? T.Zero : T.One;
            }

            total += Converted<TOp, T>(
                block[..count], logits.Slice(start, count), posWeight, start, destination.Slice(start, count), scale, width,
                sampleWeight, smoothing);
        }

        return total;
    }

    /// <summary>Types other than float, double and Half: blocks converted exactly to double, computed, rounded once
    /// back, on the calling thread.</summary>
    private static double Converted<TOp, T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, long firstElement,
        Span<T> destination, Scale scale, LaneWidth width, ReadOnlySpan<T> sampleWeight, Smoothing smoothing)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        double[]? rented = null;
        double[]? rentedSamples = null;
        Span<double> weights = posWeight.Length <= 1024
            ? stackalloc double[posWeight.Length]
            : (rented = ArrayPool<double>.Shared.Rent(posWeight.Length)).AsSpan(0, posWeight.Length);
        Span<double> samples = sampleWeight.Length <= 1024
            ? stackalloc double[sampleWeight.Length]
            : (rentedSamples = ArrayPool<double>.Shared.Rent(sampleWeight.Length)).AsSpan(0, sampleWeight.Length);
        try
        {
            for (int j = 0; j < weights.Length; j++)
            {
                weights[j] = double.CreateTruncating(posWeight[j]);
            }

            for (int j = 0; j < samples.Length; j++)
            {
                samples[j] = double.CreateTruncating(sampleWeight[j]);
            }

            Span<double> block = stackalloc double[3 * ConvertedBlock];
            double total = 0.0;
            for (int start = 0; start < logits.Length; start += ConvertedBlock)
            {
                int count = System.Math.Min(ConvertedBlock, logits.Length - start);
                var bx = block[..count];
                var bz = block.Slice(ConvertedBlock, count);
                var bd = block.Slice(2 * ConvertedBlock, count);
                for (int t = 0; t < count; t++)
                {
                    bx[t] = double.CreateTruncating(logits[start + t]);
                    bz[t] = double.CreateTruncating(labels[start + t]);
                }

                // The same kernels as float64 (KernelChoice.Run), so a Half result is the double result rounded once.
                total += KernelChoice.Run<TOp, double, DoubleElements>(new ElementwiseCall<double>(
                    bz, default, bx, weights, firstElement + start, bd, scale, width, samples, smoothing));
                for (int t = 0; t < count; t++)
                {
                    destination[start + t] = T.CreateTruncating(bd[t]);
                }
            }

            return total;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }

            if (rentedSamples is not null)
            {
                ArrayPool<double>.Shared.Return(rentedSamples);
            }
        }
    }
}
