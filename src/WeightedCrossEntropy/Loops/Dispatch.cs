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
/// Picks the loop for an element type and the hardware: float and double run natively; Half is converted to double
/// in blocks (vectorized, <see cref="HalfConversion"/>) in the same chunks on every core, computed by the float64
/// kernels and rounded once back; any other <see cref="IFloatingPointIeee754{TSelf}"/> the same way, one element
/// conversion at a time, on the calling thread.
/// </summary>
internal static unsafe class Dispatch
{
    private const int ConvertedBlock = 256;

    /// <summary>Half elements converted to double a block at a time, on the stack (three blocks: 24 KiB).</summary>
    private const int HalfBlock = 1024;

    /// <summary>Byte labels are widened this many at a time, on the stack (16 KiB of float64).</summary>
    private const int ByteLabelBlock = 2048;

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
        Span<T> destination, double divisor, LaneWidth width = LaneWidth.Best)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return Chunked<TOp, double, DoubleElements>(
                SpanCast.As<T, double>(labels), SpanCast.As<T, double>(logits), SpanCast.As<T, double>(posWeight), firstElement,
                SpanCast.As<T, double>(destination), divisor, width);
        }

        if (typeof(T) == typeof(float))
        {
            return Chunked<TOp, float, SingleElements>(
                SpanCast.As<T, float>(labels), SpanCast.As<T, float>(logits), SpanCast.As<T, float>(posWeight), firstElement,
                SpanCast.As<T, float>(destination), divisor, width);
        }

        if (typeof(T) == typeof(Half))
        {
            return ChunkedHalf<TOp>(
                SpanCast.As<T, Half>(labels), default, SpanCast.As<T, Half>(logits), SpanCast.As<T, Half>(posWeight), firstElement,
                SpanCast.As<T, Half>(destination), divisor, width);
        }

        return Converted<TOp, T>(labels, logits, posWeight, firstElement, destination, divisor, width);
    }

    /// <summary>
    /// Splits the work into fixed chunks (<see cref="ChunkLength"/>), runs them on up to
    /// <see cref="MaxDegreeOfParallelism"/> threads for large inputs, and adds the chunks' sums pairwise in chunk
    /// order: the same bits for any number of threads.
    /// </summary>
    private static double Chunked<TOp, TE, TIO>(
        ReadOnlySpan<TE> labels, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> posWeight, long firstElement,
        Span<TE> destination, double divisor, LaneWidth width, ReadOnlySpan<byte> byteLabels = default)
        where TOp : struct, IElementOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        int n = logits.Length;
        int chunkLength = ChunkLength(n);
        bool fromBytes = byteLabels.Length == n && labels.IsEmpty && n > 0;
        if (n <= chunkLength)
        {
            return Slice<TOp, TE, TIO>(
                labels, fromBytes ? byteLabels : default, logits, posWeight, firstElement, destination, divisor, width);
        }

        int chunks = (int)(((long)n + chunkLength - 1) / chunkLength);
        int helpers = Helpers(n, chunks);
        Span<double> partial = stackalloc double[chunks];
        fixed (TE* z = labels, x = logits, q = posWeight, d = destination)
        fixed (byte* zb = byteLabels)
        fixed (double* sums = partial)
        {
            var job = new ChunkJob<TE>
            {
                Labels = z, ByteLabels = fromBytes ? zb : null, Logits = x, PosWeight = q, Destination = d, Sums = sums,
                Length = n, PosWeightLength = posWeight.Length, FirstElement = firstElement, Divisor = divisor,
                Width = width, ChunkLength = chunkLength, Chunks = chunks,
            };
            WorkerPool.Run(&ChunkJob<TE>.Work<TOp, TIO>, &job, helpers);
        }

        return TOp.Accumulates ? Pairwise(partial) : 0.0;
    }

    /// <summary>Runs <typeparamref name="TOp"/> with hard labels given as bytes (validated 0 or 1).</summary>
    public static double ApplyByteLabels<TOp, T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination,
        double divisor, LaneWidth width = LaneWidth.Best)
        where TOp : struct, IElementOperator
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return Chunked<TOp, double, DoubleElements>(
                default, SpanCast.As<T, double>(logits), SpanCast.As<T, double>(posWeight), 0, SpanCast.As<T, double>(destination), divisor,
                width, labels);
        }

        if (typeof(T) == typeof(float))
        {
            return Chunked<TOp, float, SingleElements>(
                default, SpanCast.As<T, float>(logits), SpanCast.As<T, float>(posWeight), 0, SpanCast.As<T, float>(destination), divisor,
                width, labels);
        }

        if (typeof(T) == typeof(Half))
        {
            return ChunkedHalf<TOp>(
                default, labels, SpanCast.As<T, Half>(logits), SpanCast.As<T, Half>(posWeight), 0, SpanCast.As<T, Half>(destination), divisor,
                width);
        }

        // Other types: labels converted to T in blocks, then the general path, block by block.
        Span<T> block = new T[System.Math.Min(labels.Length, ByteLabelBlock)];
        double total = 0.0;
        for (int start = 0; start < labels.Length; start += ByteLabelBlock)
        {
            int count = System.Math.Min(ByteLabelBlock, labels.Length - start);
            for (int t = 0; t < count; t++)
            {
                block[t] = labels[start + t] == 0 ? T.Zero : T.One;
            }

            total += Converted<TOp, T>(
                block[..count], logits.Slice(start, count), posWeight, start, destination.Slice(start, count), divisor, width);
        }

        return total;
    }

    /// <summary>Byte labels of one chunk, converted to <typeparamref name="TE"/> a stack block at a time; the block
    /// sums are added in order.</summary>
    private static double FromByteLabels<TOp, TE, TIO>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> posWeight, long firstElement,
        Span<TE> destination, double divisor, LaneWidth width)
        where TOp : struct, IElementOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        Span<TE> block = stackalloc TE[ByteLabelBlock];
        double total = 0.0;
        for (int start = 0; start < labels.Length; start += ByteLabelBlock)
        {
            int count = System.Math.Min(ByteLabelBlock, labels.Length - start);
            var converted = block[..count];
            if (typeof(TE) == typeof(float))
            {
                System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(
                    labels.Slice(start, count), MemoryMarshal.Cast<TE, float>(converted));
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(
                    labels.Slice(start, count), MemoryMarshal.Cast<TE, double>(converted));
            }

            total += ForLanes<TOp, TE, TIO>(
                converted, logits.Slice(start, count), posWeight, firstElement + start, destination.Slice(start, count),
                divisor, width);
        }

        return total;
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
        public double Divisor;
        public LaneWidth Width;
        public int ChunkLength;
        public int Chunks;
        public int NextChunk;

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
                job->Sums[chunk] = Slice<TOp, TE, TIO>(
                    bytes ? default : new ReadOnlySpan<TE>(job->Labels + start, count),
                    bytes ? new ReadOnlySpan<byte>(job->ByteLabels + start, count) : default,
                    new ReadOnlySpan<TE>(job->Logits + start, count),
                    posWeight,
                    job->FirstElement + start,
                    new Span<TE>(job->Destination + start, count),
                    job->Divisor,
                    job->Width);
            }
        }
    }

    /// <summary>One slice of the work: labels from <paramref name="byteLabels"/> where it is not empty, else from
    /// <paramref name="labels"/>.</summary>
    private static double Slice<TOp, TE, TIO>(
        ReadOnlySpan<TE> labels, ReadOnlySpan<byte> byteLabels, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> posWeight,
        long firstElement, Span<TE> destination, double divisor, LaneWidth width)
        where TOp : struct, IElementOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        var lanes = Resolve(width);
        if (typeof(TE) == typeof(float) && TOp.HasHardLabelKernels && lanes != LaneWidth.Scalar)
        {
            // float32 in float lanes; byte labels are widened there, in registers.
            return ForSingleLanes<TOp>(
                SpanCast.As<TE, float>(labels), byteLabels, SpanCast.As<TE, float>(logits), SpanCast.As<TE, float>(posWeight), firstElement,
                SpanCast.As<TE, float>(destination), divisor, lanes);
        }

        if (typeof(TE) == typeof(double) && TOp.HasHardLabelKernels && lanes != LaneWidth.Scalar)
        {
            // float64 with the hard-label kernel; byte labels are widened in registers.
            return ForDoubleLanes<TOp>(
                SpanCast.As<TE, double>(labels), byteLabels, SpanCast.As<TE, double>(logits), SpanCast.As<TE, double>(posWeight), firstElement,
                SpanCast.As<TE, double>(destination), divisor, lanes);
        }

        return General<TOp, TE, TIO>(labels, byteLabels, logits, posWeight, firstElement, destination, divisor, width);
    }

    /// <summary>The general kernel (<see cref="ElementMath{TV, L}"/> in <see cref="ElementwiseLoop"/>); byte labels
    /// converted a block at a time.</summary>
    private static double General<TOp, TE, TIO>(
        ReadOnlySpan<TE> labels, ReadOnlySpan<byte> byteLabels, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> posWeight,
        long firstElement, Span<TE> destination, double divisor, LaneWidth width)
        where TOp : struct, IElementOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE> =>
        byteLabels.IsEmpty
            ? ForLanes<TOp, TE, TIO>(labels, logits, posWeight, firstElement, destination, divisor, width)
            : FromByteLabels<TOp, TE, TIO>(byteLabels, logits, posWeight, firstElement, destination, divisor, width);

    private static double ForLanes<TOp, TE, TIO>(
        ReadOnlySpan<TE> labels, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> posWeight, long firstElement,
        Span<TE> destination, double divisor, LaneWidth width)
        where TOp : struct, IElementOperator
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
    {
        var lanes = Resolve(width);
        if (typeof(TE) == typeof(float) && TOp.HasOnlyFloatLaneKernel && Vector256.IsHardwareAccelerated &&
            lanes is LaneWidth.Vector512 or LaneWidth.Vector256)
        {
            // float32 with float lanes but no hard-label kernel (∂/∂labels): eight at a time in SingleFastPath's
            // float lanes, the rest in Vector256 double lanes.
            return ElementwiseLoop.Run<TOp, TE, TIO, Vector256<double>, Vector256Lanes>(
                labels, logits, posWeight, firstElement, destination, divisor);
        }

        return lanes switch
        {
            LaneWidth.Vector512 when Vector512.IsHardwareAccelerated =>
                ElementwiseLoop.Run<TOp, TE, TIO, Vector512<double>, Vector512Lanes>(
                    labels, logits, posWeight, firstElement, destination, divisor),
            LaneWidth.Vector256 when Vector256.IsHardwareAccelerated =>
                ElementwiseLoop.Run<TOp, TE, TIO, Vector256<double>, Vector256Lanes>(
                    labels, logits, posWeight, firstElement, destination, divisor),
            LaneWidth.Vector128 when Vector128.IsHardwareAccelerated =>
                ElementwiseLoop.Run<TOp, TE, TIO, Vector128<double>, Vector128Lanes>(
                    labels, logits, posWeight, firstElement, destination, divisor),
            _ => ElementwiseLoop.Run<TOp, TE, TIO, double, ScalarLanes>(
                labels, logits, posWeight, firstElement, destination, divisor),
        };
    }

    /// <summary>float32 operators with float lanes (<see cref="SingleLoop"/>): Vector512 float lanes fall back on
    /// Vector256 double lanes (where <see cref="SingleFastPath"/> runs), Vector256 on Vector256, Vector128 on
    /// Vector128.</summary>
    private static double ForSingleLanes<TOp>(
        ReadOnlySpan<float> labels, ReadOnlySpan<byte> byteLabels, ReadOnlySpan<float> logits,
        ReadOnlySpan<float> posWeight, long firstElement,
        Span<float> destination, double divisor, LaneWidth lanes)
        where TOp : struct, IElementOperator
    {
        return lanes switch
        {
            LaneWidth.Vector512 when Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated =>
                SingleLoop.Run<TOp, Vector512<float>, Vector512<double>, Vector512SingleLanes, Vector512Lanes, Vector256<double>, Vector256Lanes>(
                    labels, byteLabels, logits, posWeight, firstElement, destination, divisor),
            LaneWidth.Vector256 when Vector256.IsHardwareAccelerated =>
                SingleLoop.Run<TOp, Vector256<float>, Vector256<double>, Vector256SingleLanes, Vector256Lanes, Vector256<double>, Vector256Lanes>(
                    labels, byteLabels, logits, posWeight, firstElement, destination, divisor),
            LaneWidth.Vector128 when Vector128.IsHardwareAccelerated =>
                SingleLoop.Run<TOp, Vector128<float>, Vector128<double>, Vector128SingleLanes, Vector128Lanes, Vector128<double>, Vector128Lanes>(
                    labels, byteLabels, logits, posWeight, firstElement, destination, divisor),
            _ => General<TOp, float, SingleElements>(
                labels, byteLabels, logits, posWeight, firstElement, destination, divisor, LaneWidth.Scalar),
        };
    }

    /// <summary>float64 operators with hard-label kernels (<see cref="DoubleLoop"/>), at the lane width asked for.</summary>
    private static double ForDoubleLanes<TOp>(
        ReadOnlySpan<double> labels, ReadOnlySpan<byte> byteLabels, ReadOnlySpan<double> logits,
        ReadOnlySpan<double> posWeight, long firstElement, Span<double> destination, double divisor, LaneWidth lanes)
        where TOp : struct, IElementOperator
    {
        return lanes switch
        {
            LaneWidth.Vector512 when Vector512.IsHardwareAccelerated =>
                DoubleLoop.Run<TOp, Vector512<double>, Vector512Lanes>(
                    labels, byteLabels, logits, posWeight, firstElement, destination, divisor),
            LaneWidth.Vector256 when Vector256.IsHardwareAccelerated =>
                DoubleLoop.Run<TOp, Vector256<double>, Vector256Lanes>(
                    labels, byteLabels, logits, posWeight, firstElement, destination, divisor),
            LaneWidth.Vector128 when Vector128.IsHardwareAccelerated =>
                DoubleLoop.Run<TOp, Vector128<double>, Vector128Lanes>(
                    labels, byteLabels, logits, posWeight, firstElement, destination, divisor),
            _ => General<TOp, double, DoubleElements>(
                labels, byteLabels, logits, posWeight, firstElement, destination, divisor, LaneWidth.Scalar),
        };
    }

    /// <summary>
    /// Half: in the fixed chunks of <see cref="Chunked{TOp, TE, TIO}"/>, on every core for a large call, each chunk a
    /// block at a time converted exactly to double (<see cref="HalfConversion"/>), computed by the float64 kernels and
    /// rounded once back: every result is the float64 result rounded to Half, the same bits as one element at a time.
    /// Byte labels go to the float64 kernels as bytes.
    /// </summary>
    private static double ChunkedHalf<TOp>(
        ReadOnlySpan<Half> labels, ReadOnlySpan<byte> byteLabels, ReadOnlySpan<Half> logits,
        ReadOnlySpan<Half> posWeight, long firstElement, Span<Half> destination, double divisor, LaneWidth width)
        where TOp : struct, IElementOperator
    {
        int n = logits.Length;
        double[]? rented = null;
        Span<double> weights = posWeight.Length <= 1024
            ? stackalloc double[posWeight.Length]
            : (rented = ArrayPool<double>.Shared.Rent(posWeight.Length)).AsSpan(0, posWeight.Length);
        try
        {
            HalfConversion.ToDouble(posWeight, weights);
            int chunkLength = ChunkLength(n);
            int chunks = System.Math.Max(1, (int)(((long)n + chunkLength - 1) / chunkLength));
            int helpers = Helpers(n, chunks);
            Span<double> partial = stackalloc double[chunks];
            fixed (Half* z = labels, x = logits, d = destination)
            fixed (byte* zb = byteLabels)
            fixed (double* q = weights, sums = partial)
            {
                var job = new HalfJob
                {
                    Labels = z, ByteLabels = byteLabels.IsEmpty ? null : zb, Logits = x, PosWeight = q,
                    Destination = d, Sums = sums, Length = n, PosWeightLength = weights.Length,
                    FirstElement = firstElement, Divisor = divisor, Width = width, ChunkLength = chunkLength,
                    Chunks = chunks,
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
        public double Divisor;
        public LaneWidth Width;
        public int ChunkLength;
        public int Chunks;
        public int NextChunk;

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

                    sum += Slice<TOp, double, DoubleElements>(
                        bytes.IsEmpty ? bz[..count] : default, bytes, bx[..count], posWeight, job->FirstElement + start,
                        bd[..count], job->Divisor, job->Width);
                    HalfConversion.ToHalf(bd[..count], new Span<Half>(job->Destination + start, count));
                }

                job->Sums[chunk] = sum;
            }
        }
    }

    /// <summary>Types other than float, double and Half: blocks converted exactly to double, computed, rounded once
    /// back, on the calling thread.</summary>
    private static double Converted<TOp, T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, long firstElement,
        Span<T> destination, double divisor, LaneWidth width)
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

                // The same kernels as float64 (Slice), so a Half result is the double result rounded once.
                total += Slice<TOp, double, DoubleElements>(
                    bz, default, bx, weights, firstElement + start, bd, divisor, width);
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
}
