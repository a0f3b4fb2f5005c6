using System.Buffers;
using System.Globalization;
using System.Numerics;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;

namespace WeightedCrossEntropy;

public static partial class Nn
{
    /// <summary>
    /// The elementwise weighted cross-entropy with hard labels given as bytes (0 or 1): the same results as the
    /// overload with labels of <typeparamref name="T"/>, moving 9 bytes per float32 element instead of 12.
    /// </summary>
    /// <param name="labels">Hard labels, each 0 or 1, one per logit.</param>
    /// <exception cref="ArgumentException">A label is neither 0 nor 1 (the message gives its index), lengths differ,
    /// <paramref name="posWeight"/> is empty or its length does not divide the logits' length, or
    /// <paramref name="destination"/> partly overlaps an input. Nothing is written then.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name!='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/remarks"/>
    public static void WeightedCrossEntropyWithLogits<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        CheckByteLabels(labels, logits, posWeight, destination, nameof(destination));
        Dispatch.ApplyByteLabels<LossOperator, T>(labels, logits, posWeight, destination, Scale.One);
    }

    /// <summary>
    /// The elementwise gradient with respect to the logits, <c>(1 − z)·σ(x) − q·z·σ(−x)</c>, with hard labels given
    /// as bytes (0 or 1).
    /// </summary>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/exception"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogitsGradient{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/remarks"/>
    public static void WeightedCrossEntropyWithLogitsGradient<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        CheckByteLabels(labels, logits, posWeight, destination, nameof(destination));
        Dispatch.ApplyByteLabels<LogitsGradientOperator, T>(labels, logits, posWeight, destination, Scale.One);
    }

    /// <summary>
    /// The fused loss and gradient of a training step with hard labels given as bytes (0 or 1): returns the Sum or
    /// Mean of the loss and writes that reduced loss's gradient with respect to the logits.
    /// </summary>
    /// <param name="logitsGradient">Receives ∂(reduced loss)/∂logits; same length as <paramref name="logits"/>.</param>
    /// <param name="reduction"><see cref="Reduction.Sum"/> or <see cref="Reduction.Mean"/> (the default).</param>
    /// <returns>The reduced loss (empty input: Sum 0, Mean NaN).</returns>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is not Sum or Mean, or the arguments break
    /// the rules of the elementwise byte-label overload.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='logits']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='posWeight']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/typeparam"/>
    public static T WeightedCrossEntropyWithLogitsAndGradient<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> logitsGradient,
        Reduction reduction = Reduction.Mean)
        where T : IFloatingPointIeee754<T>
    {
        CheckFusedReduction(reduction);
        CheckByteLabels(labels, logits, posWeight, logitsGradient, nameof(logitsGradient));
        int n = logits.Length;
        var scale = reduction == Reduction.Sum ? Scale.One : Scale.Reciprocal(n);
        double sum = Dispatch.ApplyByteLabels<LossAndLogitsGradientOperator, T>(
            labels, logits, posWeight, logitsGradient, scale);
        return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / n);
    }

    /// <summary>
    /// The weighted cross-entropy reduced to one number, without a gradient, with hard labels given as bytes (0 or
    /// 1): the Sum or Mean of the loss, the same value as the overload with labels of <typeparamref name="T"/>.
    /// </summary>
    /// <returns>The Sum, or the Sum divided by the element count. Empty input: Sum 0, Mean NaN.</returns>
    /// <exception cref="ArgumentException"><paramref name="reduction"/> is not Sum or Mean, a label is neither 0 nor
    /// 1 (the message gives its index), lengths differ, or <paramref name="posWeight"/> is empty or its length does
    /// not divide the logits' length.</exception>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{byte}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})" path="/param[@name='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Reduction)" path="/param[@name!='labels']"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Reduction)" path="/typeparam"/>
    /// <inheritdoc cref="WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Reduction)" path="/remarks"/>
    public static T WeightedCrossEntropyWithLogits<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Reduction reduction)
        where T : IFloatingPointIeee754<T>
    {
        CheckReduced(reduction);
        int n = logits.Length;
        var scratch = ArrayPool<T>.Shared.Rent(n);
        try
        {
            var losses = scratch.AsSpan(0, n);
            CheckByteLabels(labels, logits, posWeight, losses, "logits");
            double sum = Dispatch.ApplyByteLabels<Summed<LossOperator>, T>(labels, logits, posWeight, losses, Scale.One);
            return T.CreateTruncating(reduction == Reduction.Sum ? sum : sum / n);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private static void CheckByteLabels<T>(
        ReadOnlySpan<byte> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination,
        string destinationName)
    {
        if (labels.Length != logits.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"labels has length {labels.Length} but logits has length {logits.Length}; they must have the same length."),
                nameof(labels));
        }

        // The other checks do not depend on the labels' type: run them with the logits standing in for the labels.
        SpanValidation.Check(logits, logits, posWeight, destination, destinationName);
        int bad = labels.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"labels[{bad}] is {labels[bad]}; byte labels must be 0 or 1 (for soft labels pass them as {typeof(T).Name})."),
                nameof(labels));
        }
    }
}
