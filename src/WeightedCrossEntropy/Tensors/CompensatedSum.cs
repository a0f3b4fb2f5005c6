using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace WeightedCrossEntropy.Tensors;

/// <summary>
/// Compensated sums for <see cref="BroadcastSums"/>: a sum carried as a pair (sum, compensation), each addition's
/// rounding error kept by Knuth's TwoSum (no comparison, so it vectorizes), pairs merged without rounding, and the
/// pair rounded once at the end (<see cref="Total"/>).
/// </summary>
/// <remarks>Where the sum stops being finite its compensation is NaN (∞ − ∞ inside TwoSum), and the plain sum is the
/// answer: NaN stays NaN, +∞ stays +∞, +∞ and −∞ make NaN.</remarks>
internal static unsafe class CompensatedSum
{
    /// <summary>sum + compensation = Σ (values[j] + low[j]): four lanes a step where the run is long, the lanes
    /// then merged in order.</summary>
    public static void Sum(ReadOnlySpan<double> values, ReadOnlySpan<double> low, out double total, out double totalLow)
    {
        // Locals, not the out parameters: those are memory, and the chain of additions would wait on stores.
        double sum = 0.0, compensation = 0.0;
        int j = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= 16)
        {
            var lanes = Vector256<double>.Zero;
            var lanesLow = Vector256<double>.Zero;
            for (; j <= values.Length - 4; j += 4)
            {
                TwoSum(ref lanes, ref lanesLow, Vector256.Create(values.Slice(j, 4)));
                lanesLow += Vector256.Create(low.Slice(j, 4));
            }

            for (int k = 0; k < 4; k++)
            {
                Merge(ref sum, ref compensation, lanes[k], lanesLow[k]);
            }
        }

        for (; j < values.Length; j++)
        {
            Merge(ref sum, ref compensation, values[j], low[j]);
        }

        total = sum;
        totalLow = compensation;
    }

    /// <summary>sum + compensation = Σ values[j]·upstream[j] (upstream empty: Σ values[j]), as the pairs' sum above.
    /// </summary>
    public static void Sum<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> upstream, out double total, out double totalLow)
        where T : IFloatingPointIeee754<T>
    {
        double sum = 0.0, compensation = 0.0;
        int j = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= 16
            && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            var lanes = Vector256<double>.Zero;
            var lanesLow = Vector256<double>.Zero;
            if (typeof(T) == typeof(float))
            {
                var v = SpanCast.As<T, float>(values);
                var g = SpanCast.As<T, float>(upstream);
                for (; j <= values.Length - 8; j += 8)
                {
                    var (low, high) = Vector256.Widen(Vector256.Create(v.Slice(j, 8)));
                    if (!g.IsEmpty)
                    {
                        var (gLow, gHigh) = Vector256.Widen(Vector256.Create(g.Slice(j, 8)));
                        low *= gLow;
                        high *= gHigh;
                    }

                    TwoSum(ref lanes, ref lanesLow, low);
                    TwoSum(ref lanes, ref lanesLow, high);
                }
            }
            else
            {
                var v = SpanCast.As<T, double>(values);
                var g = SpanCast.As<T, double>(upstream);
                for (; j <= values.Length - 4; j += 4)
                {
                    var x = Vector256.Create(v.Slice(j, 4));
                    TwoSum(ref lanes, ref lanesLow, g.IsEmpty ? x : x * Vector256.Create(g.Slice(j, 4)));
                }
            }

            for (int k = 0; k < 4; k++)
            {
                Merge(ref sum, ref compensation, lanes[k], lanesLow[k]);
            }
        }

        for (; j < values.Length; j++)
        {
            TwoSum(ref sum, ref compensation, Value(values, upstream, j));
        }

        total = sum;
        totalLow = compensation;
    }

    /// <summary>values[i]·upstream[i] in double (upstream empty: values[i]).</summary>
    public static double Value<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> upstream, int i)
        where T : IFloatingPointIeee754<T> =>
        upstream.IsEmpty
            ? double.CreateTruncating(values[i])
            : double.CreateTruncating(values[i]) * double.CreateTruncating(upstream[i]);

    /// <summary>sum + compensation += x, the rounding error of the addition kept (Knuth's TwoSum: no comparison).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TwoSum(ref double sum, ref double compensation, double x)
    {
        double t = sum + x;
        double b = t - sum;
        compensation += (sum - (t - b)) + (x - b);
        sum = t;
    }

    /// <summary>sum + compensation += x + xLow: the sums added with their rounding error kept, the compensations
    /// added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Merge(ref double sum, ref double compensation, double x, double xLow)
    {
        TwoSum(ref sum, ref compensation, x);
        compensation += xLow;
    }

    /// <summary>The vector form of <see cref="TwoSum(ref double, ref double, double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TwoSum(ref Vector256<double> sum, ref Vector256<double> compensation, Vector256<double> x)
    {
        var t = sum + x;
        var b = t - sum;
        compensation += (sum - (t - b)) + (x - b);
        sum = t;
    }

    /// <summary>The vector form of <see cref="TwoSum(ref double, ref double, double)"/> on four columns in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TwoSum(double* sum, double* compensation, Vector256<double> x)
    {
        var s = Vector256.Load(sum);
        var t = s + x;
        var b = t - s;
        Vector256.Store(Vector256.Load(compensation) + ((s - (t - b)) + (x - b)), compensation);
        Vector256.Store(t, sum);
    }

    /// <summary>The compensated sum's value; once the sum is not finite, the plain sum (its compensation is NaN).
    /// </summary>
    public static double Total(double sum, double compensation) =>
        double.IsFinite(sum) ? sum + compensation : sum;

}
