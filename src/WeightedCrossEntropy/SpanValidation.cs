using System.Globalization;

namespace WeightedCrossEntropy;

/// <summary>Argument checks of the span API, with messages that name the argument and the lengths.</summary>
internal static class SpanValidation
{
    public static void Check<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> destination,
        string destinationName)
    {
        if (labels.Length != logits.Length)
        {
            throw new ArgumentException(
                Format("labels has length {0} but logits has length {1}; they must have the same length.",
                    labels.Length, logits.Length),
                nameof(labels));
        }

        if (posWeight.IsEmpty)
        {
            throw new ArgumentException(
                "posWeight is empty; pass one weight (for every element) or one per class (its length C must " +
                "divide logits' length, and element i uses posWeight[i % C]).",
                nameof(posWeight));
        }

        if (logits.Length % posWeight.Length != 0)
        {
            throw new ArgumentException(
                Format("posWeight has length {0}, which does not divide logits' length {1}. A posWeight of length C " +
                    "is per class along the last axis: element i uses posWeight[i % C].",
                    posWeight.Length, logits.Length),
                nameof(posWeight));
        }

        if (destination.Length != logits.Length)
        {
            throw new ArgumentException(
                Format("{0} has length {1} but logits has length {2}; they must have the same length.",
                    destinationName, destination.Length, logits.Length),
                destinationName);
        }

        CheckOverlap(destination, labels, nameof(labels), destinationName);
        CheckOverlap(destination, logits, nameof(logits), destinationName);
        CheckOverlap(destination, posWeight, nameof(posWeight), destinationName);
    }

    /// <summary>The checks of the five-argument Check, then the sample weight's (length 1, or C dividing the logits'
    /// length: element i uses sampleWeight[i % C]) and the label smoothing's (in [0, 1]).</summary>
    public static void Check<T>(
        ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, ReadOnlySpan<T> sampleWeight,
        ReadOnlySpan<T> destination, string destinationName, double labelSmoothing)
    {
        Check(labels, logits, posWeight, destination, destinationName);
        CheckSampleWeight(sampleWeight, logits.Length);
        CheckOverlap(destination, sampleWeight, nameof(sampleWeight), destinationName);
        CheckSmoothing(labelSmoothing);
    }

    public static void CheckSampleWeight<T>(ReadOnlySpan<T> sampleWeight, int length)
    {
        if (sampleWeight.IsEmpty)
        {
            throw new ArgumentException(
                Format("sampleWeight has length 0 and logits has length {0}; pass one weight (for every element), one " +
                    "per class (its length C must divide logits' length, and element i uses sampleWeight[i % C]) or " +
                    "one per element.", length),
                nameof(sampleWeight));
        }

        if (length % sampleWeight.Length != 0)
        {
            throw new ArgumentException(
                Format("sampleWeight has length {0}, which does not divide logits' length {1}. A sampleWeight of " +
                    "length C cycles along the elements: element i uses sampleWeight[i % C] (C = {1} is one weight " +
                    "per element).", sampleWeight.Length, length),
                nameof(sampleWeight));
        }
    }

    public static void CheckSmoothing(double labelSmoothing)
    {
        if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(labelSmoothing), labelSmoothing,
                "labelSmoothing must be in [0, 1]: labels z become z·(1 − ε) + ε/2.");
        }
    }

    private static void CheckOverlap<T>(
        ReadOnlySpan<T> destination, ReadOnlySpan<T> input, string inputName, string destinationName)
    {
        if (destination.Overlaps(input, out int offset) &&
            !(offset == 0 && destination.Length == input.Length))
        {
            throw new ArgumentException(
                Format("{0} overlaps {1} without being the same memory; write in place (the very same span) or to " +
                    "separate memory.", destinationName, inputName),
                destinationName);
        }
    }

    private static string Format(string format, params object[] args) =>
        string.Format(CultureInfo.InvariantCulture, format, args);
}
