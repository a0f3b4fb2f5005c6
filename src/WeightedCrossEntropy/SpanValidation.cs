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
