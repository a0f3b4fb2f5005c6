using System.Runtime.CompilerServices;

namespace WeightedCrossEntropy.Math;

/// <summary>
/// The math for one element: everything the loss and its three gradients need from a logit x, derived from one
/// e = e^−|x|, and the cancellation-free combinations of it.
/// </summary>
/// <remarks>
/// <para>With sp(t) = log(1 + e^t) (softplus) and σ the sigmoid, for z = label and q = pos_weight:</para>
/// <code>
/// loss   = (1 − z)·sp(x) + q·z·sp(−x)
/// ∂/∂x   = (1 − z)·σ(x)  − q·z·σ(−x)
/// ∂/∂z   = q·sp(−x) − sp(x)
/// ∂/∂q   = z·sp(−x)
/// </code>
/// <para>One side of x is "big" and the other "small": sp(|x|) = |x| + log1p(e) and sp(−|x|) = log1p(e);
/// σ(|x|) = 1/(1 + e) and σ(−|x|) = e/(1 + e). Every result above is c₁·f(x) + c₂·f(−x) for f = sp or σ, so it is
/// computed as fma(c_big, big, c_small·small): one rounding for the sum, none lost to cancellation unless the two
/// terms have opposite signs (negative q, or ∂/∂z), where the error is within an ULP of the larger term.</para>
/// <para>Where e is subnormal (|x| &gt; 708), c_small·e is formed from e's significand and exponent separately, so
/// q·e^−700 keeps every digit. Infinite x takes the limit: a zero coefficient times an infinite sp counts as 0.
/// NaN in x, z or q gives NaN.</para>
/// </remarks>
internal readonly struct ElementMath<TV, L>
    where TV : struct
    where L : struct, ILanes<TV>
{
    /// <summary>Where e^−|x| is below 2^−1021, e is treated as 0 and the small terms are scaled from p·2^k.</summary>
    private const double TinyExponent = -1021.0;

    private readonly TV _x;
    private readonly TV _negative;   // mask: x < 0, so sp(x) and σ(x) are the small side
    private readonly TV _big;        // sp(|x|) = |x| + log1p(e)
    private readonly TV _log1pE;     // sp(−|x|) = log1p(e)
    private readonly TV _sigmoidBig; // σ(|x|) = 1/(1 + e)
    private readonly TV _e;          // e^−|x|, 0 where tiny
    private readonly TV _p;          // e^−|x| = p·2^k
    private readonly TV _k;
    private readonly TV _tiny;       // mask: k < −1021

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ElementMath(TV x)
    {
        _x = x;
        var ax = L.Abs(x);
        _negative = L.LessThan(x, L.Create(0.0));
        _p = ExpNegative.Evaluate<TV, L>(ax, out _k);
        _tiny = L.LessThan(_k, L.Create(TinyExponent));
        var e = L.Select(_tiny, L.Create(0.0), L.Multiply(_p, L.Pow2(L.Select(_tiny, L.Create(TinyExponent), _k))));
        _e = e;

        // 1/(1 + e) from w = 1 + e (rounded) and w's rounding error, exact by Sterbenz.
        var one = L.Create(1.0);
        var w = L.Add(one, e);
        _sigmoidBig = Reciprocal(w, L.Subtract(e, L.Subtract(w, one)));

        _log1pE = Log1p.Evaluate<TV, L>(e);
        _big = L.Add(ax, _log1pE);
    }

    /// <summary>1/(w + c) for w in [1, 2] and |c| far below w's ULP: one division and a Newton step that accounts for
    /// c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Reciprocal(TV w, TV c)
    {
        var one = L.Create(1.0);
        var r0 = L.Divide(one, w);
        var residual = L.Subtract(L.FusedNegatedMultiplyAdd(r0, w, one), L.Multiply(r0, c));
        return L.FusedMultiplyAdd(r0, residual, r0);
    }

    /// <summary>c·e^−|x| without loss where e^−|x| is subnormal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV TimesE(TV c) =>
        L.Select(_tiny, ExpNegative.ScaleByPow2<TV, L>(L.Multiply(c, _p), _k), L.Multiply(c, _e));

    /// <summary>c·sp(−|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV TimesSmallSoftplus(TV c) => L.Select(_tiny, TimesE(c), L.Multiply(c, _log1pE));

    /// <summary>c·σ(−|x|) = c·e/(1 + e).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV TimesSmallSigmoid(TV c) => L.Multiply(TimesE(c), _sigmoidBig);

    /// <summary>NaN where x, z or q is NaN (even where the result does not depend on it), else
    /// <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV PropagateNaN(TV value, TV z, TV q)
    {
        var ordered = L.And(L.Equal(_x, _x), L.And(L.Equal(z, z), L.Equal(q, q)));
        return L.Select(ordered, value, L.Create(double.NaN));
    }

    /// <summary>c₁·sp(x) + c₂·sp(−x), with 0·∞ = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Softplus(TV c1, TV c2)
    {
        var cBig = L.Select(_negative, c2, c1);
        var cSmall = L.Select(_negative, c1, c2);
        var small = TimesSmallSoftplus(cSmall);
        var sum = L.FusedMultiplyAdd(cBig, _big, small);
        return L.Select(L.Equal(cBig, L.Create(0.0)), small, sum);
    }

    /// <summary>c₁·σ(x) + c₂·σ(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Sigmoid(TV c1, TV c2)
    {
        var cBig = L.Select(_negative, c2, c1);
        var cSmall = L.Select(_negative, c1, c2);
        return L.FusedMultiplyAdd(cBig, _sigmoidBig, TimesSmallSigmoid(cSmall));
    }

    /// <summary>The loss (1 − z')·sp(x) + q·z'·sp(−x), with z' the label smoothed by <typeparamref name="TS"/>
    /// (<see cref="Smoothing"/>: <paramref name="keep"/> = 1 − ε, <paramref name="half"/> = ε/2), z' = z without.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Loss<TS>(TV z, TV q, TV keep, TV half)
        where TS : struct, IScaleKind
    {
        var positive = Smoothing.Coefficients<TV, L, TS>(z, keep, half, out var negative);
        return PropagateNaN(Softplus(negative, L.Multiply(q, positive)), z, q);
    }

    /// <summary>∂loss/∂x = (1 − z')·σ(x) − q·z'·σ(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV LogitsGradient<TS>(TV z, TV q, TV keep, TV half)
        where TS : struct, IScaleKind
    {
        var positive = Smoothing.Coefficients<TV, L, TS>(z, keep, half, out var negative);
        return PropagateNaN(Sigmoid(negative, L.Subtract(L.Create(0.0), L.Multiply(q, positive))), z, q);
    }

    /// <summary>∂loss/∂z = q·sp(−x) − sp(x), times 1 − ε (<paramref name="keep"/>) where the labels are smoothed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV LabelsGradient<TS>(TV z, TV q, TV keep)
        where TS : struct, IScaleKind =>
        TS.Smooths
            ? PropagateNaN(Softplus(L.Subtract(L.Create(0.0), keep), L.Multiply(q, keep)), z, q)
            : PropagateNaN(Softplus(L.Create(-1.0), q), z, q);

    /// <summary>∂loss/∂q = z'·sp(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV PosWeightGradient<TS>(TV z, TV q, TV keep, TV half)
        where TS : struct, IScaleKind
    {
        var positive = Smoothing.Coefficients<TV, L, TS>(z, keep, half, out _);
        return PropagateNaN(Softplus(L.Create(0.0), positive), z, q);
    }

    /// <summary>The result of <paramref name="kernel"/>'s formula with both coefficients multiplied by
    /// <paramref name="factor"/> first: for the lanes where the unscaled value overflowed or is subnormal, so that a
    /// scale (a sample weight, 1/N) that brings the result back into range keeps its digits (the scaled coefficients
    /// add one rounding each, far below the bound there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Prescaled<TS>(Kernel kernel, TV z, TV q, TV keep, TV half, TV factor)
        where TS : struct, IScaleKind
    {
        var positive = Smoothing.Coefficients<TV, L, TS>(z, keep, half, out var negative);
        var zero = L.Create(0.0);
        var value = kernel switch
        {
            Kernel.Loss => Softplus(L.Multiply(negative, factor), L.Multiply(L.Multiply(q, positive), factor)),
            Kernel.LogitsGradient => Sigmoid(
                L.Multiply(negative, factor), L.Subtract(zero, L.Multiply(L.Multiply(q, positive), factor))),
            Kernel.LabelsGradient => TS.Smooths
                ? Softplus(L.Subtract(zero, L.Multiply(keep, factor)), L.Multiply(L.Multiply(q, keep), factor))
                : Softplus(L.Subtract(zero, factor), L.Multiply(q, factor)),
            _ => Softplus(zero, L.Multiply(positive, factor)),
        };
        return PropagateNaN(value, z, q);
    }

    /// <summary>Where a scaled result must be formed from scaled coefficients instead
    /// (<see cref="Prescaled{TS}"/>): the logit is finite and the unscaled value is infinite or subnormal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV OutOfRange(TV value)
    {
        var finiteLogit = L.Equal(L.Subtract(_x, _x), L.Create(0.0));
        var infinite = L.AndNot(L.Equal(value, value), L.Equal(L.Subtract(value, value), L.Create(0.0)));
        var subnormal = L.AndNot(
            L.LessThan(L.Abs(value), L.Create(2.2250738585072014e-308)), L.Equal(value, L.Create(0.0)));
        return L.And(finiteLogit, L.Or(infinite, subnormal));
    }

    /// <summary>The results <see cref="Prescaled{TS}"/> forms.</summary>
    public enum Kernel
    {
        Loss,
        LogitsGradient,
        LabelsGradient,
        PosWeightGradient,
    }
}
