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

/// <summary>The examples of one class in a set of labels: how many are positive (z ≥ 0.5) and how many negative
/// (<see cref="PosWeights.CountClasses{T}(ReadOnlySpan{T}, int)"/>).</summary>
/// <param name="Positives">Examples with label z ≥ 0.5.</param>
/// <param name="Negatives">Examples with label z &lt; 0.5.</param>
public readonly record struct ClassCounts(long Positives, long Negatives)
{
    /// <summary>Positives plus negatives: the examples of the class.</summary>
    public long Total => Positives + Negatives;
}

/// <summary>
/// pos_weight from class frequencies, to pass to <see cref="Nn"/>'s WeightedCrossEntropyWithLogits for imbalanced
/// labels: per class, negatives / positives (<see cref="PosWeightRule.NegativesOverPositives"/>, the default) or
/// total / positives (<see cref="PosWeightRule.TotalOverPositives"/>), optionally with ε added to the positives
/// (TensorFlow users' <c>total / (positives + 1e-6)</c>); and the per-class counts themselves
/// (<see cref="CountClasses{T}(ReadOnlySpan{T}, int)"/>).
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
/// <para><b>ε.</b> Every rule takes an optional <c>epsilon</c> (finite, ≥ 0, default 0) added to the positives:
/// weight = numerator / (positives + ε), the rule TensorFlow users write as <c>total / (positives + 1e-6)</c>. With
/// ε &gt; 0 nothing divides by zero: a class with no positive example gets numerator / ε (a very large weight, which
/// is what that rule means), and <c>emptyClass</c> is not consulted.</para>
/// <para>Weights are computed in double (exact counts; positives + ε and the division each rounded once, one
/// rounding when ε = 0) and rounded once to the element type.</para>
/// </remarks>
public static class PosWeights
{
    /// <summary>One pos_weight per class from the number of positive examples of each class and the number of
    /// examples (every class has <paramref name="total"/> examples, as in a multi-label [N, C] layout).</summary>
    /// <param name="positives">Positive examples per class; each in [0, <paramref name="total"/>].</param>
    /// <param name="total">Examples per class (N); ≥ 0.</param>
    /// <param name="rule">negatives/positives (the default) or total/positives.</param>
    /// <param name="emptyClass">What a class with no positive example gets when <paramref name="epsilon"/> is 0: an
    /// exception (the default) or 1.</param>
    /// <param name="epsilon">ε added to each class's positives before dividing: finite and ≥ 0 (default 0, the
    /// plain rule). With ε &gt; 0 a class with no positive example gets numerator / ε.</param>
    /// <returns>One weight per class, in class order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="total"/> is negative, a count is negative
    /// or exceeds <paramref name="total"/>, or <paramref name="epsilon"/> is negative, infinite or NaN.</exception>
    /// <exception cref="ArgumentException">A class has no positive example and <paramref name="emptyClass"/> is
    /// <see cref="EmptyClass.Throw"/> (the message names the class index), or <paramref name="rule"/> or
    /// <paramref name="emptyClass"/> is not a defined value.</exception>
    public static double[] FromCounts(
        ReadOnlySpan<long> positives, long total, PosWeightRule rule = PosWeightRule.NegativesOverPositives,
        EmptyClass emptyClass = EmptyClass.Throw, double epsilon = 0)
    {
        CheckOptions(rule, emptyClass, epsilon);
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

            weights[c] = Weight(p, total, c, rule, emptyClass, epsilon, nameof(positives));
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
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass, double)" path="/param[@name='rule']"/>
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass, double)" path="/param[@name='emptyClass']"/>
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass, double)" path="/param[@name='epsilon']"/>
    public static T[] FromLabels<T>(
        ReadOnlySpan<T> labels, int classes, PosWeightRule rule = PosWeightRule.NegativesOverPositives,
        EmptyClass emptyClass = EmptyClass.Throw, double epsilon = 0)
        where T : IFloatingPointIeee754<T>
    {
        CheckOptions(rule, emptyClass, epsilon);
        var counts = CountClasses(labels, classes);
        var weights = new T[classes];
        for (int c = 0; c < classes; c++)
        {
            weights[c] = T.CreateTruncating(
                Weight(counts[c].Positives, counts[c].Total, c, rule, emptyClass, epsilon, nameof(labels)));
        }

        return weights;
    }

    /// <summary>The positive and negative examples of each class in flat labels: label i belongs to class
    /// i % <paramref name="classes"/> (row-major [N, C]; <paramref name="classes"/> = 1 for binary labels [N]);
    /// positive where z ≥ 0.5, negative otherwise (soft labels count by rounding, 0.5 as positive; labels outside
    /// [0, 1] by the same rule, ±∞ included). These are the counts the weights of
    /// <see cref="FromLabels{T}(ReadOnlySpan{T}, int, PosWeightRule, EmptyClass, double)"/> are made of, for a rule
    /// of your own.</summary>
    /// <typeparam name="T">float, double, Half, or any other IEEE 754 type.</typeparam>
    /// <param name="labels">The labels, [N·C] row-major.</param>
    /// <param name="classes">C, the number of classes (the length of the last axis); ≥ 1 and dividing the labels'
    /// length.</param>
    /// <returns>C counts, in class order; each class has N = labels.Length / C examples (all zero for empty
    /// labels).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="classes"/> does not divide the labels' length, or a label
    /// is NaN (the message names its index: it is neither positive nor negative).</exception>
    public static ClassCounts[] CountClasses<T>(ReadOnlySpan<T> labels, int classes)
        where T : IFloatingPointIeee754<T>
    {
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
        var counts = new ClassCounts[classes];
        for (int c = 0; c < classes; c++)
        {
            counts[c] = new ClassCounts(positives[c], total - positives[c]);
        }

        return counts;
    }

    /// <summary>The positive and negative examples of each class in a labels tensor whose last axis is the class
    /// axis (any layout, strided views too); a rank-1 tensor holds binary labels of one class. Counted as
    /// <see cref="CountClasses{T}(ReadOnlySpan{T}, int)"/> counts.</summary>
    /// <param name="labels">The labels, [..., C], or [N] binary.</param>
    /// <returns>C counts in class order (one for rank-1 labels; none when the last axis has length 0).</returns>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is a default (rank-0) tensor span, or a label is
    /// NaN.</exception>
    /// <inheritdoc cref="CountClasses{T}(ReadOnlySpan{T}, int)" path="/typeparam"/>
    public static ClassCounts[] CountClasses<T>(ReadOnlyTensorSpan<T> labels)
        where T : IFloatingPointIeee754<T>
    {
        var (flat, classes) = Flatten(labels);
        return classes == 0 ? [] : CountClasses<T>(flat, classes);
    }

    /// <summary>One pos_weight per class from a labels tensor whose last axis is the class axis (any layout,
    /// strided views too); a rank-1 tensor holds binary labels of one class.</summary>
    /// <param name="labels">The training labels, [..., C], or [N] binary.</param>
    /// <returns>A tensor of shape [C] (shape [1] for rank-1 labels), which broadcasts against the labels' shape
    /// along the last axis.</returns>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is a default (rank-0) tensor span, a label is
    /// NaN, or a class has no positive example and <paramref name="emptyClass"/> is <see cref="EmptyClass.Throw"/>
    /// (the message names the class index).</exception>
    /// <inheritdoc cref="FromLabels{T}(ReadOnlySpan{T}, int, PosWeightRule, EmptyClass, double)" path="/typeparam"/>
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass, double)" path="/param[@name='rule']"/>
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass, double)" path="/param[@name='emptyClass']"/>
    /// <inheritdoc cref="FromCounts(ReadOnlySpan{long}, long, PosWeightRule, EmptyClass, double)" path="/param[@name='epsilon']"/>
    public static Tensor<T> FromLabels<T>(
        ReadOnlyTensorSpan<T> labels, PosWeightRule rule = PosWeightRule.NegativesOverPositives,
        EmptyClass emptyClass = EmptyClass.Throw, double epsilon = 0)
        where T : IFloatingPointIeee754<T>
    {
        CheckOptions(rule, emptyClass, epsilon);
        var (flat, classes) = Flatten(labels);
        if (classes == 0)
        {
            return Tensor.CreateFromShape<T>([0], false);
        }

        return Tensor.Create(FromLabels<T>(flat, classes, rule, emptyClass, epsilon), [classes]);
    }

    /// <summary>The labels flat in row-major order, and the number of classes: the last axis, 1 for rank 1.</summary>
    private static (T[] Flat, int Classes) Flatten<T>(ReadOnlyTensorSpan<T> labels)
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

        return (flat, classes);
    }

    private static double Weight(
        long positives, long total, int c, PosWeightRule rule, EmptyClass emptyClass, double epsilon, string argument)
    {
        long numerator = rule == PosWeightRule.NegativesOverPositives ? total - positives : total;
        if (epsilon > 0)
        {
            return numerator / (positives + epsilon);
        }

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

        return (double)numerator / positives;
    }

    private static void CheckOptions(PosWeightRule rule, EmptyClass emptyClass, double epsilon)
    {
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(
                nameof(epsilon), epsilon,
                Format("epsilon must be a finite number >= 0 (added to each class's positives), not {0}.", epsilon));
        }

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
