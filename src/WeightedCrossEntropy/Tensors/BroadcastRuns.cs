using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Tensors;

/// <summary>
/// The broadcast patterns whose weights neither cycle as they are nor fit in one expanded period
/// (<see cref="TensorLoss.PeriodLimit"/>): the elements fall into runs over the innermost axes with either one weight
/// per run (<c>[C, 1, 1]</c> against <c>[N, C, H, W]</c> with a long period, <c>[N, 1]</c> against <c>[N, C]</c>) or a
/// block of weights per run (<c>[N, 1, W]</c> against <c>[N, M, W]</c>).
/// </summary>
/// <remarks>
/// Runs are grouped into segments of about <see cref="SegmentLength"/> elements. A run of at least
/// <see cref="MinimumRun"/> elements is one span call with its weights in place; shorter runs are expanded into a
/// buffer a segment at a time, one span call per segment. Segments run on every core (up to
/// <see cref="Nn.MaxDegreeOfParallelism"/>) once the input has <see cref="ParallelChunks.ParallelThreshold"/> elements:
/// every stored result is elementwise, and a summing operator's segment sums go to their own slots and are added
/// pairwise in segment order, so nothing depends on which thread ran which segment.
/// </remarks>
internal static unsafe class BroadcastRuns
{
    /// <summary>Runs at least this long take one span call each, their weights read in place; shorter runs are not
    /// worth a call each and are expanded.</summary>
    public const int MinimumRun = 256;

    /// <summary>Elements per segment, the unit of work of a thread: about this many (whole runs, and one run where a
    /// run is longer). Short runs are expanded into a buffer of this many weights (32 KiB of float64).</summary>
    public const int SegmentLength = 4096;

    /// <summary>destination = TOp(z, x, weights) over dense row-major data of shape <paramref name="lengths"/>, with
    /// pos_weight's elements <paramref name="q"/> and its step per axis <paramref name="strides"/> (0 where it is
    /// broadcast), <paramref name="scale"/> passed to the operator. Returns the sum of the operator's accumulated
    /// output (0 if it accumulates nothing).</summary>
    public static double Run<TOp, T>(
        ReadOnlySpan<T> z, ReadOnlySpan<T> x, ReadOnlySpan<T> q, ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides,
        Span<T> destination, Scale scale)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        int run = RunOf(lengths, strides, out bool constant, out int from);
        int segment = run >= SegmentLength ? run : SegmentLength / run * run;
        int segments = (x.Length + segment - 1) / segment;
        double[]? rented = TOp.Accumulates ? ArrayPool<double>.Shared.Rent(segments) : null;
        try
        {
            fixed (nint* outerLengths = lengths, outerSteps = strides)
            fixed (double* sums = rented)
            {
                var layout = new Layout
                {
                    Length = x.Length, Run = run, Segment = segment, Segments = segments, Constant = constant,
                    OuterRank = from, OuterLengths = outerLengths, OuterSteps = outerSteps, Sums = sums,
                    Scale = scale,
                };

                if (typeof(T) == typeof(float))
                {
                    Parallel<TOp, float>(
                        SpanCast.As<T, float>(z), SpanCast.As<T, float>(x), SpanCast.As<T, float>(q),
                        SpanCast.As<T, float>(destination), layout);
                }
                else if (typeof(T) == typeof(double))
                {
                    Parallel<TOp, double>(
                        SpanCast.As<T, double>(z), SpanCast.As<T, double>(x), SpanCast.As<T, double>(q),
                        SpanCast.As<T, double>(destination), layout);
                }
                else if (typeof(T) == typeof(Half))
                {
                    Parallel<TOp, Half>(
                        SpanCast.As<T, Half>(z), SpanCast.As<T, Half>(x), SpanCast.As<T, Half>(q),
                        SpanCast.As<T, Half>(destination), layout);
                }
                else
                {
                    // Other types are converted one element at a time by the span loop anyway: one thread, in order.
                    var buffer = new T[System.Math.Min(segment, x.Length)];
                    for (int s = 0; s < layout.Segments; s++)
                    {
                        Segment<TOp, T>(z, x, q, destination, layout, s, buffer);
                    }
                }

                return TOp.Accumulates ? ParallelChunks.Pairwise(new ReadOnlySpan<double>(sums, segments)) : 0.0;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>pos_weight's values for every element of shape <paramref name="lengths"/>, row-major, into
    /// <paramref name="destination"/> (its length the product of the lengths): a fill or a copy per run.</summary>
    public static void Expand<T>(
        ReadOnlySpan<T> q, ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, Span<T> destination)
    {
        int run = RunOf(lengths, strides, out bool constant, out int from);
        fixed (nint* outerLengths = lengths, outerSteps = strides)
        {
            var layout = new Layout
            {
                Length = destination.Length, Run = run, Constant = constant, OuterRank = from,
                OuterLengths = outerLengths, OuterSteps = outerSteps,
            };
            Span<nint> index = stackalloc nint[from];
            index.Clear();
            FillRuns(q, layout, index, 0, destination);
        }
    }

    /// <summary>The longest run of innermost axes over which pos_weight is either constant (one weight per run) or
    /// dense (a block of weights per run): its length, which of the two, and the first axis of the run.</summary>
    private static int RunOf(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, out bool constant, out int from)
    {
        int rank = lengths.Length;
        int constantFrom = rank;
        while (constantFrom > 0 && (strides[constantFrom - 1] == 0 || lengths[constantFrom - 1] == 1))
        {
            constantFrom--;
        }

        int denseFrom = rank;
        while (denseFrom > 0 && (strides[denseFrom - 1] != 0 || lengths[denseFrom - 1] == 1))
        {
            denseFrom--;
        }

        constant = constantFrom <= denseFrom;
        from = constant ? constantFrom : denseFrom;
        int run = 1;
        for (int k = from; k < rank; k++)
        {
            run *= (int)lengths[k];
        }

        return run;
    }

    /// <summary>The weights of consecutive runs into <paramref name="weights"/> (whole runs), from the outer
    /// multi-index <paramref name="index"/> and pos_weight offset <paramref name="offset"/>, both advanced past them;
    /// returns the offset.</summary>
    private static nint FillRuns<T>(
        ReadOnlySpan<T> q, in Layout layout, Span<nint> index, nint offset, Span<T> weights)
    {
        int run = layout.Run;
        for (int at = 0; at < weights.Length; at += run)
        {
            if (layout.Constant)
            {
                weights.Slice(at, run).Fill(q[(int)offset]);
            }
            else
            {
                q.Slice((int)offset, run).CopyTo(weights.Slice(at, run));
            }

            offset = layout.Next(index, offset);
        }

        return offset;
    }

    /// <summary>The segments of a float or double call, on the worker pool when the call is large enough (and its runs
    /// shorter than <see cref="ParallelChunks.ParallelThreshold"/>: a longer run's span call splits itself).</summary>
    private static void Parallel<TOp, TE>(
        ReadOnlySpan<TE> z, ReadOnlySpan<TE> x, ReadOnlySpan<TE> q, Span<TE> destination, Layout layout)
        where TOp : struct, IElementOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        int helpers = layout.Run < ParallelChunks.ParallelThreshold ? ParallelChunks.Helpers(layout.Length, layout.Segments) : 0;
        fixed (TE* zp = z, xp = x, qp = q, dp = destination)
        {
            var job = new Job<TE>
            {
                Labels = zp, Logits = xp, Weights = qp, WeightCount = q.Length, Destination = dp, Layout = layout,
            };
            WorkerPool.Run(&Job<TE>.Work<TOp>, &job, helpers);
        }
    }

    /// <summary>One segment: its runs' weights in place (long runs) or expanded into <paramref name="buffer"/>; a
    /// summing operator's sum goes to the segment's slot.</summary>
    private static void Segment<TOp, T>(
        ReadOnlySpan<T> z, ReadOnlySpan<T> x, ReadOnlySpan<T> q, Span<T> destination, in Layout layout, int segment,
        Span<T> buffer)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        int run = layout.Run;
        int start = segment * layout.Segment;
        int length = System.Math.Min(layout.Segment, layout.Length - start);
        int weightsPerRun = layout.Constant ? 1 : run;

        // The outer multi-index of the segment's first run, and pos_weight's offset there.
        Span<nint> index = stackalloc nint[layout.OuterRank];
        long rest = start / run;
        nint offset = 0;
        for (int k = layout.OuterRank - 1; k >= 0; k--)
        {
            index[k] = (nint)(rest % layout.OuterLengths[k]);
            rest /= layout.OuterLengths[k];
            offset += index[k] * layout.OuterSteps[k];
        }

        double sum = 0.0;
        if (run >= MinimumRun)
        {
            for (int at = start; at < start + length; at += run)
            {
                sum += Dispatch.Apply<TOp, T>(
                    z.Slice(at, run), x.Slice(at, run), q.Slice((int)offset, weightsPerRun), 0,
                    destination.Slice(at, run), layout.Scale);
                offset = layout.Next(index, offset);
            }
        }
        else
        {
            var weights = buffer[..length];
            FillRuns(q, layout, index, offset, weights);
            sum = Dispatch.Apply<TOp, T>(
                z.Slice(start, length), x.Slice(start, length), weights, 0, destination.Slice(start, length),
                layout.Scale);
        }

        if (TOp.Accumulates)
        {
            layout.Sums[segment] = sum;
        }
    }



    /// <summary>How the elements fall into runs and segments; the outer axes (those left of the runs) with
    /// pos_weight's step along each, pinned by the caller.</summary>
    private struct Layout
    {
        public int Length;
        public int Run;
        public int Segment;
        public int Segments;
        public bool Constant;
        public int OuterRank;
        public nint* OuterLengths;
        public nint* OuterSteps;

        /// <summary>One slot per segment for a summing operator's sums, else null.</summary>
        public double* Sums;

        /// <summary>What each span call passes to the operator as its scale.</summary>
        public Scale Scale;

        /// <summary>Moves the outer multi-index to the next run; returns pos_weight's offset there.</summary>
        public readonly nint Next(Span<nint> index, nint offset)
        {
            for (int k = OuterRank - 1; k >= 0; k--)
            {
                index[k]++;
                offset += OuterSteps[k];
                if (index[k] < OuterLengths[k])
                {
                    return offset;
                }

                offset -= OuterSteps[k] * index[k];
                index[k] = 0;
            }

            return offset;
        }
    }

    /// <summary>A call's segments as the pool's threads see them: pointers into pinned spans and a segment counter.
    /// </summary>
    private struct Job<TE>
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        public TE* Labels;
        public TE* Logits;
        public TE* Weights;
        public int WeightCount;
        public TE* Destination;
        public Layout Layout;
        public int NextSegment;

        [SkipLocalsInit]
        public static void Work<TOp>(void* state)
            where TOp : struct, IElementOperator
        {
            var job = (Job<TE>*)state;
            int n = job->Layout.Length;
            var z = new ReadOnlySpan<TE>(job->Labels, n);
            var x = new ReadOnlySpan<TE>(job->Logits, n);
            var q = new ReadOnlySpan<TE>(job->Weights, job->WeightCount);
            var d = new Span<TE>(job->Destination, n);
            Span<TE> buffer = stackalloc TE[SegmentLength];
            int segment;
            while ((segment = Interlocked.Increment(ref job->NextSegment) - 1) < job->Layout.Segments)
            {
                Segment<TOp, TE>(z, x, q, d, job->Layout, segment, buffer);
            }
        }
    }
}
