using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// The float64 loop for the operators with hard-label kernels, as <see cref="SingleLoop"/> is for float32: a step
/// whose lanes are all covered by <see cref="HardLabelDoubleMath{TV, L}"/> (hard labels, the common case) runs that
/// kernel; any other step runs <see cref="ElementMath{TV, L}"/> on every lane and keeps the hard-label kernel's result
/// in the covered lanes. An element's result depends on its own inputs only, never on its neighbours in the step.
/// Covered steps are software-pipelined as in <see cref="SingleLoop"/>.
/// </summary>
internal static class DoubleLoop
{
    /// <summary>Widest step in doubles (one Vector512).</summary>
    private const int MaxWidth = 8;

    /// <summary>Whether the covered loop computes e^−|x| two steps ahead: only with 32 vector registers (AVX-512, also
    /// for its 256-bit lanes), and not for the fused operator (<see cref="IElementOperator.Accumulates"/>). With AVX2's
    /// 16 the second step's vectors spill and one step ahead is faster; the fused step has the most live vectors, and
    /// even 32 registers spill there two steps ahead (A/B numbers: docs/benchmarks.md).
    /// </summary>
    /// <remarks>Inlined: called in the covered pipeline's loop, a call there makes the JIT save and reload every
    /// vector register around it (measured: float64 forward and fused 17–26% slower).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TwoStepsAhead<TOp>()
        where TOp : struct, IHardLabelOperator =>
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported && !TOp.Accumulates;

    /// <summary>Runs <typeparamref name="TOp"/> over the elements; returns the sum of its accumulated output (0 for
    /// operators that accumulate nothing). As <see cref="ElementwiseLoop.Run{TOp, TE, TIO, TV, L, TS}"/>.</summary>
    /// <remarks>Labels come from <c>call.Labels</c>, or, where <c>call.ByteLabels</c> is not empty,
    /// from bytes (validated 0 or 1), widened in registers: 17 bytes move per element instead of 24.</remarks>
    [SkipLocalsInit]
    public static double Run<TOp, TV, L, TS>(in ElementwiseCall<double> call)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var labels = call.Labels;
        var byteLabels = call.ByteLabels;
        var logits = call.Logits;
        var destination = call.Destination;
        var scale = call.Scale;
        int n = logits.Length;
        int width = L.Count;
        Span<double> scratch = stackalloc double[PosWeightCycle<double>.ScratchLength];
        var cycle = new PosWeightCycle<double>(call.PosWeight, call.FirstElement, width, scratch);
        Span<double> sampleScratch = stackalloc double[TS.PerLane ? PosWeightCycle<double>.ScratchLength : 0];
        var samples = TS.PerLane
            ? new PosWeightCycle<double>(call.SampleWeight, call.FirstElement, width, sampleScratch)
            : default;
        var constants = new StepConstants<TV>(
            L.Create(scale.High), L.Create(scale.Low), L.Create(call.Smoothing.Keep), L.Create(call.Smoothing.Half));
        var smoothing = TS.Smooths ? HardSmoothing<TV>.Double<L>(call.Smoothing) : default;
        var fallback = new KahanLanes<TV, L>(L.Create(0.0));

        // The covered lanes' losses are finite and ≥ 0: a plain compensated sum (CoveredPipeline keeps it in
        // registers).
        var sum = L.Create(0.0);
        var compensation = sum;

        ref double x = ref MemoryMarshal.GetReference(logits);
        bool bytes = !byteLabels.IsEmpty;
        ref double z = ref MemoryMarshal.GetReference(labels);
        ref byte zb = ref MemoryMarshal.GetReference(byteLabels);
        ref double d = ref MemoryMarshal.GetReference(destination);
        int weightIndex = cycle.Index;
        int sampleIndex = TS.PerLane ? samples.Index : 0;
        int i = 0;
        while (i <= n - width)
        {
            // Covered steps, in their own method, so that the sums and the loop's bookkeeping stay in registers
            // there (with the call below in the same loop, the JIT keeps them on the stack).
            i = TS.PerLane || TS.Smooths
                ? CoveredPipeline.RunWeighted<Covered<TOp, TV, L, TS>, double, TV, TV>(
                    ref x, ref z, ref zb, bytes, ref d, i, n, ref cycle, ref weightIndex, ref samples, ref sampleIndex,
                    scale.High, scale.Low, call.Smoothing, ref sum, ref compensation)
                : CoveredPipeline.Run<Covered<TOp, TV, L, TS>, double, TV, TV>(
                    ref x, ref z, ref zb, bytes, ref d, i, n, ref cycle, ref weightIndex, scale.High, scale.Low,
                    ref sum, ref compensation);
            if (i > n - width)
            {
                break;
            }

            var coveredLoss = Mixed<TOp, TV, L, TS>(
                L.Load(ref Unsafe.Add(ref x, i)),
                bytes ? L.LoadBytes(ref Unsafe.Add(ref zb, i)) : L.Load(ref Unsafe.Add(ref z, i)),
                L.Load(ref cycle.At(weightIndex)), TS.PerLane ? L.Load(ref samples.At(sampleIndex)) : default,
                ref Unsafe.Add(ref d, i), constants, smoothing, ref fallback);
            if (TOp.Accumulates)
            {
                KahanLanes<TV, L>.AddFinite(coveredLoss, ref sum, ref compensation);
            }

            weightIndex = cycle.Next(weightIndex);
            sampleIndex = TS.PerLane ? samples.Next(sampleIndex) : 0;
            i += width;
        }

        if (i < n)
        {
            // The tail runs one more step on padded copies (PaddedTail).
            int rest = n - i;
            Span<double> tail = stackalloc double[PaddedTail.Parts * MaxWidth];
            PaddedTail.Fill(
                tail, width, logits[i..], bytes ? default : labels[i..], bytes ? byteLabels[i..] : default,
                MemoryMarshal.CreateReadOnlySpan(ref cycle.At(weightIndex), rest), out var tx, out var tz, out var tq,
                out var td, TS.PerLane ? MemoryMarshal.CreateReadOnlySpan(ref samples.At(sampleIndex), rest) : default,
                out var tw);
            var coveredLoss = Mixed<TOp, TV, L, TS>(
                L.Load(ref MemoryMarshal.GetReference(tx)), L.Load(ref MemoryMarshal.GetReference(tz)),
                L.Load(ref MemoryMarshal.GetReference(tq)), L.Load(ref MemoryMarshal.GetReference(tw)),
                ref MemoryMarshal.GetReference(td), constants, smoothing, ref fallback);
            if (TOp.Accumulates)
            {
                KahanLanes<TV, L>.AddFinite(coveredLoss, ref sum, ref compensation);
            }

            td[..rest].CopyTo(destination[i..]);
        }

        return TOp.Accumulates ? (L.Sum(sum) - L.Sum(compensation)) + fallback.Total() : 0.0;
    }

    /// <summary>The kernel of <see cref="HardLabelDoubleMath{TV, L}"/> as the covered-step pipeline's stages. Its
    /// accumulators are the caller's compensated sum itself (the losses are finite and ≥ 0).</summary>
    private readonly struct Covered<TOp, TV, L, TS> : ICoveredKernel<double, TV, TV>
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TV : struct
        where L : struct, ILanes<TV>
    {
        public static int Width
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => L.Count;
        }

        public static bool TwoStepsAhead
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => TwoStepsAhead<TOp>();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Create(double value) => L.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Load(ref double source) => L.Load(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV LoadBytes(ref byte source) => L.LoadBytes(ref source);

        public static bool PerLane
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => TS.PerLane;
        }

        public static bool Smooths
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => TS.Smooths;
        }

        public static HardSmoothing<TV> SmoothingLanes(Smoothing smoothing) => HardSmoothing<TV>.Double<L>(smoothing);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool AllCovered(TV x, TV z, TV q) => HardLabelDoubleMath<TV, L>.AllCovered(x, z, q);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Finish(
            TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, ref double destination, ref TV first,
            ref TV second)
        {
            L.Store(
                TOp.InvokeHardDouble<TV, L, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, out var loss),
                ref destination);
            if (TOp.Accumulates)
            {
                KahanLanes<TV, L>.AddFinite(loss, ref first, ref second);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool AllCovered(TV x, TV z, TV q, TV w) =>
            HardLabelDoubleMath<TV, L>.AllCovered(x, z, q)
            && (!TS.PerLane || HardLabelDoubleMath<TV, L>.AllSampleWeightsCovered(w));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Exp(TV x, out TV e, out TV eLow) => HardLabelDoubleMath<TV, L>.Exp(x, out e, out eLow);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void BeginSums(ref TV sum, ref TV compensation, out TV first, out TV second)
        {
            first = sum;
            second = compensation;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void EndSums(TV first, TV second, ref TV sum, ref TV compensation)
        {
            sum = first;
            compensation = second;
        }

        /// <summary>The operator from e^−|x| = e + eLow, stored, and its loss (if it accumulates) added to the
        /// compensated sum (<paramref name="first"/>, with its compensation <paramref name="second"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Finish(
            TV x, TV z, TV q, TV w, TV e, TV eLow, TV scaleHigh, TV scaleLow, in HardSmoothing<TV> smoothing,
            ref double destination, ref TV first, ref TV second)
        {
            if (TS.PerLane)
            {
                scaleHigh = Scale.PerLane<TV, L>(w, scaleHigh, scaleLow, out scaleLow);
            }

            L.Store(
                HardLabelOperators.InvokeDouble<TOp, TV, L, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out var loss),
                ref destination);
            if (TOp.Accumulates)
            {
                KahanLanes<TV, L>.AddFinite(
                    TS.PerLane && !TOp.AccumulatesStored ? L.Multiply(loss, w) : loss, ref first, ref second);
            }
        }
    }

    /// <summary>A step with lanes that the hard-label kernel does not cover: every lane runs
    /// <see cref="ElementMath{TV, L}"/>, whose accumulated output in the other lanes goes to
    /// <paramref name="fallback"/>; the covered lanes take the kernel's result. Returns the covered lanes' accumulated
    /// output (0 in the others).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TV Mixed<TOp, TV, L, TS>(
        TV x, TV z, TV q, TV w, ref double destination, in StepConstants<TV> constants,
        in HardSmoothing<TV> smoothing, ref KahanLanes<TV, L> fallback)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var covered = HardLabelDoubleMath<TV, L>.Covered(x, z, q);
        var scaleHigh = constants.High;
        var scaleLow = constants.Low;
        var coveredWeight = w;
        if (TS.PerLane)
        {
            covered = L.And(covered, HardLabelDoubleMath<TV, L>.SampleWeightCovered(w));
            scaleHigh = Scale.PerLane<TV, L>(w, constants.High, constants.Low, out scaleLow);
            coveredWeight = L.And(covered, w);
        }

        if (L.AllSet(covered))
        {
            // Every lane covered (a step whose weights wrap past the end of the cycle): the kernel alone.
            HardLabelDoubleMath<TV, L>.Exp(x, out var e, out var eLow);
            L.Store(
                HardLabelOperators.InvokeDouble<TOp, TV, L, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out var loss),
                ref destination);
            return !TOp.Accumulates ? L.Create(0.0)
                : TS.PerLane && !TOp.AccumulatesStored ? L.Multiply(loss, w) : loss;
        }

        var result = TOp.Invoke<TV, L, TS>(x, z, q, scaleHigh, scaleLow, constants.Keep, constants.Half, out var accumulate);
        if (TS.PerLane && !TOp.AccumulatesStored)
        {
            accumulate = Scale.Weigh<TV, L>(accumulate, w);
        }

        var coveredLoss = L.Create(0.0);
        if (!L.NoneSet(covered))
        {
            HardLabelDoubleMath<TV, L>.Exp(x, out var e, out var eLow);
            var hard = HardLabelOperators.InvokeDouble<TOp, TV, L, TS>(
                x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out var loss);
            result = L.Select(covered, hard, result);
            coveredLoss = !TOp.Accumulates ? coveredLoss
                : TS.PerLane && !TOp.AccumulatesStored ? L.Multiply(L.And(covered, loss), coveredWeight)
                : L.And(covered, loss);
        }

        if (TOp.Accumulates)
        {
            fallback.Add(L.AndNot(accumulate, covered));
        }

        L.Store(result, ref destination);
        return coveredLoss;
    }
}
