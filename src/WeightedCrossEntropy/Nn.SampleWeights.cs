using System.Buffers;
using System.Numerics;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy;

// The span overloads with a sample weight and label smoothing (PyTorch's BCEWithLogitsLoss(weight), Keras'
// BinaryCrossentropy(label_smoothing)(..., sample_weight)). Same loops as the overloads without: the weight multiplies
// each value before its one rounding, the smoothing forms the label's coefficients in the kernel.
public static partial class Nn
{
    /// <summary>
    /// The elementwise weighted cross-entropy with a sample weight and label smoothing (PyTorch's
    /// <c>binary_cross_entropy_with_logits(..., weight, pos_weight, reduction="none")</c>, Keras'
    /// <c>label_smoothing</c>): <c>destination[i] = w·((1 − z')·sp(x) + q·z'·sp(−x))</c> with x = logits[i],
    /// z' = z·(1 − ε) + ε/2 for z = labels[i], q = posWeight[i % posWeight.Length] and
    /// w = sampleWeight[i % sampleWeight.Length].
    /// </summary>
    /// <remarks>
    /// <para>The product with w is formed before the one rounding: within 2 ULP (float32) and 3 ULP (float64) of the
    /// exact w·loss, as the unweighted loss. z' is formed from z and ε in the kernel (1 − z' as (1 − z)·(1 − ε) + ε/2,
    /// so a small ε keeps every digit).</para>
    /// <para><b>Special values.</b> As the overload without a weight (see <see cref="Nn"/>) for the loss itself. A
    /// zero sample weight gives 0, also where the loss is infinite (x = ±∞: the limits rule, as for a zero
    /// pos_weight); a negative weight negates the loss; a NaN weight gives NaN; an infinite weight gives ±∞ where the
    /// loss is not 0 and NaN where it is (∞·0). PyTorch and TensorFlow accept any weight, and so does this.</para>
    /// </remarks>
    /// <param name="sampleWeight">w: one weight for every element, or C weights cycling along the elements (element
    /// i uses sampleWeight[i % C]; logits.Length must be a multiple of C): C per class along the last axis, or
    /// C = logits.Length for one weight per element. Zero, negative and infinite weights are accepted (see
    /// remarks).</param>
    /// <param name="labelSmoothing">ε in [0, 1]: labels z become z·(1 − ε) + ε/2 (Keras' and TensorFlow's
    /// definition for binary labels). 0, the default, leaves them as they are.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="posWeight"/> or
    /// <paramref name="sampleWeight"/> is empty or its length does not divide the logits' length, or
    /// <paramref name="destination"/> partly overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1] or
    /// NaN.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    public static void WeightedCrossEntropyWithLogits<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Span<T> destination, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        SpanValidation.Check(labels, logits, posWeight, sampleWeight, destination, nameof(destination), labelSmoothing);
        Dispatch.Apply<LossOperator, T>(
            labels, logits, posWeight, 0, destination, Scale.One, LaneWidth.Best, sampleWeight,
            new Smoothing(labelSmoothing));
    }

    /// <summary>
    /// The elementwise gradient with respect to the logits with a sample weight and label smoothing:
    /// <c>destination[i] = w·((1 − z')·σ(x) − q·z'·σ(−x))</c>.
    /// </summary>
    /// <remarks>At x = +∞ it is w·(1 − z'); at x = −∞ it is −w·q·z'; a zero weight gives 0; NaN in any input gives
    /// NaN.</remarks>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/exception"/>
    public static void WeightedCrossEntropyWithLogitsGradient<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Span<T> destination, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        SpanValidation.Check(labels, logits, posWeight, sampleWeight, destination, nameof(destination), labelSmoothing);
        Dispatch.Apply<LogitsGradientOperator, T>(
            labels, logits, posWeight, 0, destination, Scale.One, LaneWidth.Best, sampleWeight,
            new Smoothing(labelSmoothing));
    }

    /// <summary>
    /// The elementwise gradient with respect to the (unsmoothed) labels with a sample weight and label smoothing:
    /// <c>destination[i] = w·(1 − ε)·(q·sp(−x) − sp(x))</c>.
    /// </summary>
    /// <remarks>At x = +∞ it is −∞ for w·(1 − ε) &gt; 0; at x = −∞ it is +∞ for q &gt; 0, 0 for q = 0; ε = 1 and a
    /// zero weight give 0 (also at x = ±∞); NaN in any input gives NaN.</remarks>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/exception"/>
    public static void WeightedCrossEntropyWithLogitsLabelsGradient<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Span<T> destination, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        SpanValidation.Check(labels, logits, posWeight, sampleWeight, destination, nameof(destination), labelSmoothing);
        Dispatch.Apply<LabelsGradientOperator, T>(
            labels, logits, posWeight, 0, destination, Scale.One, LaneWidth.Best, sampleWeight,
            new Smoothing(labelSmoothing));
    }

    /// <summary>
    /// The elementwise gradient with respect to pos_weight with a sample weight and label smoothing, before any sum
    /// over classes: <c>destination[i] = w·z'·sp(−x)</c>.
    /// </summary>
    /// <remarks>At x = +∞ it is 0; at x = −∞ it is +∞ for w·z' &gt; 0 and 0 for w·z' = 0; NaN in any input gives
    /// NaN.</remarks>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/exception"/>
    public static void WeightedCrossEntropyWithLogitsPosWeightGradient<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Span<T> destination, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        SpanValidation.Check(labels, logits, posWeight, sampleWeight, destination, nameof(destination), labelSmoothing);
        Dispatch.Apply<PosWeightGradientOperator, T>(
            labels, logits, posWeight, 0, destination, Scale.One, LaneWidth.Best, sampleWeight,
            new Smoothing(labelSmoothing));
    }

    /// <summary>
    /// One pass for a training step with a sample weight and label smoothing: returns the reduced weighted loss and
    /// writes its gradient with respect to the logits, each element's w·∂loss/∂x divided by the element count
    /// (<see cref="Reduction.Mean"/>, PyTorch's and Keras' mean), by the sum of the weights
    /// (<see cref="Reduction.WeightedMean"/>) or not divided (<see cref="Reduction.Sum"/>), rounded once.
    /// </summary>
    /// <param name="logitsGradient">Receives ∂(reduced loss)/∂logits; same length as <paramref name="logits"/>; may
    /// be the very span of an input (in place).</param>
    /// <param name="reduction"><see cref="Reduction.Mean"/> (the default: Σ w·loss / N),
    /// <see cref="Reduction.WeightedMean"/> (Σ w·loss / Σ w, w summed over all elements as broadcast) or
    /// <see cref="Reduction.Sum"/>.</param>
    /// <returns>The reduced loss, summed in double with compensated summation and rounded once. Empty input: Sum 0,
    /// Mean and WeightedMean NaN; a zero sum of weights makes WeightedMean and its gradient NaN (0/0). An infinite
    /// weighted element loss makes the result ±∞; a NaN makes it NaN.</returns>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is <see cref="Reduction.None"/> or not a
    /// defined value, or the spans break the rules of the elementwise overload.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1] or
    /// NaN.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/param[@name!='destination']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/typeparam"/>
    public static T WeightedCrossEntropyWithLogitsAndGradient<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Span<T> logitsGradient, Reduction reduction = Reduction.Mean, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        CheckFusedReduction(reduction);
        SpanValidation.Check(
            labels, logits, posWeight, sampleWeight, logitsGradient, nameof(logitsGradient), labelSmoothing);
        double divisor = Divisor(reduction, logits.Length, sampleWeight);
        var scale = reduction == Reduction.Sum ? Scale.One : Scale.Reciprocal(divisor);
        double sum = Dispatch.Apply<LossAndLogitsGradientOperator, T>(
            labels, logits, posWeight, 0, logitsGradient, scale, LaneWidth.Best, sampleWeight,
            new Smoothing(labelSmoothing));
        return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / divisor);
    }

    /// <summary>
    /// The weighted cross-entropy with a sample weight and label smoothing reduced to one number, without a
    /// gradient: Σ w·loss, divided by the element count (<see cref="Reduction.Mean"/>) or by Σ w
    /// (<see cref="Reduction.WeightedMean"/>).
    /// </summary>
    /// <param name="reduction"><see cref="Reduction.Sum"/>, <see cref="Reduction.Mean"/> or
    /// <see cref="Reduction.WeightedMean"/>.</param>
    /// <returns>The reduced loss, each element's w·loss summed in double (compensated, in chunks fixed by the length:
    /// the same bits for any number of threads) and rounded once. Empty input: Sum 0, Mean and WeightedMean NaN; a
    /// zero sum of weights makes WeightedMean NaN.</returns>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is <see cref="Reduction.None"/> or not a
    /// defined value, or the spans break the rules of the elementwise overload.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1] or
    /// NaN.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/param[@name!='destination']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/remarks"/>
    public static T WeightedCrossEntropyWithLogits<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Reduction reduction, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        CheckReduced(reduction);
        int n = logits.Length;
        var scratch = ArrayPool<T>.Shared.Rent(n);
        try
        {
            var losses = scratch.AsSpan(0, n);
            SpanValidation.Check(labels, logits, posWeight, sampleWeight, losses, "logits", labelSmoothing);
            double sum = Dispatch.Apply<Summed<LossOperator>, T>(
                labels, logits, posWeight, 0, losses, Scale.One, LaneWidth.Best, sampleWeight,
                new Smoothing(labelSmoothing));
            return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / Divisor(reduction, n, sampleWeight));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The elementwise weighted cross-entropy with hard labels given as bytes (0 or 1), a sample weight and label
    /// smoothing: the same results as the overload with labels of <typeparamref name="T"/>.
    /// </summary>
    /// <param name="labels">Hard labels, each 0 or 1, one per logit (smoothed to ε/2 and 1 − ε/2).</param>
    /// <exception cref="ArgumentException">A label is neither 0 nor 1 (the message gives its index), lengths differ,
    /// <paramref name="posWeight"/> or <paramref name="sampleWeight"/> is empty or its length does not divide the
    /// logits' length, or <paramref name="destination"/> partly overlaps an input. Nothing is written then.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1] or
    /// NaN.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/param[@name!='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/remarks"/>
    public static void WeightedCrossEntropyWithLogits<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Span<T> destination, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        CheckByteLabels(labels, logits, posWeight, sampleWeight, destination, nameof(destination), labelSmoothing);
        Dispatch.ApplyByteLabels<LossOperator, T>(
            labels, logits, posWeight, destination, Scale.One, LaneWidth.Best, sampleWeight, new Smoothing(labelSmoothing));
    }

    /// <summary>
    /// The elementwise gradient with respect to the logits, <c>w·((1 − z')·σ(x) − q·z'·σ(−x))</c>, with hard labels
    /// given as bytes (0 or 1), a sample weight and label smoothing.
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/exception"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/remarks"/>
    public static void WeightedCrossEntropyWithLogitsGradient<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Span<T> destination, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        CheckByteLabels(labels, logits, posWeight, sampleWeight, destination, nameof(destination), labelSmoothing);
        Dispatch.ApplyByteLabels<LogitsGradientOperator, T>(
            labels, logits, posWeight, destination, Scale.One, LaneWidth.Best, sampleWeight, new Smoothing(labelSmoothing));
    }

    /// <summary>
    /// The fused loss and gradient of a training step with hard labels given as bytes (0 or 1), a sample weight and
    /// label smoothing: returns the reduced weighted loss and writes its gradient with respect to the logits.
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Reduction, double)" path="/param[@name!='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/param[@name='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsAndGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Reduction, double)" path="/returns"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/typeparam"/>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is not Sum, Mean or WeightedMean, or the
    /// arguments break the rules of the elementwise byte-label overload.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1] or
    /// NaN.</exception>
    public static T WeightedCrossEntropyWithLogitsAndGradient<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Span<T> logitsGradient, Reduction reduction = Reduction.Mean, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        CheckFusedReduction(reduction);
        CheckByteLabels(
            labels, logits, posWeight, sampleWeight, logitsGradient, nameof(logitsGradient), labelSmoothing);
        double divisor = Divisor(reduction, logits.Length, sampleWeight);
        var scale = reduction == Reduction.Sum ? Scale.One : Scale.Reciprocal(divisor);
        double sum = Dispatch.ApplyByteLabels<LossAndLogitsGradientOperator, T>(
            labels, logits, posWeight, logitsGradient, scale, LaneWidth.Best, sampleWeight,
            new Smoothing(labelSmoothing));
        return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / divisor);
    }

    /// <summary>
    /// The weighted cross-entropy with hard labels given as bytes (0 or 1), a sample weight and label smoothing,
    /// reduced to one number without a gradient.
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Reduction, double)" path="/param[@name!='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/param[@name='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Reduction, double)" path="/returns"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, double)" path="/typeparam"/>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is not Sum, Mean or WeightedMean, or the
    /// arguments break the rules of the elementwise byte-label overload.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1] or
    /// NaN.</exception>
    public static T WeightedCrossEntropyWithLogits<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Reduction reduction, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        CheckReduced(reduction);
        int n = logits.Length;
        var scratch = ArrayPool<T>.Shared.Rent(n);
        try
        {
            var losses = scratch.AsSpan(0, n);
            CheckByteLabels(labels, logits, posWeight, sampleWeight, losses, "logits", labelSmoothing);
            double sum = Dispatch.ApplyByteLabels<Summed<LossOperator>, T>(
                labels, logits, posWeight, losses, Scale.One, LaneWidth.Best, sampleWeight,
                new Smoothing(labelSmoothing));
            return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / Divisor(reduction, n, sampleWeight));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private static void CheckByteLabels<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        Span<T> destination, string destinationName, double labelSmoothing)
    {
        CheckByteLabels(labels, logits, posWeight, destination, destinationName);
        SpanValidation.CheckSampleWeight(sampleWeight, logits.Length);
        SpanValidation.Check(logits, logits, posWeight, sampleWeight, destination, destinationName, labelSmoothing);
    }

    /// <summary>What a reduction divides by: the element count for Mean, Σ w over every element for WeightedMean
    /// (element i weighted by sampleWeight[i mod C]: the whole cycles' sum times their number plus the last partial
    /// cycle, compensated).</summary>
    internal static double Divisor<T>(Reduction reduction, int count, ReadOnlySpan<T> sampleWeight)
        where T : IFloatingPointIeee754<T>
    {
        if (reduction != Reduction.WeightedMean || sampleWeight.IsEmpty)
        {
            return count;
        }

        int cycles = count / sampleWeight.Length;
        int rest = count - (cycles * sampleWeight.Length);
        Tensors.CompensatedSum.Sum(sampleWeight, default, out double whole, out double wholeLow);
        Tensors.CompensatedSum.Sum(sampleWeight[..rest], default, out double partial, out double partialLow);
        return Tensors.CompensatedSum.Total(whole, wholeLow) * cycles + Tensors.CompensatedSum.Total(partial, partialLow);
    }
}
