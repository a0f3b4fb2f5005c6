using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// The hard-label kernel of one loop as the covered-step pipeline (<see cref="CoveredPipeline"/>) sees it: a step of
/// <see cref="Width"/> elements of <typeparamref name="TE"/> in a vector <typeparamref name="TV"/>, its e^−|x| (the
/// first stage), and the rest of the operator (the second stage), which adds the step's losses to two accumulators of
/// type <typeparamref name="TA"/>. Implemented by structs, whose static members the JIT binds and inlines per
/// instantiation: there is no dispatch at run time.
/// </summary>
/// <typeparam name="TE">The element type (float or double).</typeparam>
/// <typeparam name="TV">A step's vector.</typeparam>
/// <typeparam name="TA">An accumulator vector.</typeparam>
internal interface ICoveredKernel<TE, TV, TA>
    where TE : unmanaged
    where TV : struct
    where TA : struct
{
    /// <summary>Elements per step.</summary>
    static abstract int Width { get; }

    /// <summary>Whether the pipeline computes e^−|x| two steps ahead (else one step ahead).</summary>
    static abstract bool TwoStepsAhead { get; }

    /// <summary>A vector with every lane <paramref name="value"/>.</summary>
    static abstract TV Create(TE value);

    /// <summary>A step's elements.</summary>
    static abstract TV Load(ref TE source);

    /// <summary>A step's labels from bytes (0 or 1).</summary>
    static abstract TV LoadBytes(ref byte source);

    /// <summary>Whether each element has its own sample weight, which the pipeline then loads beside pos_weight.
    /// </summary>
    static abstract bool PerLane { get; }

    /// <summary>Whether the labels are smoothed: the pipeline then hands <see cref="SmoothingLanes"/> to
    /// the weighted <c>Finish</c>.</summary>
    static abstract bool Smooths { get; }

    /// <summary>The smoothed hard labels in this kernel's lanes.</summary>
    static abstract Math.HardSmoothing<TV> SmoothingLanes(Math.Smoothing smoothing);

    /// <summary>Whether the kernel covers every lane of the step (<paramref name="w"/>, the sample weights, only
    /// where <see cref="PerLane"/>).</summary>
    static abstract bool AllCovered(TV x, TV z, TV q, TV w);

    /// <summary>Whether the kernel covers every lane of a step without sample weights.</summary>
    static abstract bool AllCovered(TV x, TV z, TV q);

    /// <summary>The first stage: e^−|x| = e + eLow.</summary>
    static abstract void Exp(TV x, out TV e, out TV eLow);

    /// <summary>The accumulators that the pipeline keeps in registers, from the caller's sum and its compensation.
    /// </summary>
    static abstract void BeginSums(ref TA sum, ref TA compensation, out TA first, out TA second);

    /// <summary>The accumulators folded back into the caller's sum and its compensation.</summary>
    static abstract void EndSums(TA first, TA second, ref TA sum, ref TA compensation);

    /// <summary>The second stage: the operator from e^−|x| = e + eLow and the scale pair (times the sample weights
    /// <paramref name="w"/> where <see cref="PerLane"/>), stored at <paramref name="destination"/>, its losses (if it
    /// accumulates) added to the accumulators.</summary>
    static abstract void Finish(
        TV x, TV z, TV q, TV w, TV e, TV eLow, TV scaleHigh, TV scaleLow, in Math.HardSmoothing<TV> smoothing,
        ref TE destination, ref TA first, ref TA second);

    /// <summary>The second stage of a call without sample weights or smoothing.</summary>
    static abstract void Finish(
        TV x, TV z, TV q, TV e, TV eLow, TV scaleHigh, TV scaleLow, ref TE destination, ref TA first, ref TA second);
}

/// <summary>
/// The covered-step software pipeline shared by <see cref="SingleLoop"/> and <see cref="DoubleLoop"/>: e^−|x| of a
/// step (the longest chain) is computed one or two steps before the rest of it (<see
/// cref="ICoveredKernel{TE, TV, TA}.TwoStepsAhead"/>), so that the two halves of the work overlap instead of one
/// waiting on the other.
/// </summary>
internal static class CoveredPipeline
{
    /// <summary>Runs steps from element <paramref name="i"/> while every lane is covered by the kernel
    /// <typeparamref name="K"/>; returns the index of the first step that is not (or of the tail), with
    /// <paramref name="weightIndexRef"/> at its weights and its losses folded into <paramref name="sumRef"/> and
    /// <paramref name="compensationRef"/>.</summary>
    /// <remarks>Compiled optimized from the first call (it has no stackalloc, which would otherwise make the JIT skip
    /// its unoptimized tier): a training loop's first steps should not run a slow copy of the kernel. Not inlined, so
    /// that the sums and the loop's bookkeeping stay in registers here (in the caller's loop, beside the call to its
    /// mixed step, the JIT keeps them on the stack). The scale comes as scalars, broadcast here: passed as vectors,
    /// the pair lived in the argument's stack slot, reloaded every step and stored back at the loop's end.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static int Run<K, TE, TV, TA>(
        ref TE x, ref TE z, ref byte zb, bool bytes, ref TE d, int i, int n,
        scoped ref PosWeightCycle<TE> cycle, ref int weightIndexRef, TE scaleHighScalar, TE scaleLowScalar,
        ref TA sumRef, ref TA compensationRef)
        where K : struct, ICoveredKernel<TE, TV, TA>
        where TE : unmanaged
        where TV : struct
        where TA : struct
    {
        int width = K.Width;
        int weightIndex = weightIndexRef;
        var walk = cycle.InPlaceWalk;
        var high = K.Create(scaleHighScalar);
        var low = K.Create(scaleLowScalar);
        K.BeginSums(ref sumRef, ref compensationRef, out var first, out var second);
        if (i > n - width)
        {
            return i;
        }

        // A step whose weights wrap past the end of a long cycle (one in C/width) is left to the caller's mixed step:
        // gathering them is a call, across which the JIT would keep this loop's vectors on the stack.
        if (!walk.IsInPlace(weightIndex))
        {
            return i;
        }

        var xs = K.Load(ref Unsafe.Add(ref x, i));
        var zs = bytes ? K.LoadBytes(ref Unsafe.Add(ref zb, i)) : K.Load(ref Unsafe.Add(ref z, i));
        var q = K.Load(ref walk.InPlace(weightIndex));
        if (!K.AllCovered(xs, zs, q))
        {
            return i;
        }

        // Two steps ahead: e^−|x| of step i + 2 before the rest of step i. Where step i + 2 does not exist or is not
        // covered (or where the kernel pipelines one step ahead only), the loop below goes on one step ahead.
        K.Exp(xs, out var e, out var eLow);
        int weightIndex1 = walk.Next(weightIndex);
        if (K.TwoStepsAhead && i <= n - 3 * width && walk.IsInPlace(weightIndex1))
        {
            var x1 = K.Load(ref Unsafe.Add(ref x, i + width));
            var z1 = bytes ? K.LoadBytes(ref Unsafe.Add(ref zb, i + width)) : K.Load(ref Unsafe.Add(ref z, i + width));
            var q1 = K.Load(ref walk.InPlace(weightIndex1));
            if (K.AllCovered(x1, z1, q1))
            {
                K.Exp(x1, out var e1, out var eLow1);
                while (true)
                {
                    // Step i + 2, or a harmless stand-in (step i again) where there is none.
                    int far = i + 2 * width;
                    bool exists = far <= n - width;
                    int farLoad = exists ? far : i;
                    int weightIndex2 = walk.Next(weightIndex1);
                    bool inPlace = walk.IsInPlace(weightIndex2);
                    var x2 = K.Load(ref Unsafe.Add(ref x, farLoad));
                    var z2 = bytes
                        ? K.LoadBytes(ref Unsafe.Add(ref zb, farLoad))
                        : K.Load(ref Unsafe.Add(ref z, farLoad));
                    var q2 = K.Load(ref walk.InPlace(inPlace ? weightIndex2 : 0));
                    K.Exp(x2, out var e2, out var eLow2);

                    K.Finish(xs, zs, q, e, eLow, high, low, ref Unsafe.Add(ref d, i), ref first, ref second);

                    i += width;
                    weightIndex = weightIndex1;
                    (xs, zs, q, e, eLow) = (x1, z1, q1, e1, eLow1);
                    if (!exists || !inPlace || !K.AllCovered(x2, z2, q2))
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
            var xn = K.Load(ref Unsafe.Add(ref x, next));
            var zn = bytes ? K.LoadBytes(ref Unsafe.Add(ref zb, next)) : K.Load(ref Unsafe.Add(ref z, next));
            var qn = K.Load(ref walk.InPlace(walk.IsInPlace(nextWeightIndex) ? nextWeightIndex : 0));
            K.Exp(xn, out var en, out var eLowN);

            K.Finish(xs, zs, q, e, eLow, high, low, ref Unsafe.Add(ref d, i), ref first, ref second);

            i = next;
            weightIndex = nextWeightIndex;
            if (!walk.IsInPlace(weightIndex) || !K.AllCovered(xn, zn, qn))
            {
                covered = false;
                break;
            }

            (xs, zs, q, e, eLow) = (xn, zn, qn, en, eLowN);
        }

        if (covered)
        {
            // The last step, whose successor is not a full step.
            K.Finish(xs, zs, q, e, eLow, high, low, ref Unsafe.Add(ref d, i), ref first, ref second);

            i += width;
            weightIndex = walk.Next(weightIndex);
        }

        weightIndexRef = weightIndex;
        K.EndSums(first, second, ref sumRef, ref compensationRef);
        return i;
    }

    /// <summary><see cref="Run{K, TE, TV, TA}"/> for calls with a sample weight per element or smoothed labels: the
    /// sample weights walk beside pos_weight (their own cycle), and the kernel gets the smoothed labels' lanes. A
    /// method of its own so that calls without them compile the plain pipeline, whose loop the JIT inlines in full
    /// (with the weights' walk in the same method it ran out of its inlining budget there).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static int RunWeighted<K, TE, TV, TA>(
        ref TE x, ref TE z, ref byte zb, bool bytes, ref TE d, int i, int n,
        scoped ref PosWeightCycle<TE> cycle, ref int weightIndexRef, scoped ref PosWeightCycle<TE> samples,
        ref int sampleIndexRef, TE scaleHighScalar, TE scaleLowScalar, Math.Smoothing smoothingScalar, ref TA sumRef,
        ref TA compensationRef)
        where K : struct, ICoveredKernel<TE, TV, TA>
        where TE : unmanaged
        where TV : struct
        where TA : struct
    {
        int width = K.Width;
        int weightIndex = weightIndexRef;
        var walk = cycle.InPlaceWalk;
        // The sample weights walk beside pos_weight (only where K.PerLane; else nothing of them is read).
        int sampleIndex = sampleIndexRef;
        var sampleWalk = K.PerLane ? samples.InPlaceWalk : walk;
        var high = K.Create(scaleHighScalar);
        var low = K.Create(scaleLowScalar);
        var smoothing = K.Smooths ? K.SmoothingLanes(smoothingScalar) : default;
        K.BeginSums(ref sumRef, ref compensationRef, out var first, out var second);
        if (i > n - width)
        {
            return i;
        }

        // A step whose weights wrap past the end of a long cycle (one in C/width) is left to the caller's mixed step:
        // gathering them is a call, across which the JIT would keep this loop's vectors on the stack.
        if (!walk.IsInPlace(weightIndex) || (K.PerLane && !sampleWalk.IsInPlace(sampleIndex)))
        {
            return i;
        }

        var xs = K.Load(ref Unsafe.Add(ref x, i));
        var zs = bytes ? K.LoadBytes(ref Unsafe.Add(ref zb, i)) : K.Load(ref Unsafe.Add(ref z, i));
        var q = K.Load(ref walk.InPlace(weightIndex));
        var w = K.PerLane ? K.Load(ref sampleWalk.InPlace(sampleIndex)) : default;
        if (!K.AllCovered(xs, zs, q, w))
        {
            return i;
        }

        // One step ahead only (the two-step form would make this method too large for the JIT to inline its
        // kernels: with the weights' walk it ran out of its inlining budget).
        K.Exp(xs, out var e, out var eLow);
        // One step ahead: e^−|x| of step i + 1 before the rest of step i.
        bool covered = true;
        while (i <= n - 2 * width)
        {
            int next = i + width;
            int nextWeightIndex = walk.Next(weightIndex);
            int nextSampleIndex = K.PerLane ? sampleWalk.Next(sampleIndex) : 0;
            bool nextInPlace = walk.IsInPlace(nextWeightIndex) && (!K.PerLane || sampleWalk.IsInPlace(nextSampleIndex));
            var xn = K.Load(ref Unsafe.Add(ref x, next));
            var zn = bytes ? K.LoadBytes(ref Unsafe.Add(ref zb, next)) : K.Load(ref Unsafe.Add(ref z, next));
            var qn = K.Load(ref walk.InPlace(nextInPlace ? nextWeightIndex : 0));
            var wn = K.PerLane ? K.Load(ref sampleWalk.InPlace(nextInPlace ? nextSampleIndex : 0)) : default;
            K.Exp(xn, out var en, out var eLowN);

            K.Finish(xs, zs, q, w, e, eLow, high, low, smoothing, ref Unsafe.Add(ref d, i), ref first, ref second);

            i = next;
            weightIndex = nextWeightIndex;
            sampleIndex = nextSampleIndex;
            if (!nextInPlace || !K.AllCovered(xn, zn, qn, wn))
            {
                covered = false;
                break;
            }

            (xs, zs, q, w, e, eLow) = (xn, zn, qn, wn, en, eLowN);
        }

        if (covered)
        {
            // The last step, whose successor is not a full step.
            K.Finish(xs, zs, q, w, e, eLow, high, low, smoothing, ref Unsafe.Add(ref d, i), ref first, ref second);

            i += width;
            weightIndex = walk.Next(weightIndex);
            sampleIndex = K.PerLane ? sampleWalk.Next(sampleIndex) : 0;
        }

        weightIndexRef = weightIndex;
        sampleIndexRef = sampleIndex;
        K.EndSums(first, second, ref sumRef, ref compensationRef);
        return i;
    }
}
