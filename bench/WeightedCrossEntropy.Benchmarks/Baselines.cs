using System.Numerics;
using System.Numerics.Tensors;

namespace WeightedCrossEntropy.Benchmarks;

/// <summary>
/// The reference points measured beside the library in the same process: the memory-bound triad, TF's formula as a
/// plain scalar loop, and the same formula composed from <see cref="TensorPrimitives"/> calls.
/// </summary>
public static class Baselines
{
    /// <summary>
    /// destination = labels·0.5 + logits with <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, T, ReadOnlySpan{T}, Span{T})"/>
    /// on one core: reads two arrays and writes one, as the forward pass does.
    /// </summary>
    public static void Triad<T>(ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, Span<T> destination)
        where T : IFloatingPointIeee754<T> =>
        TensorPrimitives.MultiplyAdd(labels, T.CreateTruncating(0.5), logits, destination);

    /// <summary>
    /// TensorFlow's formula, one element at a time (single core, scalar):
    /// (1 − z)·x + (1 + (q − 1)·z)·(log1p(exp(−|x|)) + max(−x, 0)). <c>T.LogP1</c> is .NET's naive log(1 + x), which
    /// costs the same as a correct log1p.
    /// </summary>
    public static void ScalarTensorFlowFormula<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        if (labels.Length != logits.Length || destination.Length != logits.Length)
        {
            throw new ArgumentException("labels, logits and destination must have the same length.", nameof(destination));
        }

        int c = posWeight.Length;
        int j = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            T x = logits[i];
            T z = labels[i];
            T q = posWeight[j];
            T softplusOfMinusX = T.LogP1(T.Exp(-T.Abs(x))) + T.Max(-x, T.Zero);
            destination[i] = ((T.One - z) * x) + ((T.One + ((q - T.One) * z)) * softplusOfMinusX);
            if (++j == c)
            {
                j = 0;
            }
        }
    }

    /// <summary>
    /// The same formula from whole-span <see cref="TensorPrimitives"/> calls, what a .NET user writes today: eleven
    /// passes over memory. <paramref name="posWeightMinusOne"/> is pos_weight − 1 tiled to the full length (there is
    /// no cycling broadcast); <paramref name="scratch1"/> and <paramref name="scratch2"/> are full-length temporaries.
    /// </summary>
    public static void ComposedTensorPrimitives<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeightMinusOne, Span<T> destination,
        Span<T> scratch1, Span<T> scratch2)
        where T : IFloatingPointIeee754<T>
    {
        TensorPrimitives.Abs(logits, scratch1);                                // |x|
        TensorPrimitives.Negate(scratch1, scratch1);                           // −|x|
        TensorPrimitives.Exp(scratch1, scratch1);                              // e^−|x|
        TensorPrimitives.LogP1(scratch1, scratch1);                            // log1p(e^−|x|) (naive in .NET 10)
        TensorPrimitives.Negate(logits, scratch2);                             // −x
        TensorPrimitives.Max(scratch2, T.Zero, scratch2);                      // max(−x, 0)
        TensorPrimitives.Add(scratch1, scratch2, scratch1);                    // sp(−x)
        TensorPrimitives.MultiplyAdd(posWeightMinusOne, labels, T.One, scratch2); // 1 + (q − 1)·z
        TensorPrimitives.Multiply(scratch1, scratch2, scratch1);               // (1 + (q − 1)·z)·sp(−x)
        TensorPrimitives.Subtract(T.One, labels, scratch2);                    // 1 − z
        TensorPrimitives.MultiplyAdd(scratch2, logits, scratch1, destination); // (1 − z)·x + …
    }
}

/// <summary>
/// The triad split into <see cref="Environment.ProcessorCount"/> contiguous chunks run with <see cref="Parallel.For(int, int, Action{int})"/>:
/// the memory bandwidth of the whole machine for the forward pass's traffic. The loop body is cached, so a call
/// allocates only what <see cref="Parallel"/> itself does.
/// </summary>
public sealed class ParallelTriad<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly T[] _labels;
    private readonly T[] _logits;
    private readonly T[] _destination;
    private readonly int _chunks;
    private readonly Action<int> _body;

    public ParallelTriad(T[] labels, T[] logits, T[] destination, int chunks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1);
        _labels = labels;
        _logits = logits;
        _destination = destination;
        _chunks = chunks;
        _body = RunChunk;
    }

    public void Run() => Parallel.For(0, _chunks, _body);

    private void RunChunk(int chunk)
    {
        // Boundaries on multiples of 16 elements, so that no two chunks share a cache line of the output.
        long n = _logits.Length;
        int start = (int)(n * chunk / _chunks) & ~15;
        int end = chunk == _chunks - 1 ? (int)n : (int)(n * (chunk + 1) / _chunks) & ~15;
        Baselines.Triad<T>(_labels.AsSpan(start, end - start), _logits.AsSpan(start, end - start),
            _destination.AsSpan(start, end - start));
    }
}
