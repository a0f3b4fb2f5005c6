using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace WeightedCrossEntropy;

/// <summary>How <see cref="PosWeights"/> turns a class's counts into its pos_weight.</summary>
public enum PosWeightRule
{
    /// <summary>negatives / positives: PyTorch's recommendation for <c>BCEWithLogitsLoss(pos_weight=...)</c> (a class
    /// with 100 positive and 300 negative examples gets 3), so that positives and negatives weigh the same in total.
    /// A class whose every example is positive gets 0.</summary>
    NegativesOverPositives,

    /// <summary>total / positives (examples over positive examples): the class's inverse positive frequency; always
    /// ≥ 1, and 1 for a class whose every example is positive.</summary>
    TotalOverPositives,
}

/// <summary>What <see cref="PosWeights"/> does for a class with no positive example, where both rules divide by
/// zero.</summary>
public enum EmptyClass
{
    /// <summary>Throw an <see cref="ArgumentException"/> that names the class index (the default: a class that never
    /// occurs usually means the wrong label layout or the wrong number of classes).</summary>
    Throw,

    /// <summary>Give the class pos_weight 1, the unweighted loss (its positive term never occurs in these labels
    /// anyway).</summary>
    UseOne,
}

/// <summary>
/// pos_weight from class frequencies, to pass to <see cref="Nn"/>'s WeightedCrossEntropyWithLogits for imbalanced
/// labels: per class, negatives / positives (<see cref="PosWeightRule.NegativesOverPositives"/>, the default) or
/// total / positives (<see cref="PosWeightRule.TotalOverPositives"/>).
/// </summary>
/// <remarks>
/// <para><b>Counting.</b> A label counts as positive where z ≥ 0.5 and as negative otherwise, so hard 0/1 labels
/// count exactly and soft labels count by rounding (0.5 is positive). A NaN label is an error
/// (<see cref="ArgumentException"/> naming its index): it is neither. Labels outside [0, 1] are counted by the same
/// rule.</para>
/// <para><b>Classes.</b> With C classes the labels are laid out as the loss expects them: flat row-major [N, C], so
/// label i belongs to class i % C (C = 1 for binary labels [N]); a tensor's last axis is the class axis, except that a
/// rank-1 tensor holds binary labels of one class. The result has one weight per class, shaped to broadcast against
/// the labels' own shape: [C] applies to the last axis.</para>
/// <para><b>A class with no positive example</b> divides by zero: by default that throws an
/// <see cref="ArgumentException"/> naming the class index; pass <see cref="EmptyClass.UseOne"/> to give such a class
/// weight 1 instead. Empty labels (no examples at all) make every class empty.</para>
/// <para>Weights are computed in double (exact counts, one division) and rounded once to the element type.</para>
/// </remarks>
public static class PosWeights
{
    /// <summary>One pos_weight per class from the number of positive examples of each class and the number of
    /// examples (every class has <paramref name="total"/> examples, as in a multi-label [N, C] layout).</summary>
    /// <param name="positives">Positive examples per class; each in [0, <paramref name="total"/>].</param>
    /// <param name="total">Examples per class (N); ≥ 0.</param>
    /// <param name="rule">negatives/positives (the default) or total/positives.</param>
    /// <param name="emptyClass">What a class with no positive example gets: an exception (the default) or 1.</param>
    /// <returns>One weight per class, in class order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="total"/> is negative, or a count is negative
    /// or exceeds <paramref name="total"/>.</exception>
    /// <exception cref="ArgumentException">A class has no positive example and <paramref name="emptyClass"/> is
    /// <see cref="EmptyClass.Throw"/> (the message names the class index), or <paramref name="rule"/> or
    /// <paramref name="emptyClass"/> is not a defined value.</exception>
    public static double[] FromCounts(
        ReadOnlySpan<long> positives, long total, PosWeightRule rule = PosWeightRule.NegativesOverPositives,
        EmptyClass emptyClass = EmptyClass.Throw)
    {
        CheckOptions(rule, emptyClass);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        var weights = new double[positives.Length];
        for (int c = 0; c < positives.Length; c++)
        {
            long p = positives[c];
            if (p < 0 || p > total)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(positives), p,
                    Format("positives[{0}] = {1} is outside [0, total = {2}].", c, p, total));
            }

            weights[c] = Weight(p, total, c, rule, emptyClass, nameof(positives));
        }

        return weights;
    }

    /// <summary>One pos_weight per class from flat labels: label i belongs to class i % <paramref name="classes"/>
    /// (row-major [N, C]; <paramref name="classes"/> = 1 for binary labels [N]); positive where z ≥ 0.5.</summary>
    /// <typeparam name="T">float, double, Half, or any other IEEE 754 type.</typeparam>
    /// <param name="labels">The training labels, [N·C] row-major.</param>
    /// <param name="classes">C, the number of classes (the length of the last axis); ≥ 1 and dividing the labels'
    /// length.</param>
    /// <returns>C weights, in class order, ready to pass as a [C] pos_weight.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="classes"/> does not divide the labels' length, a label is
    /// NaN (the message names its index), or a class has no positive example and <paramref name="emptyClass"/> is
    /// <see cref="EmptyClass.Throw"/> (the message names the class index).</exception>
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass)" path="/param[@name='rule']"/>
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass)" path="/param[@name='emptyClass']"/>
    public static T[] FromLabels<T>(
        ReadOnlySpan<T> labels, int classes, PosWeightRule rule = PosWeightRule.NegativesOverPositives,
        EmptyClass emptyClass = EmptyClass.Throw)
        where T : IFloatingPointIeee754<T>
    {
        CheckOptions(rule, emptyClass);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (labels.Length % classes != 0)
        {
            throw new ArgumentException(
                Format("labels has length {0}, which is not a multiple of classes = {1}; label i belongs to class " +
                    "i % classes (row-major [N, C]).", labels.Length, classes),
                nameof(labels));
        }

        var positives = new long[classes];
        var half = T.CreateTruncating(0.5);
        for (int i = 0; i < labels.Length; i++)
        {
            var z = labels[i];
            if (T.IsNaN(z))
            {
                throw new ArgumentException(
                    Format("labels[{0}] is NaN: it counts as neither positive nor negative.", i), nameof(labels));
            }

            if (z >= half)
            {
                positives[i % classes]++;
            }
        }

        long total = labels.Length / classes;
        var weights = new T[classes];
        for (int c = 0; c < classes; c++)
        {
            weights[c] = T.CreateTruncating(Weight(positives[c], total, c, rule, emptyClass, nameof(labels)));
        }

        return weights;
    }

    /// <summary>One pos_weight per class from a labels tensor whose last axis is the class axis (any layout,
    /// strided views too); a rank-1 tensor holds binary labels of one class.</summary>
    /// <param name="labels">The training labels, [..., C], or [N] binary.</param>
    /// <returns>A tensor of shape [C] (shape [1] for rank-1 labels), which broadcasts against the labels' shape
    /// along the last axis.</returns>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is a default (rank-0) tensor span, a label is
    /// NaN, or a class has no positive example and <paramref name="emptyClass"/> is <see cref="EmptyClass.Throw"/>
    /// (the message names the class index).</exception>
    /// <inheritdoc cref="FromLabels{T}(ReadOnlySpan{T}, int, PosWeightRule, EmptyClass)" path="/typeparam"/>
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass)" path="/param[@name='rule']"/>
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass)" path="/param[@name='emptyClass']"/>
    public static Tensor<T> FromLabels<T>(
        ReadOnlyTensorSpan<T> labels, PosWeightRule rule = PosWeightRule.NegativesOverPositives,
        EmptyClass emptyClass = EmptyClass.Throw)
        where T : IFloatingPointIeee754<T>
    {
        if (labels.Rank == 0)
        {
            throw new ArgumentException(
                "labels is a default (rank-0) tensor span; pass labels shaped [..., C] or [N].", nameof(labels));
        }

        int classes = labels.Rank == 1 ? 1 : checked((int)labels.Lengths[^1]);
        var flat = new T[checked((int)labels.FlattenedLength)];
        if (flat.Length > 0)
        {
            labels.FlattenTo(flat);
        }

        if (classes == 0)
        {
            return Tensor.CreateFromShape<T>([0], false);
        }

        return Tensor.Create(FromLabels<T>(flat, classes, rule, emptyClass), [classes]);
    }

    private static double Weight(
        long positives, long total, int c, PosWeightRule rule, EmptyClass emptyClass, string argument)
    {
        if (positives == 0)
        {
            if (emptyClass == EmptyClass.UseOne)
            {
                return 1.0;
            }

            throw new ArgumentException(
                Format("class {0} has no positive example (of {1}), so its pos_weight would divide by zero. Check the " +
                    "label layout (label i belongs to class i % C, a tensor's classes are its last axis), or pass " +
                    "EmptyClass.UseOne to give such a class pos_weight 1.", c, total),
                argument);
        }

        long numerator = rule == PosWeightRule.NegativesOverPositives ? total - positives : total;
        return (double)numerator / positives;
    }

    private static void CheckOptions(PosWeightRule rule, EmptyClass emptyClass)
    {
        if (!Enum.IsDefined(rule))
        {
            throw new ArgumentException(Format("Invalid value for argument `rule`: {0}.", (int)rule), nameof(rule));
        }

        if (!Enum.IsDefined(emptyClass))
        {
            throw new ArgumentException(
                Format("Invalid value for argument `emptyClass`: {0}.", (int)emptyClass), nameof(emptyClass));
        }
    }

    private static string Format(string format, params object[] args) =>
        string.Format(CultureInfo.InvariantCulture, format, args);
}
