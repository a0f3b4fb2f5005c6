using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// The float32 loop for the operators with float lanes: a step is one vector of TF (16 floats
/// on AVX-512). A step whose lanes are all covered by <see cref="HardLabelMath{TF, TD, F}"/> (hard labels, the
/// common case) runs in float lanes only; any other step runs through <see cref="ElementwiseLoop"/>'s step
/// (<see cref="SingleFastPath"/> and the double lanes TV) on a copy in which the covered
/// lanes are replaced by padding, and the covered lanes then take the float-lane result. An element's result
/// therefore depends on its own inputs only, never on its neighbours in the step. Covered steps are software-pipelined
/// (<see cref="CoveredPipeline"/>): e^−|x| of a step is computed one or two iterations before the rest of it.
/// </summary>
internal static class SingleLoop
{
    /// <summary>Widest step in floats (two Vector512).</summary>
    private const int MaxWidth = 32;

    /// <summary>Whether the covered loop computes e^−|x| two steps ahead: only with 32 vector registers (AVX-512, also
    /// for its 256-bit lanes), and not for the fused operator (<see cref="IElementOperator.Accumulates"/>). With AVX2's
    /// 16 the second step's vectors spill and one step ahead is faster; the fused step has the most live vectors, and
    /// one step ahead is faster for it even with 32 registers (A/B numbers: docs/benchmarks.md).
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
    /// from bytes (validated 0 or 1), widened in registers: 9 bytes move per element instead of 12.</remarks>
    [SkipLocalsInit]
    public static double Run<TOp, TF, TD, F, DL, TV, L, TS>(in ElementwiseCall<float> call)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where DL : struct, ILanes<TD>
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var labels = call.Labels;
        var byteLabels = call.ByteLabels;
        var logits = call.Logits;
        var destination = call.Destination;
        var scale = call.Scale;
        int n = logits.Length;
        int width = F.Count;
        Span<float> scratch = stackalloc float[PosWeightCycle<float>.ScratchLength];
        var cycle = new PosWeightCycle<float>(call.PosWeight, call.FirstElement, width, scratch);
        Span<float> sampleScratch = stackalloc float[TS.PerLane ? PosWeightCycle<float>.ScratchLength : 0];
        var samples = TS.PerLane
            ? new PosWeightCycle<float>(call.SampleWeight, call.FirstElement, width, sampleScratch)
            : default;
        var state = new State<TV, L>
        {
            ScaleHigh = scale.SingleHigh,
            ScaleLow = scale.SingleLow,
            Constants = new StepConstants<TV>(
                L.Create(scale.High), L.Create(scale.Low), L.Create(call.Smoothing.Keep), L.Create(call.Smoothing.Half)),
            Smoothing = call.Smoothing,
            Fallback = new KahanLanes<TV, L>(L.Create(0.0)),
        };
        // One compensated sum of the covered lanes' losses (CoveredPipeline keeps it in registers). The two halves of
        // a step are added first: the losses here are finite and ≥ 0, so that rounding is at most 2^−53 of the total.
        var sum = DL.Create(0.0);
        var compensation = sum;

        ref float x = ref MemoryMarshal.GetReference(logits);
        bool bytes = !byteLabels.IsEmpty;
        ref float z = ref MemoryMarshal.GetReference(labels);
        ref byte zb = ref MemoryMarshal.GetReference(byteLabels);
        Span<float> widenedLabels = stackalloc float[MaxWidth];
        ref float d = ref MemoryMarshal.GetReference(destination);
        // The weights' position, kept apart from the cycle so that CoveredPipeline can hold it in a register.
        int weightIndex = cycle.Index;
        int sampleIndex = TS.PerLane ? samples.Index : 0;
        int i = 0;
        while (i <= n - width)
        {
            // Covered steps: float lanes only, in their own method, so that the sums and the loop's bookkeeping
            // stay in registers there (with the call below in the same loop, the JIT keeps them on the stack).
            i = TS.PerLane || TS.Smooths
                ? CoveredPipeline.RunWeighted<Covered<TOp, TF, TD, F, DL, TS>, float, TF, TD>(
                    ref x, ref z, ref zb, bytes, ref d, i, n, ref cycle, ref weightIndex, ref samples, ref sampleIndex,
                    state.ScaleHigh, state.ScaleLow, call.Smoothing, ref sum, ref compensation)
                : CoveredPipeline.Run<Covered<TOp, TF, TD, F, DL, TS>, float, TF, TD>(
                    ref x, ref z, ref zb, bytes, ref d, i, n, ref cycle, ref weightIndex, state.ScaleHigh,
                    state.ScaleLow, ref sum, ref compensation);
            if (i > n - width)
            {
                break;
            }

            ref float mixedWeights = ref cycle.At(weightIndex);
            ref float mixedSamples = ref TS.PerLane ? ref samples.At(sampleIndex) : ref mixedWeights;
            scoped ref float mixedLabels = ref Unsafe.Add(ref z, i);
            if (bytes)
            {
                mixedLabels = ref MemoryMarshal.GetReference(widenedLabels);
                F.Store(F.LoadBytes(ref Unsafe.Add(ref zb, i)), ref mixedLabels);
            }

            var mixedLoss = Mixed<TOp, TF, TD, F, TV, L, TS>(
                ref Unsafe.Add(ref x, i), ref mixedLabels, ref mixedWeights, ref mixedSamples, ref Unsafe.Add(ref d, i),
                ref state, out var mixedWeight);
            if (TOp.Accumulates)
            {
                F.Widen(mixedLoss, out var lower, out var upper);
                Weigh<TOp, TF, TD, F, DL, TS>(mixedWeight, ref lower, ref upper);
                KahanLanes<TD, DL>.AddFinite(DL.Add(lower, upper), ref sum, ref compensation);
            }

            weightIndex = cycle.Next(weightIndex);
            sampleIndex = TS.PerLane ? samples.Next(sampleIndex) : 0;
            i += width;
        }

        if (i < n)
        {
            // The tail runs one more step on padded copies (PaddedTail).
            int rest = n - i;
            Span<float> tail = stackalloc float[PaddedTail.Parts * MaxWidth];
            PaddedTail.Fill(
                tail, width, logits[i..], bytes ? default : labels[i..], bytes ? byteLabels[i..] : default,
                MemoryMarshal.CreateReadOnlySpan(ref cycle.At(weightIndex), rest), out var tx, out var tz, out var tq,
                out var td, TS.PerLane ? MemoryMarshal.CreateReadOnlySpan(ref samples.At(sampleIndex), rest) : default,
                out var tw);
            var loss = Mixed<TOp, TF, TD, F, TV, L, TS>(
                ref MemoryMarshal.GetReference(tx), ref MemoryMarshal.GetReference(tz),
                ref MemoryMarshal.GetReference(tq), ref MemoryMarshal.GetReference(tw),
                ref MemoryMarshal.GetReference(td), ref state, out var tailWeight);
            if (TOp.Accumulates)
            {
                F.Widen(loss, out var lower, out var upper);
                Weigh<TOp, TF, TD, F, DL, TS>(tailWeight, ref lower, ref upper);
                KahanLanes<TD, DL>.AddFinite(DL.Add(lower, upper), ref sum, ref compensation);
            }

            td[..rest].CopyTo(destination[i..]);
        }

        return TOp.Accumulates
            ? (DL.Sum(sum) - DL.Sum(compensation)) + state.Fallback.Total()
            : 0.0;
    }

    /// <summary>The float-lane kernel of <see cref="HardLabelMath{TF, TD, F}"/> as the covered-step pipeline's
    /// stages. Its accumulators are plain double sums, one per half of a step (two short chains), folded into the
    /// compensated sum at the pipeline's end: the losses are ≥ 0 and a call covers at most one chunk (2^19 elements,
    /// ≤ 2^17 additions per lane), so their rounding is at most 2^−36 of the chunk's sum, far below a float ULP.
    /// </summary>
    private readonly struct Covered<TOp, TF, TD, F, DL, TS> : ICoveredKernel<float, TF, TD>
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where DL : struct, ILanes<TD>
    {
        public static int Width
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => F.Count;
        }

        public static bool TwoStepsAhead
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => TwoStepsAhead<TOp>();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TF Create(float value) => F.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TF Load(ref float source) => F.Load(ref source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TF LoadBytes(ref byte source) => F.LoadBytes(ref source);

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

        public static HardSmoothing<TF> SmoothingLanes(Smoothing smoothing) =>
            HardSmoothing<TF>.Single<TF, TD, F>(smoothing);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool AllCovered(TF x, TF z, TF q) => HardLabelMath<TF, TD, F>.AllCovered(x, z, q);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Finish(
            TF x, TF z, TF q, TF e, TF eLow, TF scaleHigh, TF scaleLow, ref float destination, ref TD first,
            ref TD second)
        {
            F.Store(
                TOp.InvokeHard<TF, TD, F, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, out var loss),
                ref destination);
            if (TOp.Accumulates)
            {
                F.Widen(loss, out var lower, out var upper);
                first = DL.Add(first, lower);
                second = DL.Add(second, upper);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool AllCovered(TF x, TF z, TF q, TF w) =>
            HardLabelMath<TF, TD, F>.AllCovered(x, z, q)
            && (!TS.PerLane || HardLabelMath<TF, TD, F>.AllSampleWeightsCovered(w));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Exp(TF x, out TF e, out TF eLow) => HardLabelMath<TF, TD, F>.Exp(x, out e, out eLow);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void BeginSums(ref TD sum, ref TD compensation, out TD first, out TD second)
        {
            first = DL.Create(0.0);
            second = first;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void EndSums(TD first, TD second, ref TD sum, ref TD compensation)
        {
            if (TOp.Accumulates)
            {
                KahanLanes<TD, DL>.AddFinite(DL.Add(first, second), ref sum, ref compensation);
            }
        }

        /// <summary>The operator from e^−|x| = e + eLow, stored, and its losses (if it accumulates) added to the
        /// plain double sums of the lower (<paramref name="first"/>) and upper halves.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Finish(
            TF x, TF z, TF q, TF w, TF e, TF eLow, TF scaleHigh, TF scaleLow, in HardSmoothing<TF> smoothing,
            ref float destination, ref TD first, ref TD second)
        {
            if (TS.PerLane)
            {
                scaleHigh = HardLabelMath<TF, TD, F>.WeighScale(w, scaleHigh, scaleLow, out scaleLow);
            }

            F.Store(
                HardLabelOperators.Invoke<TOp, TF, TD, F, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out var loss),
                ref destination);
            if (TOp.Accumulates)
            {
                F.Widen(loss, out var lower, out var upper);
                if (TS.PerLane && !TOp.AccumulatesStored)
                {
                    // The float loss times the float weight is exact in double.
                    F.Widen(w, out var wLower, out var wUpper);
                    lower = DL.Multiply(lower, wLower);
                    upper = DL.Multiply(upper, wUpper);
                }

                first = DL.Add(first, lower);
                second = DL.Add(second, upper);
            }
        }
    }

    /// <summary>A step with lanes that the float-lane kernel does not cover: those run in
    /// <see cref="ElementwiseLoop"/>'s step, on a copy where the covered lanes are padding, and add to the fallback
    /// sum. Returns the covered lanes' accumulated output (0 in the others).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TF Mixed<TOp, TF, TD, F, TV, L, TS>(
        ref float logits, ref float labels, ref float posWeight, ref float sampleWeight, ref float destination,
        ref State<TV, L> state, out TF coveredWeight)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var x = F.Load(ref logits);
        var z = F.Load(ref labels);
        var q = F.Load(ref posWeight);
        var w = TS.PerLane ? F.Load(ref sampleWeight) : default;
        var covered = HardLabelMath<TF, TD, F>.Covered(x, z, q);
        var scaleHigh = F.Create(state.ScaleHigh);
        var scaleLow = F.Create(state.ScaleLow);
        if (TS.PerLane)
        {
            covered = F.And(covered, HardLabelMath<TF, TD, F>.SampleWeightCovered(w));
            // Zero in the lanes not covered, where the pair is not used (and an infinite weight would make it NaN).
            scaleHigh = HardLabelMath<TF, TD, F>.WeighScale(F.And(covered, w), scaleHigh, scaleLow, out scaleLow);
        }

        coveredWeight = TS.PerLane ? F.And(covered, w) : default;
        var smoothing = TS.Smooths ? HardSmoothing<TF>.Single<TF, TD, F>(state.Smoothing) : default;

        if (F.AllSet(covered))
        {
            // Every lane covered (a step whose weights wrap past the end of the cycle): the kernel alone.
            HardLabelMath<TF, TD, F>.Exp(x, out var e, out var eLow);
            F.Store(
                HardLabelOperators.Invoke<TOp, TF, TD, F, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out var loss),
                ref destination);
            return TOp.Accumulates ? loss : F.Create(0f);
        }

        Span<float> padded = stackalloc float[PaddedTail.Parts * MaxWidth];
        ref float px = ref padded[0];
        ref float pz = ref padded[MaxWidth];
        ref float pq = ref padded[2 * MaxWidth];
        ref float pd = ref padded[3 * MaxWidth];
        ref float pw = ref padded[4 * MaxWidth];
        F.Store(F.Select(covered, F.Create(float.NegativeInfinity), x), ref px);
        F.Store(F.AndNot(z, covered), ref pz);
        F.Store(F.AndNot(q, covered), ref pq);
        F.Store(TS.PerLane ? F.AndNot(w, covered) : F.Create(0f), ref pw);
        int group = SingleElements.Width<TV, L>();
        for (int g = 0; g < F.Count; g += group)
        {
            ElementwiseLoop.Step<TOp, float, SingleElements, TV, L, TS>(
                ref Unsafe.Add(ref px, g), ref Unsafe.Add(ref pz, g), ref Unsafe.Add(ref pq, g),
                ref Unsafe.Add(ref pw, g), ref Unsafe.Add(ref pd, g), state.Constants, ref state.Fallback);
        }

        var result = F.Load(ref pd);
        var coveredLoss = F.Create(0f);
        if (!F.NoneSet(covered))
        {
            HardLabelMath<TF, TD, F>.Exp(x, out var e, out var eLow);
            var hard = HardLabelOperators.Invoke<TOp, TF, TD, F, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, smoothing, out var loss);
            result = F.Select(covered, hard, result);
            coveredLoss = TOp.Accumulates ? F.And(covered, loss) : coveredLoss;
        }

        F.Store(result, ref destination);
        return coveredLoss;
    }

    /// <summary>The widened losses of covered lanes times their sample weights (exact: float times float), where the
    /// operator accumulates the unweighted loss; <paramref name="weight"/> is 0 in the lanes not covered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Weigh<TOp, TF, TD, F, DL, TS>(TF weight, ref TD lower, ref TD upper)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TF : struct
        where TD : struct
        where F : struct, ISingleLanes<TF, TD>
        where DL : struct, ILanes<TD>
    {
        if (TS.PerLane && !TOp.AccumulatesStored)
        {
            F.Widen(weight, out var weightLower, out var weightUpper);
            lower = DL.Multiply(lower, weightLower);
            upper = DL.Multiply(upper, weightUpper);
        }
    }

    /// <summary>What a step needs besides its inputs: the scale (<see cref="Scale"/>) as a float pair for the float
    /// lanes and as a double pair in double lanes for the fallback, and the fallback's running sum.</summary>
    private struct State<TV, L>
        where TV : struct
        where L : struct, ILanes<TV>
    {
        public float ScaleHigh;
        public float ScaleLow;
        public StepConstants<TV> Constants;
        public Smoothing Smoothing;
        public KahanLanes<TV, L> Fallback;
    }
}
