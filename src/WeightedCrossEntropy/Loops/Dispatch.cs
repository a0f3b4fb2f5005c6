using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Loops;

/// <summary>Which lane width a call uses. <see cref="Best"/> is the widest the hardware accelerates.</summary>
internal enum LaneWidth
{
    Best,
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>
/// Picks the loop for an element type and the hardware: float and double run natively; Half and any other
/// <see cref="IFloatingPointIeee754{TSelf}"/> are converted to double in blocks, computed, and rounded once back.
/// </summary>
internal static class Dispatch
{
    private const int ConvertedBlock = 256;

    public static LaneWidth Resolve(LaneWidth width)
    {
        if (width != LaneWidth.Best)
        {
            return width;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            return LaneWidth.Vector512;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return LaneWidth.Vector256;
        }

        return Vector128.IsHardwareAccelerated ? LaneWidth.Vector128 : LaneWidth.Scalar;
    }

    /// <summary>Runs <typeparamref name="TOp"/> over validated spans; returns the accumulated sum.</summary>
    public static double Apply<TOp, T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, long firstElement,
        Span<T> destination, double scale, LaneWidth width = LaneWidth.Best)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return ForLanes<TOp, double, DoubleElements>(
                As<T, double>(labels), As<T, double>(logits), As<T, double>(posWeight), firstElement,
                As<T, double>(destination), scale, width);
        }

        if (typeof(T) == typeof(float))
        {
            return ForLanes<TOp, float, SingleElements>(
                As<T, float>(labels), As<T, float>(logits), As<T, float>(posWeight), firstElement,
                As<T, float>(destination), scale, width);
        }

        return Converted<TOp, T>(labels, logits, posWeight, firstElement, destination, scale, width);
    }

    private static double ForLanes<TOp, TE, TIO>(
        ReadOnlySpan<TE> labels, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> posWeight, long firstElement,
        Span<TE> destination, double scale, LaneWidth width)
        where TOp : struct, IElementOperator
        where TE : unmanaged
        where TIO : struct, IElementType<TE>
    {
        return Resolve(width) switch
        {
            LaneWidth.Vector512 when Vector512.IsHardwareAccelerated =>
                ElementwiseLoop.Run<TOp, TE, TIO, Vector512<double>, Vector512Lanes>(
                    labels, logits, posWeight, firstElement, destination, scale),
            LaneWidth.Vector256 when Vector256.IsHardwareAccelerated =>
                ElementwiseLoop.Run<TOp, TE, TIO, Vector256<double>, Vector256Lanes>(
                    labels, logits, posWeight, firstElement, destination, scale),
            LaneWidth.Vector128 when Vector128.IsHardwareAccelerated =>
                ElementwiseLoop.Run<TOp, TE, TIO, Vector128<double>, Vector128Lanes>(
                    labels, logits, posWeight, firstElement, destination, scale),
            _ => ElementwiseLoop.Run<TOp, TE, TIO, double, ScalarLanes>(
                labels, logits, posWeight, firstElement, destination, scale),
        };
    }

    /// <summary>Half and other types: blocks converted exactly to double, computed, rounded once back.</summary>
    private static double Converted<TOp, T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, long firstElement,
        Span<T> destination, double scale, LaneWidth width)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        double[]? rented = null;
        Span<double> weights = posWeight.Length <= 1024
            ? stackalloc double[posWeight.Length]
            : (rented = ArrayPool<double>.Shared.Rent(posWeight.Length)).AsSpan(0, posWeight.Length);
        try
        {
            for (int j = 0; j < weights.Length; j++)
            {
                weights[j] = double.CreateTruncating(posWeight[j]);
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

                total += ForLanes<TOp, double, DoubleElements>(
                    bz, bx, weights, firstElement + start, bd, scale, width);
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
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<TTo> As<TFrom, TTo>(ReadOnlySpan<TFrom> span) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(span)), span.Length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<TTo> As<TFrom, TTo>(Span<TFrom> span) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(span)), span.Length);
}
