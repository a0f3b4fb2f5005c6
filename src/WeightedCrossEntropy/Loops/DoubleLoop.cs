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
    private static bool TwoStepsAhead<TOp>()
        where TOp : struct, IHardLabelOperator =>
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported && !TOp.Accumulates;

    /// <summary>Runs <typeparamref name="TOp"/> over the elements; returns the sum of its accumulated output (0 for
    /// operators that accumulate nothing). As <see cref="ElementwiseLoop.Run{TOp, TE, TIO, TV, L, TS}"/>.</summary>
    /// <remarks>Labels come from <paramref name="labels"/>, or, where <paramref name="byteLabels"/> is not empty,
    /// from bytes (validated 0 or 1), widened in registers: 17 bytes move per element instead of 24.</remarks>
    [SkipLocalsInit]
    public static double Run<TOp, TV, L, TS>(
        ReadOnlySpan<double> labels, ReadOnlySpan<byte> byteLabels, ReadOnlySpan<double> logits,
        ReadOnlySpan<double> posWeight, long firstElement, Span<double> destination, Scale scale)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TV : struct
        where L : struct, ILanes<TV>
    {
        int n = logits.Length;
        int width = L.Count;
        Span<double> scratch = stackalloc double[PosWeightCycle<double>.ScratchLength];
        var cycle = new PosWeightCycle<double>(posWeight, firstElement, width, scratch);
        var scaleHigh = L.Create(scale.High);
        var scaleLow = L.Create(scale.Low);
        var fallback = new KahanLanes<TV, L>(L.Create(0.0));

        // The covered lanes' losses are finite and ≥ 0: a plain compensated sum (CoveredSteps keeps it in registers).
        var sum = L.Create(0.0);
        var compensation = sum;

        ref double x = ref MemoryMarshal.GetReference(logits);
        bool bytes = !byteLabels.IsEmpty;
        ref double z = ref MemoryMarshal.GetReference(labels);
        ref byte zb = ref MemoryMarshal.GetReference(byteLabels);
        ref double d = ref MemoryMarshal.GetReference(destination);
        int weightIndex = cycle.Index;
        int i = 0;
        while (i <= n - width)
        {
            // Covered steps, in their own method, so that the sums and the loop's bookkeeping stay in registers
            // there (with the call below in the same loop, the JIT keeps them on the stack).
            i = CoveredSteps<TOp, TV, L, TS>(
                ref x, ref z, ref zb, bytes, ref d, i, n, ref cycle, ref weightIndex, scale.High, scale.Low,
                ref sum, ref compensation);
            if (i > n - width)
            {
                break;
            }

            var coveredLoss = Mixed<TOp, TV, L, TS>(
                L.Load(ref Unsafe.Add(ref x, i)),
                bytes ? L.LoadBytes(ref Unsafe.Add(ref zb, i)) : L.Load(ref Unsafe.Add(ref z, i)),
                L.Load(ref cycle.At(weightIndex)), ref Unsafe.Add(ref d, i), scaleHigh, scaleLow, ref fallback);
            if (TOp.Accumulates)
            {
                KahanLanes<TV, L>.AddFinite(coveredLoss, ref sum, ref compensation);
            }

            weightIndex = cycle.Next(weightIndex);
            i += width;
        }

        if (i < n)
        {
            // The tail runs one more step on padded copies (PaddedTail).
            int rest = n - i;
            Span<double> tail = stackalloc double[4 * MaxWidth];
            PaddedTail.Fill(
                tail, width, logits[i..], bytes ? default : labels[i..], bytes ? byteLabels[i..] : default,
                MemoryMarshal.CreateReadOnlySpan(ref cycle.At(weightIndex), rest), out var tx, out var tz, out var tq,
                out var td);
            var coveredLoss = Mixed<TOp, TV, L, TS>(
                L.Load(ref MemoryMarshal.GetReference(tx)), L.Load(ref MemoryMarshal.GetReference(tz)),
                L.Load(ref MemoryMarshal.GetReference(tq)), ref MemoryMarshal.GetReference(td), scaleHigh, scaleLow,
                ref fallback);
            if (TOp.Accumulates)
            {
                KahanLanes<TV, L>.AddFinite(coveredLoss, ref sum, ref compensation);
            }

            td[..rest].CopyTo(destination[i..]);
        }

        return TOp.Accumulates ? (L.Sum(sum) - L.Sum(compensation)) + fallback.Total() : 0.0;
    }

    /// <summary>Runs steps from element <paramref name="i"/> while every lane is covered by
    /// <see cref="HardLabelDoubleMath{TV, L}"/>; returns the index of the first step that is not (or of the tail).
    /// </summary>
    /// <remarks>Compiled optimized from the first call (it has no stackalloc, which would otherwise make the JIT skip
    /// its unoptimized tier): a training loop's first steps should not run a slow copy of the kernel.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int CoveredSteps<TOp, TV, L, TS>(
        ref double x, ref double z, ref byte zb, bool bytes, ref double d, int i, int n,
        scoped ref PosWeightCycle<double> cycle, ref int weightIndexRef, double scaleHighScalar, double scaleLowScalar,
        ref TV sumRef, ref TV compensationRef)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TV : struct
        where L : struct, ILanes<TV>
    {
        int width = L.Count;
        int weightIndex = weightIndexRef;
        var walk = cycle.InPlaceWalk;
        // The scale as a pair, broadcast here from scalars (as in SingleLoop: vector arguments live in their stack
        // slots).
        var scaleHigh = L.Create(scaleHighScalar);
        var scaleLow = L.Create(scaleLowScalar);
        var sum = sumRef;
        var compensation = compensationRef;
        if (i > n - width)
        {
            return i;
        }

        // A step whose weights wrap past the end of a long cycle (one in C/width) is left to Mixed: gathering them is
        // a call, across which the JIT would keep this loop's vectors on the stack.
        if (!walk.IsInPlace(weightIndex))
        {
            return i;
        }

        var xs = L.Load(ref Unsafe.Add(ref x, i));
        var zs = bytes ? L.LoadBytes(ref Unsafe.Add(ref zb, i)) : L.Load(ref Unsafe.Add(ref z, i));
        var q = L.Load(ref walk.InPlace(weightIndex));
        if (!HardLabelDoubleMath<TV, L>.AllCovered(xs, zs, q))
        {
            return i;
        }

        // Software-pipelined as SingleLoop's: e^−|x| of step i + 2 is computed before the rest of step i, so that a
        // long exp chain (about 50 cycles in double) is done well before its step needs it. Where step i + 2 does not
        // exist or is not covered (or with 16 vector registers), the loop below goes on one step ahead.
        HardLabelDoubleMath<TV, L>.Exp(xs, out var e, out var eLow);
        int weightIndex1 = walk.Next(weightIndex);
        if (TwoStepsAhead<TOp>() && i <= n - 3 * width && walk.IsInPlace(weightIndex1))
        {
            var x1 = L.Load(ref Unsafe.Add(ref x, i + width));
            var z1 = bytes ? L.LoadBytes(ref Unsafe.Add(ref zb, i + width)) : L.Load(ref Unsafe.Add(ref z, i + width));
            var q1 = L.Load(ref walk.InPlace(weightIndex1));
            if (HardLabelDoubleMath<TV, L>.AllCovered(x1, z1, q1))
            {
                HardLabelDoubleMath<TV, L>.Exp(x1, out var e1, out var eLow1);
                while (true)
                {
                    // Step i + 2, or a harmless stand-in (step i again) where there is none.
                    int far = i + 2 * width;
                    bool exists = far <= n - width;
                    int farLoad = exists ? far : i;
                    int weightIndex2 = walk.Next(weightIndex1);
                    bool inPlace = walk.IsInPlace(weightIndex2);
                    var x2 = L.Load(ref Unsafe.Add(ref x, farLoad));
                    var z2 = bytes
                        ? L.LoadBytes(ref Unsafe.Add(ref zb, farLoad))
                        : L.Load(ref Unsafe.Add(ref z, farLoad));
                    var q2 = L.Load(ref walk.InPlace(inPlace ? weightIndex2 : 0));
                    HardLabelDoubleMath<TV, L>.Exp(x2, out var e2, out var eLow2);

                    Finish<TOp, TV, L, TS>(
                        xs, zs, q, e, eLow, scaleHigh, scaleLow, ref Unsafe.Add(ref d, i), ref sum,
                        ref compensation);

                    i += width;
                    weightIndex = weightIndex1;
                    (xs, zs, q, e, eLow) = (x1, z1, q1, e1, eLow1);
                    if (!exists || !inPlace || !HardLabelDoubleMath<TV, L>.AllCovered(x2, z2, q2))
                    {
                        break;
                    }

                    (x1, z1, q1, e1, eLow1) = (x2, z2, q2, e2, eLow2);
                    weightIndex1 = weightIndex2;
                }
            }
        }

        // One step ahead: e^−|x| of step i + 1 before the rest of step i.
        bool covered = true;
        while (i <= n - 2 * width)
        {
            int next = i + width;
            int nextWeightIndex = walk.Next(weightIndex);
            var xn = L.Load(ref Unsafe.Add(ref x, next));
            var zn = bytes ? L.LoadBytes(ref Unsafe.Add(ref zb, next)) : L.Load(ref Unsafe.Add(ref z, next));
            var qn = L.Load(ref walk.InPlace(walk.IsInPlace(nextWeightIndex) ? nextWeightIndex : 0));
            HardLabelDoubleMath<TV, L>.Exp(xn, out var en, out var eLowN);

            Finish<TOp, TV, L, TS>(
                xs, zs, q, e, eLow, scaleHigh, scaleLow, ref Unsafe.Add(ref d, i), ref sum,
                ref compensation);

            i = next;
            weightIndex = nextWeightIndex;
            if (!walk.IsInPlace(weightIndex) || !HardLabelDoubleMath<TV, L>.AllCovered(xn, zn, qn))
            {
                covered = false;
                break;
            }

            (xs, zs, q, e, eLow) = (xn, zn, qn, en, eLowN);
        }

        if (covered)
        {
            // The last step, whose successor is not a full step.
            Finish<TOp, TV, L, TS>(
                xs, zs, q, e, eLow, scaleHigh, scaleLow, ref Unsafe.Add(ref d, i), ref sum,
                ref compensation);

            i += width;
            weightIndex = walk.Next(weightIndex);
        }

        weightIndexRef = weightIndex;
        sumRef = sum;
        compensationRef = compensation;
        return i;
    }

    /// <summary>The second stage of a covered step: the operator from e^−|x| = e + eLow, stored, and its loss (if it
    /// accumulates) added to the compensated sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TOp, TV, L, TS>(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, ref double destination, ref TV sum,
        ref TV compensation)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TV : struct
        where L : struct, ILanes<TV>
    {
        L.Store(TOp.InvokeHardDouble<TV, L, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, out var loss), ref destination);
        if (TOp.Accumulates)
        {
            KahanLanes<TV, L>.AddFinite(loss, ref sum, ref compensation);
        }
    }

    /// <summary>A step with lanes that the hard-label kernel does not cover: every lane runs
    /// <see cref="ElementMath{TV, L}"/>, whose accumulated output in the other lanes goes to
    /// <paramref name="fallback"/>; the covered lanes take the kernel's result. Returns the covered lanes' accumulated
    /// output (0 in the others).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TV Mixed<TOp, TV, L, TS>(
        TV x, TV z, TV q, ref double destination, TV scaleHigh, TV scaleLow, ref KahanLanes<TV, L> fallback)
        where TOp : struct, IHardLabelOperator
        where TS : struct, IScaleKind
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var covered = HardLabelDoubleMath<TV, L>.Covered(x, z, q);
        if (L.AllSet(covered))
        {
            // Every lane covered (a step whose weights wrap past the end of the cycle): the kernel alone.
            HardLabelDoubleMath<TV, L>.Exp(x, out var e, out var eLow);
            L.Store(TOp.InvokeHardDouble<TV, L, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, out var loss), ref destination);
            return TOp.Accumulates ? loss : L.Create(0.0);
        }

        var result = TOp.Invoke<TV, L, TS>(x, z, q, scaleHigh, scaleLow, out var accumulate);
        var coveredLoss = L.Create(0.0);
        if (!L.NoneSet(covered))
        {
            HardLabelDoubleMath<TV, L>.Exp(x, out var e, out var eLow);
            var hard = TOp.InvokeHardDouble<TV, L, TS>(x, z, q, e, eLow, scaleHigh, scaleLow, out var loss);
            result = L.Select(covered, hard, result);
            coveredLoss = TOp.Accumulates ? L.And(covered, loss) : coveredLoss;
        }

        if (TOp.Accumulates)
        {
            fallback.Add(L.AndNot(accumulate, covered));
        }

        L.Store(result, ref destination);
        return coveredLoss;
    }
}
