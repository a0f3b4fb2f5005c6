using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WeightedCrossEntropy.Loops;
using static WeightedCrossEntropy.Tensors.CompensatedSum;

namespace WeightedCrossEntropy.Tensors;

/// <summary>
/// Sums a per-element value (∂loss/∂pos_weight of each element, times the upstream gradient where there is one) over
/// the axes along which pos_weight is broadcast, into one sum per pos_weight element: in double, every addition
/// compensated (<see cref="CompensatedSum"/>), the same bits for any number of threads.
/// </summary>
/// <remarks>
/// <para>Two stages. <b>Rows</b>: the leading axes along which pos_weight is broadcast make rows of one period (the
/// axes from pos_weight's first weighted one on: <c>[C]</c> against <c>[N, C]</c> gives N rows of C, <c>[C, 1, 1]</c>
/// against <c>[N, C, H, W]</c> N rows of C·H·W). The rows are added column by column, vectorized, in fixed blocks of
/// rows (or, for rows wider than <see cref="WideWidth"/>, fixed chunks of columns) claimed by every core; the blocks'
/// sums are added in block order. Periods shorter than <see cref="MinimumWidth"/> are summed several rows at a time
/// (a row of 8 classes is 8 columns of one vector step; 64 columns fill eight), and the columns folded at the end.
/// <b>Runs</b>: within the period, the innermost axes along which pos_weight is broadcast make runs of elements with
/// one weight (H·W for <c>[C, 1, 1]</c>); each run's column sums are added and go to its weight's sum.</para>
/// <para>Non-finite values: as <see cref="CompensatedSum"/> says, NaN stays NaN, +∞ stays +∞, +∞ and −∞ make
/// NaN.</para>
/// </remarks>
internal static unsafe class BroadcastSums
{
    /// <summary>Periods shorter than this are summed ⌈64/P⌉ rows at a time, as rows of at least 64 columns.</summary>
    private const int MinimumWidth = 64;

    /// <summary>A block of rows has at least this many elements (and there are at most <see cref="MaxBlocks"/>).
    /// </summary>
    private const int BlockElements = 1 << 14;

    /// <summary>At most this many blocks of rows: their partial sums (two doubles per column each) stay small.</summary>
    private const int MaxBlocks = 64;

    /// <summary>Rows wider than this are split by columns, each chunk summed over every row: no partial sums.</summary>
    private const int WideWidth = 4096;

    /// <summary>At most this many slabs of a one-row call's first axis.</summary>
    private const int MaxSlabs = 1024;

    /// <summary>Columns per chunk of a wide row.</summary>
    private const int ColumnChunk = 1024;

    /// <summary>Rows up to this long are summed column by column (a pair of doubles per column, 16 MiB at most);
    /// longer ones, and a single row, run by run in order.</summary>
    private const int ColumnLimit = 1 << 20;

    /// <summary>sums[w] = Σ values[i]·upstream[i] (upstream empty: Σ values[i]) over the elements i whose pos_weight
    /// element is w; <paramref name="values"/> dense row-major of shape <paramref name="lengths"/>, pos_weight's step
    /// per axis <paramref name="strides"/> (0 where it is broadcast; all 0 for a scalar weight).</summary>
    public static void Run<T>(
        ReadOnlySpan<T> values, ReadOnlySpan<T> upstream, ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides,
        Span<double> sums)
        where T : IFloatingPointIeee754<T>
    {
        sums.Clear();
        if (values.IsEmpty)
        {
            return;
        }

        // Axes [0, first): the rows; [first, last): the odometer over runs; [last, rank): one run.
        int rank = lengths.Length;
        int first = strides.Length < rank ? rank : 0;
        while (first < rank && strides[first] == 0)
        {
            first++;
        }

        int last = rank;
        while (last > first && strides[last - 1] == 0)
        {
            last--;
        }

        int period = 1;
        for (int k = first; k < rank; k++)
        {
            period *= (int)lengths[k];
        }

        int run = 1;
        for (int k = last; k < rank; k++)
        {
            run *= (int)lengths[k];
        }

        // A scalar weight comes without steps: every axis is broadcast.
        ReadOnlySpan<nint> steps = strides.Length < rank ? new nint[rank] : strides;
        int rows = values.Length / period;
        var compensations = ArrayPool<double>.Shared.Rent(sums.Length);
        double[]? columns = null;
        try
        {
            var c = compensations.AsSpan(0, sums.Length);
            c.Clear();
            if (rows > 1 && period <= ColumnLimit)
            {
                // Each column's sum as a pair (sum, compensation): no partial sum is rounded before the last step, so
                // sums that cancel each other lose nothing.
                columns = ArrayPool<double>.Shared.Rent(2 * period);
                var columnSums = columns.AsSpan(0, period);
                var columnLows = columns.AsSpan(period, period);
                ColumnSums(values, upstream, columnSums, columnLows);
                var offsets = new RunOffsets(
                    lengths[first..last], steps[first..last], stackalloc nint[last - first], 0);
                for (int j = 0; j < period; j += run, offsets.Next())
                {
                    Sum(columnSums.Slice(j, run), columnLows.Slice(j, run), out double sum, out double low);
                    Merge(ref sums[(int)offsets.Offset], ref c[(int)offsets.Offset], sum, low);
                }
            }
            else if (rows == 1 && values.Length >= ParallelChunks.ParallelThreshold && typeof(T) == typeof(float))
            {
                Slabs(
                    SpanCast.As<T, float>(values), SpanCast.As<T, float>(upstream), lengths[first..last], steps[first..last], run, sums, c);
            }
            else if (rows == 1 && values.Length >= ParallelChunks.ParallelThreshold && typeof(T) == typeof(double))
            {
                Slabs(
                    SpanCast.As<T, double>(values), SpanCast.As<T, double>(upstream), lengths[first..last], steps[first..last], run, sums,
                    c);
            }
            else
            {
                // Small, or rows too long for a pair per column: row by row, every run in order, on this thread.
                for (int at = 0; at < values.Length; at += period)
                {
                    RunsInOrder(
                        values.Slice(at, period), upstream.IsEmpty ? upstream : upstream.Slice(at, period),
                        lengths[first..last], steps[first..last], run, 0, sums, c);
                }
            }

            for (int w = 0; w < sums.Length; w++)
            {
                sums[w] = Total(sums[w], c[w]);
            }
        }
        finally
        {
            if (columns is not null)
            {
                ArrayPool<double>.Shared.Return(columns);
            }

            ArrayPool<double>.Shared.Return(compensations);
        }
    }

    /// <summary>Adds each run of <paramref name="values"/> (one period, or the slab of it that starts at index
    /// <paramref name="start"/> of its first axis) to its weight's sum, in order.</summary>
    private static void RunsInOrder<T>(
        ReadOnlySpan<T> values, ReadOnlySpan<T> upstream, ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> steps, int run,
        nint start, Span<double> sums, Span<double> compensations)
        where T : IFloatingPointIeee754<T>
    {
        var offsets = new RunOffsets(lengths, steps, stackalloc nint[lengths.Length], start);
        for (int j = 0; j < values.Length; j += run, offsets.Next())
        {
            Sum(values.Slice(j, run), upstream.IsEmpty ? upstream : upstream.Slice(j, run), out double sum,
                out double low);
            Merge(ref sums[(int)offsets.Offset], ref compensations[(int)offsets.Offset], sum, low);
        }
    }

    /// <summary>One row (pos_weight not broadcast along the first axis): the indices of that axis touch disjoint sets of
    /// weights, so slabs of them go to every core with no partial sums, each weight's runs still added in order.
    /// </summary>
    private static void Slabs<TE>(
        ReadOnlySpan<TE> values, ReadOnlySpan<TE> upstream, ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> steps,
        int run, Span<double> sums, Span<double> compensations)
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        int outer = (int)lengths[0];
        int slab = values.Length / outer;
        int perItem = System.Math.Max((BlockElements + slab - 1) / slab, (outer + MaxSlabs - 1) / MaxSlabs);
        int items = (outer + perItem - 1) / perItem;
        fixed (TE* v = values, g = upstream)
        fixed (nint* l = lengths, st = steps)
        fixed (double* sp = sums, cp = compensations)
        {
            var job = new SlabJob<TE>
            {
                Values = v, Upstream = upstream.IsEmpty ? null : g, Length = values.Length, Lengths = l, Steps = st,
                Rank = lengths.Length, Run = run, Slab = slab, PerItem = perItem, Outer = outer, Items = items,
                Sums = sp, Compensations = cp, WeightCount = sums.Length,
            };
            WorkerPool.Run(&SlabJob<TE>.Work, &job, ParallelChunks.Helpers(values.Length, items));
        }
    }

    /// <summary>A one-row call's slabs as the pool's threads see them.</summary>
    private struct SlabJob<TE>
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        public TE* Values;
        public TE* Upstream;
        public int Length;
        public nint* Lengths;
        public nint* Steps;
        public int Rank;
        public int Run;
        public int Slab;
        public int PerItem;
        public int Outer;
        public int Items;
        public double* Sums;
        public double* Compensations;
        public int WeightCount;
        public int NextItem;

        public static void Work(void* state)
        {
            var job = (SlabJob<TE>*)state;
            var sums = new Span<double>(job->Sums, job->WeightCount);
            var compensations = new Span<double>(job->Compensations, job->WeightCount);
            var lengths = new ReadOnlySpan<nint>(job->Lengths, job->Rank);
            var steps = new ReadOnlySpan<nint>(job->Steps, job->Rank);
            int item;
            while ((item = Interlocked.Increment(ref job->NextItem) - 1) < job->Items)
            {
                int from = item * job->PerItem;
                int count = System.Math.Min(job->PerItem, job->Outer - from);
                long at = (long)from * job->Slab;
                int length = count * job->Slab;
                RunsInOrder(
                    new ReadOnlySpan<TE>(job->Values + at, length),
                    job->Upstream is null ? default : new ReadOnlySpan<TE>(job->Upstream + at, length), lengths, steps,
                    job->Run, from, sums, compensations);
            }
        }
    }

    /// <summary>result[j] + resultLow[j] = Σ over rows r of values[r·P + j]·upstream[r·P + j], P = result's length.
    /// </summary>
    private static void ColumnSums<T>(
        ReadOnlySpan<T> values, ReadOnlySpan<T> upstream, Span<double> result, Span<double> resultLow)
        where T : IFloatingPointIeee754<T>
    {
        int period = result.Length;
        int rows = values.Length / period;
        int together = period >= MinimumWidth ? 1 : (MinimumWidth + period - 1) / period;
        int width = period * together;
        int wideRows = rows / together;
        var sums = together == 1 ? null : ArrayPool<double>.Shared.Rent(2 * width);
        try
        {
            var s = sums is null ? result : sums.AsSpan(0, width);
            var c = sums is null ? resultLow : sums.AsSpan(width, width);
            s.Clear();
            c.Clear();
            if (wideRows > 0)
            {
                int covered = wideRows * width;
                var g = upstream.IsEmpty ? upstream : upstream[..covered];
                if (typeof(T) == typeof(float))
                {
                    Columns(SpanCast.As<T, float>(values[..covered]), SpanCast.As<T, float>(g), width, s, c);
                }
                else if (typeof(T) == typeof(double))
                {
                    Columns(SpanCast.As<T, double>(values[..covered]), SpanCast.As<T, double>(g), width, s, c);
                }
                else if (typeof(T) == typeof(Half))
                {
                    Columns(SpanCast.As<T, Half>(values[..covered]), SpanCast.As<T, Half>(g), width, s, c);
                }
                else
                {
                    // Other types: one thread, row by row (the order of a single block).
                    for (int at = 0; at < covered; at += width)
                    {
                        for (int j = 0; j < width; j++)
                        {
                            TwoSum(ref s[j], ref c[j], Value(values, g, at + j));
                        }
                    }
                }
            }

            // Fold the rows summed together, then the rows left over (fewer than `together`).
            for (int j = 0; j < period && sums is not null; j++)
            {
                double sum = 0.0, compensation = 0.0;
                for (int m = 0; m < together; m++)
                {
                    Merge(ref sum, ref compensation, s[(m * period) + j], c[(m * period) + j]);
                }

                for (int r = wideRows * together; r < rows; r++)
                {
                    TwoSum(ref sum, ref compensation, Value(values, upstream, (r * period) + j));
                }

                result[j] = sum;
                resultLow[j] = compensation;
            }
        }
        finally
        {
            if (sums is not null)
            {
                ArrayPool<double>.Shared.Return(sums);
            }
        }
    }

    /// <summary>Column sums (s + c) of rows of <paramref name="width"/> values, in fixed blocks of rows or chunks of
    /// columns, on every core for a large input.</summary>
    private static void Columns<TE>(
        ReadOnlySpan<TE> values, ReadOnlySpan<TE> upstream, int width, Span<double> s, Span<double> c)
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        int rows = values.Length / width;
        int items;
        int rowsPerBlock;
        double[]? partial = null;
        if (width > WideWidth)
        {
            rowsPerBlock = rows;
            items = (width + ColumnChunk - 1) / ColumnChunk;
        }
        else
        {
            rowsPerBlock = System.Math.Max((rows + MaxBlocks - 1) / MaxBlocks, (BlockElements + width - 1) / width);
            items = (rows + rowsPerBlock - 1) / rowsPerBlock;
            if (items > 1)
            {
                partial = ArrayPool<double>.Shared.Rent(2 * width * items);
            }
        }

        int helpers = ParallelChunks.Helpers(values.Length, items);
        try
        {
            fixed (TE* v = values, g = upstream)
            fixed (double* sp = s, cp = c, pp = partial)
            {
                var job = new Job<TE>
                {
                    Values = v, Upstream = upstream.IsEmpty ? null : g, Width = width, Rows = rows,
                    RowsPerBlock = rowsPerBlock, Items = items, ByColumns = width > WideWidth, Sums = sp,
                    Compensations = cp, Partial = pp,
                };
                if (helpers > 0)
                {
                    WorkerPool.Run(&Job<TE>.Work, &job, helpers);
                }
                else
                {
                    Job<TE>.Work(&job);
                }
            }

            if (partial is not null)
            {
                // The blocks' sums in block order.
                for (int b = 0; b < items; b++)
                {
                    var ps = partial.AsSpan(2 * width * b, width);
                    var pc = partial.AsSpan((2 * width * b) + width, width);
                    for (int j = 0; j < width; j++)
                    {
                        Merge(ref s[j], ref c[j], ps[j], pc[j]);
                    }
                }
            }
        }
        finally
        {
            if (partial is not null)
            {
                ArrayPool<double>.Shared.Return(partial);
            }
        }
    }

    /// <summary>A call's blocks (or column chunks) as the pool's threads see them.</summary>
    private struct Job<TE>
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        public TE* Values;
        public TE* Upstream;
        public int Width;
        public int Rows;
        public int RowsPerBlock;
        public int Items;
        public bool ByColumns;
        public double* Sums;
        public double* Compensations;
        public double* Partial;
        public int NextItem;

        public static void Work(void* state)
        {
            var job = (Job<TE>*)state;
            int width = job->Width;
            int item;
            while ((item = Interlocked.Increment(ref job->NextItem) - 1) < job->Items)
            {
                if (job->ByColumns)
                {
                    // Columns [from, from + count) over every row, straight into the result.
                    int from = item * ColumnChunk;
                    int count = System.Math.Min(ColumnChunk, width - from);
                    Rows(job->Values, job->Upstream, width, 0, job->Rows, from, count, job->Sums + from,
                        job->Compensations + from);
                }
                else
                {
                    int from = item * job->RowsPerBlock;
                    int count = System.Math.Min(job->RowsPerBlock, job->Rows - from);
                    double* s = job->Partial is null ? job->Sums : job->Partial + (2L * width * item);
                    double* c = job->Partial is null ? job->Compensations : s + width;
                    if (job->Partial is not null)
                    {
                        new Span<double>(s, 2 * width).Clear();
                    }

                    Rows(job->Values, job->Upstream, width, from, count, 0, width, s, c);
                }
            }
        }
    }

    /// <summary>s[j] + c[j] += Σ over rows [<paramref name="firstRow"/>, + <paramref name="rowCount"/>) of the values
    /// (times upstream) in columns [<paramref name="firstColumn"/>, + <paramref name="columnCount"/>).</summary>
    private static void Rows<TE>(
        TE* values, TE* upstream, int width, int firstRow, int rowCount, int firstColumn, int columnCount, double* s,
        double* c)
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        for (int r = firstRow; r < firstRow + rowCount; r++)
        {
            long at = ((long)r * width) + firstColumn;
            TE* v = values + at;
            TE* g = upstream is null ? null : upstream + at;
            int j = 0;
            if (Vector256.IsHardwareAccelerated && typeof(TE) == typeof(float))
            {
                for (; j <= columnCount - 8; j += 8)
                {
                    var (low, high) = Vector256.Widen(Vector256.Load((float*)v + j));
                    if (g is not null)
                    {
                        // float·float is exact in double.
                        var (gLow, gHigh) = Vector256.Widen(Vector256.Load((float*)g + j));
                        low *= gLow;
                        high *= gHigh;
                    }

                    TwoSum(s + j, c + j, low);
                    TwoSum(s + j + 4, c + j + 4, high);
                }
            }
            else if (Vector256.IsHardwareAccelerated && typeof(TE) == typeof(double))
            {
                for (; j <= columnCount - 4; j += 4)
                {
                    var x = Vector256.Load((double*)v + j);
                    if (g is not null)
                    {
                        x *= Vector256.Load((double*)g + j);
                    }

                    TwoSum(s + j, c + j, x);
                }
            }

            for (; j < columnCount; j++)
            {
                double x = double.CreateTruncating(v[j]);
                if (g is not null)
                {
                    x *= double.CreateTruncating(g[j]);
                }

                TwoSum(ref s[j], ref c[j], x);
            }
        }
    }

    /// <summary>pos_weight's offset for consecutive runs: an odometer over the axes left of the run, each moving the
    /// offset by its step.</summary>
    private ref struct RunOffsets
    {
        private readonly ReadOnlySpan<nint> _lengths;
        private readonly ReadOnlySpan<nint> _steps;
        private readonly Span<nint> _index;

        /// <summary>Starts at index <paramref name="start"/> of the first axis, 0 on the others.</summary>
        public RunOffsets(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> steps, Span<nint> index, nint start)
        {
            _lengths = lengths;
            _steps = steps;
            _index = index;
            _index.Clear();
            if (!index.IsEmpty)
            {
                _index[0] = start;
                Offset = start * steps[0];
            }
        }

        public nint Offset { get; private set; }

        public void Next()
        {
            for (int k = _lengths.Length - 1; k >= 0; k--)
            {
                _index[k]++;
                Offset += _steps[k];
                if (_index[k] < _lengths[k])
                {
                    return;
                }

                Offset -= _steps[k] * _index[k];
                _index[k] = 0;
            }
        }
    }
}
