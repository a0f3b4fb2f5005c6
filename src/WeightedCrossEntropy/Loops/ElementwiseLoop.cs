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

    /// <summary>Runs <typeparamref name="TOp"/> over the elements and returns the sum of its accumulated output
    /// (0 for operators that accumulate nothing). <c>firstElement</c> is the index of <c>logits[0]</c> in the whole
    /// input, which decides its pos_weight; every stored value is divided by <c>divisor</c>.</summary>
    public static double Run<TOp, TE, TIO, TV, L>(
        ReadOnlySpan<TE> labels, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> posWeight, long firstElement,
        Span<TE> destination, double divisor)
        where TOp : struct, IElementOperator
        where TE : unmanaged
        where TIO : struct, IElementType<TE>
        where TV : struct
        where L : struct, ILanes<TV>
    {
        int n = logits.Length;
        int width = TIO.Width<TV, L>();
        Span<TE> scratch = stackalloc TE[PosWeightCycle<TE>.ScratchLength];
        var cycle = new PosWeightCycle<TE>(posWeight, firstElement, width, scratch);

        ref TE x = ref MemoryMarshal.GetReference(logits);
        ref TE z = ref MemoryMarshal.GetReference(labels);
        ref TE d = ref MemoryMarshal.GetReference(destination);
        var divisorLanes = L.Create(divisor);
        var zero = L.Create(0.0);
        var accumulator = new KahanLanes<TV, L>(zero);

        int i = 0;
        for (; i <= n - width; i += width)
        {
            Step<TOp, TE, TIO, TV, L>(
                ref Unsafe.Add(ref x, i), ref Unsafe.Add(ref z, i), ref cycle.Current, ref Unsafe.Add(ref d, i),
                divisorLanes, ref accumulator);
            cycle.Advance();
        }

        if (i < n)
        {
            // The tail runs one more step on padded copies: logit −∞ with label 0 and weight 0 has loss and
            // gradients exactly 0, so the padding adds nothing to a sum.
            int rest = n - i;
            Span<TE> tail = stackalloc TE[4 * MaxWidth];
            var tx = tail[..width];
            var tz = tail.Slice(MaxWidth, width);
            var tq = tail.Slice(2 * MaxWidth, width);
            var td = tail.Slice(3 * MaxWidth, width);
            tx.Fill(TIO.NegativeInfinity);
            tz.Fill(TIO.Zero);
            tq.Fill(TIO.Zero);
            logits[i..].CopyTo(tx);
            labels[i..].CopyTo(tz);
            MemoryMarshal.CreateReadOnlySpan(ref cycle.Current, rest).CopyTo(tq);
            Step<TOp, TE, TIO, TV, L>(
                ref MemoryMarshal.GetReference(tx), ref MemoryMarshal.GetReference(tz),
                ref MemoryMarshal.GetReference(tq), ref MemoryMarshal.GetReference(td), divisorLanes, ref accumulator);
            td[..rest].CopyTo(destination[i..]);
        }

        return TOp.Accumulates ? accumulator.Total() : 0.0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TOp, TE, TIO, TV, L>(
        ref TE x, ref TE z, ref TE q, ref TE destination, TV divisor, ref KahanLanes<TV, L> accumulator)
        where TOp : struct, IElementOperator
        where TE : unmanaged
        where TIO : struct, IElementType<TE>
        where TV : struct
        where L : struct, ILanes<TV>
    {
        if (typeof(TE) == typeof(float) && typeof(TV) == typeof(Vector256<double>) && TOp.HasSingleFastPath)
        {
            var xs = Vector256.LoadUnsafe(ref Unsafe.As<TE, float>(ref x));
            if (SingleFastPath.Covers(xs))
            {
                StepSingle<TOp, TV, L>(xs, ref Unsafe.As<TE, float>(ref z), ref Unsafe.As<TE, float>(ref q),
                    ref Unsafe.As<TE, float>(ref destination), divisor, ref accumulator);
                return;
            }
        }

        TIO.Load<TV, L>(ref x, out var x0, out var x1);
        TIO.Load<TV, L>(ref z, out var z0, out var z1);
        TIO.Load<TV, L>(ref q, out var q0, out var q1);
        var r0 = TOp.Invoke<TV, L>(x0, z0, q0, divisor, out var a0);
        TV r1 = default;
        TV a1 = default;
        if (TIO.HasUpper)
        {
            r1 = TOp.Invoke<TV, L>(x1, z1, q1, divisor, out a1);
        }

        TIO.Store<TV, L>(r0, r1, ref destination);
        if (TOp.Accumulates)
        {
            accumulator.Add(a0);
            if (TIO.HasUpper)
            {
                accumulator.Add(a1);
            }
        }
    }

    /// <summary>Eight floats in float lanes; the stored value is divided by the divisor (in double) and the accumulated one summed in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StepSingle<TOp, TV, L>(
        Vector256<float> x, ref float z, ref float q, ref float destination, TV divisor, ref KahanLanes<TV, L> accumulator)
        where TOp : struct, IElementOperator
        where TV : struct
        where L : struct, ILanes<TV>
    {
        var result = TOp.InvokeSingle(x, Vector256.LoadUnsafe(ref z), Vector256.LoadUnsafe(ref q), out var accumulate);
        if (TOp.Accumulates)
        {
            var (lower, upper) = Vector256.Widen(result);
            var divisorLanes = Unsafe.As<TV, Vector256<double>>(ref divisor);
            result = Vector256.Narrow(lower / divisorLanes, upper / divisorLanes);
            (lower, upper) = Vector256.Widen(accumulate);
            accumulator.Add(Unsafe.As<Vector256<double>, TV>(ref lower));
            accumulator.Add(Unsafe.As<Vector256<double>, TV>(ref upper));
        }

        result.StoreUnsafe(ref destination);
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
        var y = L.Subtract(value, _compensation);
        var t = L.Add(_sum, y);
        var compensation = L.Subtract(L.Subtract(t, _sum), y);
        // Once the sum is infinite (or NaN) the compensation is meaningless (∞ − ∞): keep it 0 so that ∞ stays ∞.
        _compensation = L.Select(L.Equal(L.Subtract(t, t), L.Create(0.0)), compensation, L.Create(0.0));
        _sum = t;
    }

    public readonly double Total() => L.Sum(_sum) - L.Sum(_compensation);
}
