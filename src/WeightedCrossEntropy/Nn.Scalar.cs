using System.Numerics;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy;

public static partial class Nn
{
    /// <summary>
    /// The loss of one element, <c>(1 − z)·sp(x) + q·z·sp(−x)</c>, for callers that evaluate one value at a time
    /// (a per-example loss object, a custom training loop): the same math as the span overloads without their
    /// validation and dispatch, computed in double and rounded once to <typeparamref name="T"/>.
    /// </summary>
    /// <typeparam name="T">float, double, Half, or any other IEEE 754 type (computed in double).</typeparam>
    /// <param name="label">The target z: any finite value (soft labels too). NaN gives NaN.</param>
    /// <param name="logit">The logit x. ±∞ gives the limit (x = +∞: 0 for z = 1, +∞ for z &lt; 1; x = −∞: 0 for
    /// z = 0, +∞ for z &gt; 0 and q &gt; 0); NaN gives NaN.</param>
    /// <param name="posWeight">The weight q of the positive term. Zero drops it (a zero weight times an infinite
    /// softplus counts as 0); a negative q makes the loss unbounded below; NaN gives NaN.</param>
    /// <returns>The loss, within 2 ULP (float32) or 3 ULP (float64) of the exact value. Nothing broadcasts: one
    /// element in, one out.</returns>
    public static T WeightedCrossEntropyWithLogits<T>(T label, T logit, T posWeight)
        where T : IFloatingPointIeee754<T> =>
        T.CreateTruncating(Element(logit).Loss<ScaleOne>(double.CreateTruncating(label), double.CreateTruncating(posWeight), 1.0, 0.0));

    /// <summary>
    /// ∂loss/∂logit of one element, <c>(1 − z)·σ(x) − q·z·σ(−x)</c>, computed in double and rounded once
    /// (see <see cref="WeightedCrossEntropyWithLogits{T}(T, T, T)"/> for the arguments).
    /// </summary>
    /// <returns>The gradient, in [−q·z, 1 − z] for z in [0, 1] and q ≥ 0; at x = ±∞ its limit; NaN for a NaN input.</returns>
    public static T WeightedCrossEntropyWithLogitsGradient<T>(T label, T logit, T posWeight)
        where T : IFloatingPointIeee754<T> =>
        T.CreateTruncating(Element(logit).LogitsGradient<ScaleOne>(double.CreateTruncating(label), double.CreateTruncating(posWeight), 1.0, 0.0));

    /// <summary>
    /// ∂loss/∂label of one element, <c>q·sp(−x) − sp(x)</c>, computed in double and rounded once (see
    /// <see cref="WeightedCrossEntropyWithLogits{T}(T, T, T)"/> for the arguments).
    /// </summary>
    /// <returns>The gradient; ±∞ at infinite logits where one softplus is infinite (−∞ at x = +∞; +∞ at x = −∞
    /// for q &gt; 0, −∞·0 counted as 0 for q = 0); NaN for a NaN input.</returns>
    public static T WeightedCrossEntropyWithLogitsLabelsGradient<T>(T label, T logit, T posWeight)
        where T : IFloatingPointIeee754<T> =>
        T.CreateTruncating(Element(logit).LabelsGradient<ScaleOne>(double.CreateTruncating(label), double.CreateTruncating(posWeight), 1.0));

    /// <summary>
    /// ∂loss/∂pos_weight of one element, <c>z·sp(−x)</c>, computed in double and rounded once (see
    /// <see cref="WeightedCrossEntropyWithLogits{T}(T, T, T)"/> for the arguments).
    /// </summary>
    /// <returns>The gradient; 0 for z = 0 at any logit, +∞ at x = −∞ for z &gt; 0; NaN for a NaN input.</returns>
    public static T WeightedCrossEntropyWithLogitsPosWeightGradient<T>(T label, T logit, T posWeight)
        where T : IFloatingPointIeee754<T> =>
        T.CreateTruncating(Element(logit).PosWeightGradient<ScaleOne>(double.CreateTruncating(label), double.CreateTruncating(posWeight), 1.0, 0.0));

    private static ElementMath<double, ScalarLanes> Element<T>(T logit)
        where T : IFloatingPointIeee754<T> => new(double.CreateTruncating(logit));
}
