using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// The one loop: reads logits, labels and the cycling pos_weight, applies an operator a lane vector at a time,
/// writes the result, and (for the fused operator) sums a second output with compensated summation. Inputs are
/// assumed validated; the destination may be exactly one of the inputs (in place).
/// </summary>
internal static class ElementwiseLoop
{
    /// <summary>Widest step in elements (32 floats in two Vector512 of doubles).</summary>
    private const int MaxWidth = 32;

    /// <summary>Runs <typeparamref name="TOp"/> over the elements of <paramref name="call"/> and returns the sum of
    /// its accumulated output (0 for operators that accumulate nothing). <c>FirstElement</c> is the index of
    /// <c>logits[0]</c> in the whole input, which decides its pos_weight and sample weight; every stored value is
    /// multiplied by the scale (times the sample weight where <typeparamref name="TS"/> has one per lane) before its
    /// one rounding (<see cref="Scale"/>). Labels are <c>call.Labels</c> (byte labels are converted by the
    /// caller).</summary>
    [SkipLocalsInit]
    public static double Run<TOp, TE, TIO, TV, L, TS>(in ElementwiseCall<TE> call)
        where TOp : struct, IFloatLaneOperator
        where TS : struct, IScaleKind
        where TE : unmanaged, IFloatingPointIeee754<TE>
        where TIO : struct, IElementType<TE>
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var logits = call.Logits;
        var labels = call.Labels;
        var destination = call.Destination;
        int n = logits.Length;
        int width = TIO.Width<TV, L>();
        Span<TE> scratch = stackalloc TE[PosWeightCycle<TE>.ScratchLength];
        var cycle = new PosWeightCycle<TE>(call.PosWeight, call.FirstElement, width, scratch);
        Span<TE> sampleScratch = stackalloc TE[TS.PerLane ? PosWeightCycle<TE>.ScratchLength : 0];
        var samples = TS.PerLane
            ? new PosWeightCycle<TE>(call.SampleWeight, call.FirstElement, width, sampleScratch)
            : default;

        ref TE x = ref MemoryMarshal.GetReference(logits);
        ref TE z = ref MemoryMarshal.GetReference(labels);
        ref TE d = ref MemoryMarshal.GetReference(destination);
        var constants = new StepConstants<TV>(
            L.Create(call.Scale.High), L.Create(call.Scale.Low), L.Create(call.Smoothing.Keep),
            L.Create(call.Smoothing.Half));
        var zero = L.Create(0.0);
        var accumulator = new KahanLanes<TV, L>(zero);

        int i = 0;
        for (; i <= n - width; i += width)
        {
            Step<TOp, TE, TIO, TV, L, TS>(
                ref Unsafe.Add(ref x, i), ref Unsafe.Add(ref z, i), ref cycle.Current,
                ref (TS.PerLane ? ref samples.Current : ref cycle.Current), ref Unsafe.Add(ref d, i), constants,
                ref accumulator);
            cycle.Advance();
            if (TS.PerLane)
            {
                samples.Advance();
            }
        }

        if (i < n)
        {
            // The tail runs one more step on padded copies (PaddedTail).
            int rest = n - i;
            Span<TE> tail = stackalloc TE[PaddedTail.Parts * MaxWidth];
            PaddedTail.Fill(
                tail, width, logits[i..], labels[i..], default, MemoryMarshal.CreateReadOnlySpan(ref cycle.Current, rest),
                out var tx, out var tz, out var tq, out var td,
                TS.PerLane ? MemoryMarshal.CreateReadOnlySpan(ref samples.Current, rest) : default, out var tw);
            Step<TOp, TE, TIO, TV, L, TS>(
                ref MemoryMarshal.GetReference(tx), ref MemoryMarshal.GetReference(tz),
                ref MemoryMarshal.GetReference(tq), ref MemoryMarshal.GetReference(tw),
                ref MemoryMarshal.GetReference(td), constants, ref accumulator);
            td[..rest].CopyTo(destination[i..]);
        }

        return TOp.Accumulates ? accumulator.Total() : 0.0;
    }

    /// <summary>One step: <paramref name="w"/> is read only where <typeparamref name="TS"/> has a sample weight per
    /// lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Step<TOp, TE, TIO, TV, L, TS>(
        ref TE x, ref TE z, ref TE q, ref TE w, ref TE destination, in StepConstants<TV> constants,
        ref KahanLanes<TV, L> accumulator)
        where TOp : struct, IFloatLaneOperator
        where TS : struct, IScaleKind
        where TE : unmanaged
        where TIO : struct, IElementType<TE>
        where TV : struct
        where L : struct, ILanes<TV>
    {
        if (typeof(TE) == typeof(float) && typeof(TV) == typeof(Vector256<double>))
        {
            // Each element takes the float lanes if its logit is in their range, the double lanes if not: which one
            // an element takes depends on its own logit only, never on its neighbours in the step.
            var xs = Vector256.LoadUnsafe(ref Unsafe.As<TE, float>(ref x));
            var covered = SingleFastPath.Covered(xs);
            if (Vector256.EqualsAll(covered.AsInt32(), Vector256<int>.AllBitsSet))
            {
                var fast = Single<TOp, TS>(xs, ref Unsafe.As<TE, float>(ref z), ref Unsafe.As<TE, float>(ref q),
                    ref Unsafe.As<TE, float>(ref w), Unsafe.As<StepConstants<TV>, StepConstants<Vector256<double>>>(ref Unsafe.AsRef(in constants)),
                    out var fastLower, out var fastUpper);
                fast.StoreUnsafe(ref Unsafe.As<TE, float>(ref destination));
                if (TOp.Accumulates)
                {
                    accumulator.Add(Unsafe.As<Vector256<double>, TV>(ref fastLower));
                    accumulator.Add(Unsafe.As<Vector256<double>, TV>(ref fastUpper));
                }

                return;
            }

            if (!Vector256.EqualsAll(covered.AsInt32(), Vector256<int>.Zero))
            {
                var fast = Single<TOp, TS>(Vector256.ConditionalSelect(covered, xs, Vector256<float>.Zero),
                    ref Unsafe.As<TE, float>(ref z), ref Unsafe.As<TE, float>(ref q), ref Unsafe.As<TE, float>(ref w),
                    Unsafe.As<StepConstants<TV>, StepConstants<Vector256<double>>>(ref Unsafe.AsRef(in constants)),
                    out var fastLower, out var fastUpper);
                Compute<TOp, TE, TIO, TV, L, TS>(ref x, ref z, ref q, ref w, constants, out var slow0, out var slow1, out var a0, out var a1);
                var slow = Vector256.Narrow(Unsafe.As<TV, Vector256<double>>(ref slow0), Unsafe.As<TV, Vector256<double>>(ref slow1));
                Vector256.ConditionalSelect(covered, fast, slow).StoreUnsafe(ref Unsafe.As<TE, float>(ref destination));
                if (TOp.Accumulates)
                {
                    var (coveredLower, coveredUpper) = Vector256.Widen(covered.AsInt32());
                    var lower = Vector256.ConditionalSelect(coveredLower.AsDouble(), fastLower, Unsafe.As<TV, Vector256<double>>(ref a0));
                    var upper = Vector256.ConditionalSelect(coveredUpper.AsDouble(), fastUpper, Unsafe.As<TV, Vector256<double>>(ref a1));
                    accumulator.Add(Unsafe.As<Vector256<double>, TV>(ref lower));
                    accumulator.Add(Unsafe.As<Vector256<double>, TV>(ref upper));
                }

                return;
            }
        }

        Compute<TOp, TE, TIO, TV, L, TS>(ref x, ref z, ref q, ref w, constants, out var r0, out var r1, out var acc0, out var acc1);
        TIO.Store<TV, L>(r0, r1, ref destination);
        if (TOp.Accumulates)
        {
            accumulator.Add(acc0);
            if (TIO.HasUpper)
            {
                accumulator.Add(acc1);
            }
        }
    }

    /// <summary>One step in double lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Compute<TOp, TE, TIO, TV, L, TS>(
        ref TE x, ref TE z, ref TE q, ref TE w, in StepConstants<TV> constants, out TV r0, out TV r1, out TV a0,
        out TV a1)
        where TOp : struct, IFloatLaneOperator
        where TS : struct, IScaleKind
        where TE : unmanaged
        where TIO : struct, IElementType<TE>
        where TV : struct
        where L : struct, ILanes<TV>
    {
        TIO.Load<TV, L>(ref x, out var x0, out var x1);
        TIO.Load<TV, L>(ref z, out var z0, out var z1);
        TIO.Load<TV, L>(ref q, out var q0, out var q1);
        r1 = default;
        a1 = default;
        if (!TS.PerLane)
        {
            r0 = TOp.Invoke<TV, L, TS>(x0, z0, q0, constants.High, constants.Low, constants.Keep, constants.Half, out a0);
            if (TIO.HasUpper)
            {
                r1 = TOp.Invoke<TV, L, TS>(x1, z1, q1, constants.High, constants.Low, constants.Keep, constants.Half, out a1);
            }

            return;
        }

        TIO.Load<TV, L>(ref w, out var w0, out var w1);
        var high0 = Scale.PerLane<TV, L>(w0, constants.High, constants.Low, out var low0);
        r0 = TOp.Invoke<TV, L, TS>(x0, z0, q0, high0, low0, constants.Keep, constants.Half, out a0);
        a0 = TOp.AccumulatesStored ? a0 : Scale.Weigh<TV, L>(a0, w0);
        if (TIO.HasUpper)
        {
            var high1 = Scale.PerLane<TV, L>(w1, constants.High, constants.Low, out var low1);
            r1 = TOp.Invoke<TV, L, TS>(x1, z1, q1, high1, low1, constants.Keep, constants.Half, out a1);
            a1 = TOp.AccumulatesStored ? a1 : Scale.Weigh<TV, L>(a1, w1);
        }
    }

    /// <summary>Eight floats in float lanes: the value to store (times the scale, and the sample weight where
    /// <typeparamref name="TS"/> has one, applied by the operator in double) and the accumulated output widened to
    /// double (times the sample weight, exact: a float times a float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Single<TOp, TS>(
        Vector256<float> x, ref float z, ref float q, ref float w, in StepConstants<Vector256<double>> constants,
        out Vector256<double> accumulateLower, out Vector256<double> accumulateUpper)
        where TOp : struct, IFloatLaneOperator
        where TS : struct, IScaleKind
    {
        var scaleLower = constants.High;
        var scaleUpper = constants.High;
        var w0 = Vector256<double>.Zero;
        var w1 = w0;
        if (TS.PerLane)
        {
            (w0, w1) = Vector256.Widen(Vector256.LoadUnsafe(ref w));
            scaleLower = w0 * constants.High;
            scaleUpper = w1 * constants.High;
        }

        var result = TOp.InvokeSingle<TS>(
            x, Vector256.LoadUnsafe(ref z), Vector256.LoadUnsafe(ref q), scaleLower, scaleUpper, constants.Keep,
            constants.Half, out var accumulate);
        if (!TOp.Accumulates)
        {
            accumulateLower = default;
            accumulateUpper = default;
            return result;
        }

        (accumulateLower, accumulateUpper) = Vector256.Widen(accumulate);
        if (TS.PerLane && !TOp.AccumulatesStored)
        {
            accumulateLower = Scale.Weigh<Vector256<double>, Vector256Lanes>(accumulateLower, w0);
            accumulateUpper = Scale.Weigh<Vector256<double>, Vector256Lanes>(accumulateUpper, w1);
        }

        return result;
    }
}

/// <summary>A call's constants in lanes, created once per loop: the scale pair (<see cref="Scale"/>) and the label
/// smoothing's 1 − ε and ε/2 (<see cref="Smoothing"/>).</summary>
internal readonly struct StepConstants<TV>
    where TV : struct
{
    public readonly TV High;
    public readonly TV Low;
    public readonly TV Keep;
    public readonly TV Half;

    public StepConstants(TV high, TV low, TV keep, TV half)
    {
        High = high;
        Low = low;
        Keep = keep;
        Half = half;
    }
}

/// <summary>Kahan-compensated sums, one per lane, combined in a fixed order.</summary>
internal struct KahanLanes<TV, L>
    where TV : struct
    where L : struct, ILanes<TV>
{
    private TV _sum;
    private TV _compensation;

    public KahanLanes(TV zero)
    {
        _sum = zero;
        _compensation = zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(TV value)
    {
        AddFinite(value, ref _sum, ref _compensation);
        // Once the sum is infinite (or NaN) the compensation is meaningless (∞ − ∞): keep it 0 so that ∞ stays ∞.
        _compensation = L.Select(L.Equal(L.Subtract(_sum, _sum), L.Create(0.0)), _compensation, L.Create(0.0));
    }

    /// <summary>One Kahan step for values known to be finite, on a sum and compensation the caller keeps (in
    /// locals, so that a hot loop keeps them in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddFinite(TV value, ref TV sum, ref TV compensation)
    {
        var y = L.Subtract(value, compensation);
        var t = L.Add(sum, y);
        compensation = L.Subtract(L.Subtract(t, sum), y);
        sum = t;
    }

    public readonly double Total() => L.Sum(_sum) - L.Sum(_compensation);
}
