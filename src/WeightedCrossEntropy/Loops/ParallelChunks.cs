using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// The parallel chunking of one call: the work is split into chunks whose length depends on the call's length only
/// (<see cref="ChunkLength"/>), the chunks run on up to <see cref="MaxDegreeOfParallelism"/> threads
/// (<see cref="WorkerPool"/>) for large inputs, and their sums are added pairwise in chunk order: the same bits for any
/// number of threads.
/// </summary>
internal static unsafe class ParallelChunks
{
    /// <summary>Half elements converted to double a block at a time, on the stack (three blocks: 24 KiB).</summary>
    private const int HalfBlock = 1024;

    /// <summary>Smallest chunk: 16 Ki elements, a multiple of every step width.</summary>
    private const int MinChunkLength = 1 << 14;

    /// <summary>Most chunks per call, so that the per-chunk sums fit on the stack (32 KiB).</summary>
    private const int MaxChunks = 4096;

    /// <summary>
    /// Below this many elements a call stays on the calling thread: waking a helper costs tens of microseconds, as
    /// much as the work itself at this size (measured: README, "Speed").
    /// </summary>
    public const int ParallelThreshold = 1 << 17;

    private static int _maxDegreeOfParallelism = -1;

    /// <summary>Threads one call may use (the caller included); −1 means one per core.</summary>
    public static int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set => _maxDegreeOfParallelism = value;
    }

    /// <summary>
    /// Pool threads to add to the caller for a call of <paramref name="length"/> elements split into
    /// <paramref name="items"/> fixed pieces: none below <see cref="ParallelThreshold"/>, else up to
    /// <see cref="MaxDegreeOfParallelism"/> threads in all (one per core for −1), never more than the pieces.
    /// </summary>
    public static int Helpers(long length, int items)
    {
        int degree = _maxDegreeOfParallelism <= 0 ? Environment.ProcessorCount : _maxDegreeOfParallelism;
        return length >= ParallelThreshold ? System.Math.Max(0, System.Math.Min(degree, items) - 1) : 0;
    }

    /// <summary>
    /// Elements per chunk for a call of <paramref name="length"/> elements: a function of the length only, so sums
    /// come out the same, bit for bit, whatever the number of threads.
    /// </summary>
    public static int ChunkLength(int length)
    {
        int target = (int)System.Math.Min(int.MaxValue, ((long)length + MaxChunks - 1) / MaxChunks);
        return System.Math.Max(MinChunkLength, (int)BitOperations.RoundUpToPowerOf2((uint)System.Math.Max(1, target)));
    }

    /// <summary>
    /// Splits the work into fixed chunks (<see cref="ChunkLength"/>), runs them on up to
    /// <see cref="MaxDegreeOfParallelism"/> threads for large inputs, and adds the chunks' sums pairwise in chunk
    /// order: the same bits for any number of threads.
    /// </summary>
    internal static double Run<TOp, TE, TIO>(
        ReadOnlySpan<TE> labels, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> posWeight, long firstElement,
        Span<TE> destination, Scale scale, LaneWidth width, ReadOnlySpan<byte> byteLabels = default,
        ReadOnlySpan<TE> sampleWeight = default, Smoothing smoothing = default)
        where TOp : struct, IElementOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        int n = logits.Length;
        int chunkLength = ChunkLength(n);
        bool fromBytes = byteLabels.Length == n && labels.IsEmpty && n > 0;
        if (n <= chunkLength)
        {
            return KernelChoice.Run<TOp, TE, TIO>(new ElementwiseCall<TE>(
                labels, fromBytes ? byteLabels : default, logits, posWeight, firstElement, destination, scale, width,
                sampleWeight, smoothing));
        }

        int chunks = (int)(((long)n + chunkLength - 1) / chunkLength);
        int helpers = Helpers(n, chunks);
        Span<double> partial = stackalloc double[chunks];
        fixed (TE* z = labels, x = logits, q = posWeight, d = destination, w = sampleWeight)
        fixed (byte* zb = byteLabels)
        fixed (double* sums = partial)
        {
            var job = new ChunkJob<TE>
            {
                Labels = z, ByteLabels = fromBytes ? zb : null, Logits = x, PosWeight = q, Destination = d, Sums = sums,
                Length = n, PosWeightLength = posWeight.Length, FirstElement = firstElement, Scale = scale,
                Width = width, ChunkLength = chunkLength, Chunks = chunks, SampleWeight = w,
                SampleWeightLength = sampleWeight.Length, Smoothing = smoothing,
            };
            WorkerPool.Run(&ChunkJob<TE>.Work<TOp, TIO>, &job, helpers);
        }

        return TOp.Accumulates ? Pairwise(partial) : 0.0;
    }

    /// <summary>Sums <paramref name="values"/> pairwise in their order: the combination of per-chunk (or per-segment)
    /// sums, fixed whatever thread computed which.</summary>
    internal static double Pairwise(ReadOnlySpan<double> values) =>
        values.Length switch
        {
            0 => 0.0,
            1 => values[0],
            _ => Pairwise(values[..(values.Length / 2)]) + Pairwise(values[(values.Length / 2)..]),
        };

    /// <summary>One call's work as the pool's threads see it: pointers into pinned spans, and a chunk counter.</summary>
    private struct ChunkJob<TE>
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        public TE* Labels;
        public byte* ByteLabels;
        public TE* Logits;
        public TE* PosWeight;
        public TE* Destination;
        public double* Sums;
        public int Length;
        public int PosWeightLength;
        public long FirstElement;
        public Scale Scale;
        public LaneWidth Width;
        public int ChunkLength;
        public int Chunks;
        public int NextChunk;
        public TE* SampleWeight;
        public int SampleWeightLength;
        public Smoothing Smoothing;

        public static void Work<TOp, TIO>(void* state)
            where TOp : struct, IElementOperator
            where TIO : struct, IElementType<TE>
        {
            var job = (ChunkJob<TE>*)state;
            var posWeight = new ReadOnlySpan<TE>(job->PosWeight, job->PosWeightLength);
            int chunk;
            while ((chunk = Interlocked.Increment(ref job->NextChunk) - 1) < job->Chunks)
            {
                int start = chunk * job->ChunkLength;
                int count = System.Math.Min(job->ChunkLength, job->Length - start);
                bool bytes = job->ByteLabels is not null;
                job->Sums[chunk] = KernelChoice.Run<TOp, TE, TIO>(new ElementwiseCall<TE>(
                    bytes ? default : new ReadOnlySpan<TE>(job->Labels + start, count),
                    bytes ? new ReadOnlySpan<byte>(job->ByteLabels + start, count) : default,
                    new ReadOnlySpan<TE>(job->Logits + start, count),
                    posWeight,
                    job->FirstElement + start,
                    new Span<TE>(job->Destination + start, count),
                    job->Scale,
                    job->Width,
                    new ReadOnlySpan<TE>(job->SampleWeight, job->SampleWeightLength),
                    job->Smoothing));
            }
        }
    }

    /// <summary>
    /// Half: in the fixed chunks of <see cref="Run{TOp, TE, TIO}"/>, on every core for a large call, each chunk a
    /// block at a time converted exactly to double (<see cref="HalfConversion"/>), computed by the float64 kernels and
    /// rounded once back: every result is the float64 result rounded to Half, the same bits as one element at a time.
    /// Byte labels go to the float64 kernels as bytes.
    /// </summary>
    internal static double RunHalf<TOp>(
        ReadOnlySpan<Half> labels, ReadOnlySpan<byte> byteLabels, ReadOnlySpan<Half> logits,
        ReadOnlySpan<Half> posWeight, long firstElement, Span<Half> destination, Scale scale, LaneWidth width,
        ReadOnlySpan<Half> sampleWeight = default, Smoothing smoothing = default)
        where TOp : struct, IElementOperator
    {
        int n = logits.Length;
        double[]? rented = null;
        double[]? rentedSamples = null;
        Span<double> weights = posWeight.Length <= 1024
            ? stackalloc double[posWeight.Length]
            : (rented = ArrayPool<double>.Shared.Rent(posWeight.Length)).AsSpan(0, posWeight.Length);
        // The sample weights are converted once, as pos_weight is (for one weight per element: 8 bytes each).
        Span<double> samples = sampleWeight.Length <= 1024
            ? stackalloc double[sampleWeight.Length]
            : (rentedSamples = ArrayPool<double>.Shared.Rent(sampleWeight.Length)).AsSpan(0, sampleWeight.Length);
        try
        {
            HalfConversion.ToDouble(posWeight, weights);
            HalfConversion.ToDouble(sampleWeight, samples);
            int chunkLength = ChunkLength(n);
            int chunks = System.Math.Max(1, (int)(((long)n + chunkLength - 1) / chunkLength));
            int helpers = Helpers(n, chunks);
            Span<double> partial = stackalloc double[chunks];
            fixed (Half* z = labels, x = logits, d = destination)
            fixed (byte* zb = byteLabels)
            fixed (double* q = weights, sums = partial, w = samples)
            {
                var job = new HalfJob
                {
                    Labels = z, ByteLabels = byteLabels.IsEmpty ? null : zb, Logits = x, PosWeight = q,
                    Destination = d, Sums = sums, Length = n, PosWeightLength = weights.Length,
                    FirstElement = firstElement, Scale = scale, Width = width, ChunkLength = chunkLength,
                    Chunks = chunks, SampleWeight = w, SampleWeightLength = samples.Length, Smoothing = smoothing,
                };
                if (helpers > 0)
                {
                    WorkerPool.Run(&HalfJob.Work<TOp>, &job, helpers);
                }
                else
                {
                    HalfJob.Work<TOp>(&job);
                }
            }

            return TOp.Accumulates ? Pairwise(partial) : 0.0;
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

    /// <summary>A Half call's chunks as the pool's threads see them.</summary>
    private struct HalfJob
    {
        public Half* Labels;
        public byte* ByteLabels;
        public Half* Logits;
        public double* PosWeight;
        public Half* Destination;
        public double* Sums;
        public int Length;
        public int PosWeightLength;
        public long FirstElement;
        public Scale Scale;
        public LaneWidth Width;
        public int ChunkLength;
        public int Chunks;
        public int NextChunk;
        public double* SampleWeight;
        public int SampleWeightLength;
        public Smoothing Smoothing;

        [SkipLocalsInit]
        public static void Work<TOp>(void* state)
            where TOp : struct, IElementOperator
        {
            var job = (HalfJob*)state;
            var posWeight = new ReadOnlySpan<double>(job->PosWeight, job->PosWeightLength);
            Span<double> block = stackalloc double[3 * HalfBlock];
            var bx = block[..HalfBlock];
            var bz = block.Slice(HalfBlock, HalfBlock);
            var bd = block.Slice(2 * HalfBlock, HalfBlock);
            int chunk;
            while ((chunk = Interlocked.Increment(ref job->NextChunk) - 1) < job->Chunks)
            {
                int chunkStart = chunk * job->ChunkLength;
                int chunkEnd = System.Math.Min(chunkStart + job->ChunkLength, job->Length);
                double sum = 0.0;
                for (int start = chunkStart; start < chunkEnd; start += HalfBlock)
                {
                    int count = System.Math.Min(HalfBlock, chunkEnd - start);
                    HalfConversion.ToDouble(new ReadOnlySpan<Half>(job->Logits + start, count), bx);
                    var bytes = job->ByteLabels is null
                        ? default
                        : new ReadOnlySpan<byte>(job->ByteLabels + start, count);
                    if (bytes.IsEmpty)
                    {
                        HalfConversion.ToDouble(new ReadOnlySpan<Half>(job->Labels + start, count), bz);
                    }

                    sum += KernelChoice.Run<TOp, double, DoubleElements>(new ElementwiseCall<double>(
                        bytes.IsEmpty ? bz[..count] : default, bytes, bx[..count], posWeight, job->FirstElement + start,
                        bd[..count], job->Scale, job->Width,
                        new ReadOnlySpan<double>(job->SampleWeight, job->SampleWeightLength), job->Smoothing));
                    HalfConversion.ToHalf(bd[..count], new Span<Half>(job->Destination + start, count));
                }

                job->Sums[chunk] = sum;
            }
        }
    }
}
