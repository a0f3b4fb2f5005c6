using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace WeightedCrossEntropy.MLNet;

/// <summary>
/// The logistic loss with the positive class weighted by pos_weight, for ML.NET's linear binary trainers:
/// <c>q·log(1 + e^−o)</c> for a positive example and <c>log(1 + e^o)</c> for a negative one, where o is the raw
/// score (the margin w·x + b) and q = <see cref="PosWeight"/>. It is ML.NET's <see cref="LogLoss"/> with the positive
/// term scaled (TensorFlow's <c>weighted_cross_entropy_with_logits</c>), computed exactly at every score.
/// </summary>
/// <remarks>
/// <para><b>Where it goes.</b> As the <see cref="ISupportSdcaClassificationLoss"/> of
/// <c>BinaryClassification.Trainers.SdcaNonCalibrated</c> (the dual coordinate ascent below), and as the
/// <see cref="IClassificationLoss"/> of <c>SgdNonCalibrated</c> and <c>AveragedPerceptron</c> (value and
/// derivative). q &gt; 1 makes a missed positive cost more and raises recall; q &lt; 1 raises precision. For hard
/// labels the loss equals <see cref="LogLoss"/> with an example weight of q on every positive example.</para>
/// <para><b>Labels and scores</b> are what ML.NET passes to its own <see cref="LogLoss"/>: the label as a float,
/// positive where label &gt; 0 (a Boolean label column arrives as 1 or 0), negative otherwise; the score is the raw
/// margin, not a probability. A NaN label gives NaN (ML.NET's trainers drop rows with a missing label before they call
/// a loss; its <see cref="LogLoss"/> would count a NaN label as negative).</para>
/// <para><b>Exactness.</b> <see cref="Loss"/> and <see cref="Derivative"/> come from the core library's float64
/// kernels (<see cref="Nn.WeightedCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
/// and its gradient), within 3 ULP of the exact value in double; the derivative is then rounded once to float.
/// ML.NET's <see cref="LogLoss"/> computes the loss as −log(max(p, 1e−8)) from a float probability p, so it returns
/// 18.42 instead of 30 for a positive at o = −30, and its derivative p − 1 is 0 for a positive at o = 20 instead of
/// −2.06e−9. A score of ±∞ gives the limit (loss +∞ or 0, derivative 1 or −q, or 0); a NaN score gives NaN.</para>
/// <para><b>SDCA's dual.</b> ML.NET's SDCA maximizes, over one dual variable α per example,
/// <c>D(α) = (1/n)·Σ wᵢ·(−φᵢ*(−αᵢ)) − (λ/2)·|v|²</c> with the model <c>v = (1/(λn))·Σ wᵢ·αᵢ·xᵢ</c> (x with a 1
/// appended for the bias, w the example weight), where φ* is the convex conjugate of the per-example loss φ.
/// For a positive example φ(o) = q·ℓ(o) with ℓ(o) = log(1 + e^−o), so
/// φ*(u) = q·ℓ*(u/q) and, with H(t) = −t·ln t − (1 − t)·ln(1 − t) the binary entropy in nats,</para>
/// <code>
/// positive (label &gt; 0):  α ∈ [0, q],   −φ*(−α) = q·H(α/q)
/// negative (label ≤ 0):  α ∈ [−1, 0],  −φ*(−α) = H(−α)
/// </code>
/// <para>which is <see cref="DualLoss"/> (−∞ outside the box), the sign convention of ML.NET's <see cref="LogLoss"/>
/// with its box [0, 1] stretched to [0, q]. The coordinate step for one example solves
/// −(φ*)′(−(α + Δ)) = o + s·Δ, where s = w·(|x|² + 1)/(λn) is the example's scaled squared norm that SDCA passes to
/// <see cref="ComputeDualUpdateInvariant"/>; its root is α + Δ = −φ′(o + s·Δ). With u = −φ′(o) (= q·σ(−o) for a
/// positive, −σ(o) for a negative) and φ″ ≤ κ (κ = q/4 for a positive, 1/4 for a negative), the function
/// g(Δ) = −φ′(o + s·Δ) − α − Δ has g(0) = u − α and slope in [−(1 + κ·s), −1], so the step</para>
/// <code>
/// Δ = (u − α) / (1 + κ·s)
/// </code>
/// <para>lies between 0 and the exact coordinate maximizer: it never overshoots, every step increases the dual,
/// and α + Δ is a convex combination of α and u, so it stays in the box (clipped there once more against
/// rounding). The invariant is c = s/4 (κ = q·c or c); <see cref="DualUpdate"/> uses 1 + q·c or 1 + c. As ML.NET's
/// losses do, an update larger than half the box is divided by the number of threads when SDCA runs several.</para>
/// <para><b>pos_weight</b> must be finite and &gt; 0: a negative q makes the loss unbounded below (no minimum, and
/// no conjugate for SDCA), q = 0 drops every positive example (the box [0, q] is a point) and NaN or ∞ makes every
/// positive loss NaN or ∞; each is an <see cref="ArgumentOutOfRangeException"/> at construction. Give q directly or
/// count it from the training labels with <see cref="FromLabels"/> or <see cref="FromCounts"/> (the core's
/// <see cref="PosWeights"/> rules). An instance is immutable and may be shared between threads and trainers.</para>
/// <para><b>Shapes.</b> ML.NET calls a loss one example at a time with scalars: nothing broadcasts, and one q applies to
/// every positive example (a binary label has one class).</para>
/// </remarks>
public sealed class WeightedLogLoss : ISupportSdcaClassificationLoss
{
    /// <summary>sup σ′ = 1/4: the curvature bound of the unweighted logistic loss.</summary>
    private const double Curvature = 0.25;

    /// <summary>A dual step larger than this fraction of the box is divided by the threads (ML.NET's rule).</summary>
    private const double ConcurrentStepFraction = 0.5;

    private readonly double _posWeight;

    /// <summary>The largest float ≤ q: the upper end of a positive example's dual box as SDCA stores it.</summary>
    private readonly float _positiveBoxEnd;

    /// <summary>Creates the loss with the given weight of the positive class.</summary>
    /// <param name="posWeight">q, the weight of a positive example's loss: finite and &gt; 0 (1 is
    /// <see cref="LogLoss"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="posWeight"/> is NaN, ±∞, zero or negative.</exception>
    public WeightedLogLoss(double posWeight)
    {
        if (!double.IsFinite(posWeight) || !(posWeight > 0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(posWeight), posWeight,
                string.Format(CultureInfo.InvariantCulture,
                    "posWeight must be a finite number > 0, not {0:R}: SDCA's dual variable of a positive " +
                    "example lives in [0, posWeight], a negative weight makes the loss unbounded below, 0 ignores " +
                    "every positive example, and NaN or infinity makes their loss NaN or infinite.", posWeight));
        }

        _posWeight = posWeight;
        float end = (float)posWeight;
        _positiveBoxEnd = end > posWeight ? MathF.BitDecrement(end) : end;
    }

    /// <summary>q, the weight of a positive example's loss: finite and &gt; 0.</summary>
    public double PosWeight => _posWeight;

    /// <summary>The loss with pos_weight from the counts of a binary training set, by one of the core's
    /// <see cref="PosWeights"/> rules: negatives / positives (the default, so that both classes weigh the same in
    /// total) or total / positives, optionally with ε added to the positives.</summary>
    /// <param name="positives">The positive examples (label &gt; 0 or true); ≥ 0.</param>
    /// <param name="negatives">The negative examples; ≥ 0.</param>
    /// <param name="rule">How the counts become pos_weight.</param>
    /// <param name="emptyClass">With no positive example and ε = 0: <see cref="EmptyClass.Throw"/> (the default)
    /// throws, <see cref="EmptyClass.UseOne"/> gives q = 1.</param>
    /// <param name="epsilon">Added to the positives (finite, ≥ 0): q = numerator / (positives + ε).</param>
    /// <returns>A loss whose <see cref="PosWeight"/> is the rule's value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or ε is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">There is no positive example (with ε = 0 and
    /// <see cref="EmptyClass.Throw"/>), or no negative example under <see cref="PosWeightRule.NegativesOverPositives"/>
    /// (q would be 0), or <paramref name="rule"/> or <paramref name="emptyClass"/> is not a defined value.</exception>
    public static WeightedLogLoss FromCounts(
        long positives, long negatives, PosWeightRule rule = PosWeightRule.NegativesOverPositives,
        EmptyClass emptyClass = EmptyClass.Throw, double epsilon = 0) =>
        Create(new ClassCounts(positives, negatives), rule, emptyClass, epsilon, "the counts");

    /// <summary>The loss with pos_weight counted from the label column of the training data, by one of the core's
    /// <see cref="PosWeights"/> rules (see <see cref="FromCounts"/>). Count the training split only: weights from
    /// the test split leak it.</summary>
    /// <param name="data">The training data.</param>
    /// <param name="labelColumnName">The label column: Boolean (true is positive), Single or Double (positive where
    /// label &gt; 0, as the loss reads it; NaN labels are skipped, as ML.NET's trainers skip them).</param>
    /// <returns>A loss whose <see cref="PosWeight"/> is the rule's value for the column's counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or <paramref name="labelColumnName"/> is
    /// null.</exception>
    /// <exception cref="ArgumentException">The column is missing or of another type, it has no positive example
    /// (with ε = 0 and <see cref="EmptyClass.Throw"/>), or no negative one under
    /// <see cref="PosWeightRule.NegativesOverPositives"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">ε is negative, NaN or infinite.</exception>
    /// <param name="rule">How the counts become pos_weight.</param>
    /// <param name="emptyClass">With no positive example and ε = 0: <see cref="EmptyClass.Throw"/> (the default)
    /// throws, <see cref="EmptyClass.UseOne"/> gives q = 1.</param>
    /// <param name="epsilon">Added to the positives (finite, ≥ 0): q = numerator / (positives + ε).</param>
    public static WeightedLogLoss FromLabels(
        IDataView data, string labelColumnName = "Label", PosWeightRule rule = PosWeightRule.NegativesOverPositives,
        EmptyClass emptyClass = EmptyClass.Throw, double epsilon = 0)
    {
        var counts = CountLabels(data, labelColumnName);
        return Create(counts, rule, emptyClass, epsilon, $"the label column '{labelColumnName}'");
    }

    /// <summary>The positive and negative examples in a label column, counted as this loss reads labels.</summary>
    /// <param name="data">The data.</param>
    /// <param name="labelColumnName">A Boolean (true is positive), Single or Double (positive where label &gt; 0)
    /// column; rows with a NaN label are not counted.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or <paramref name="labelColumnName"/> is
    /// null.</exception>
    /// <exception cref="ArgumentException">The column is missing or of another type (the message names the column,
    /// its type and the data's columns).</exception>
    public static ClassCounts CountLabels(IDataView data, string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(labelColumnName);
        var column = data.Schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentException(
                $"The data has no column '{labelColumnName}'; its columns are: " +
                string.Join(", ", data.Schema.Select(c => $"'{c.Name}' ({c.Type})")) + ".",
                nameof(labelColumnName));
        long positives = 0, negatives = 0;
        using var cursor = data.GetRowCursor([column]);
        if (column.Type is BooleanDataViewType)
        {
            var getter = cursor.GetGetter<bool>(column);
            bool value = false;
            while (cursor.MoveNext())
            {
                getter(ref value);
                if (value) { positives++; } else { negatives++; }
            }
        }
        else if (column.Type == NumberDataViewType.Single)
        {
            var getter = cursor.GetGetter<float>(column);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                if (value > 0) { positives++; } else if (!float.IsNaN(value)) { negatives++; }
            }
        }
        else if (column.Type == NumberDataViewType.Double)
        {
            var getter = cursor.GetGetter<double>(column);
            double value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                if (value > 0) { positives++; } else if (!double.IsNaN(value)) { negatives++; }
            }
        }
        else
        {
            throw new ArgumentException(
                $"The label column '{labelColumnName}' is of type {column.Type}; a binary label is Boolean, Single " +
                "or Double.",
                nameof(labelColumnName));
        }

        return new ClassCounts(positives, negatives);
    }

    private static WeightedLogLoss Create(
        ClassCounts counts, PosWeightRule rule, EmptyClass emptyClass, double epsilon, string source)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(counts.Positives, "positives");
        ArgumentOutOfRangeException.ThrowIfNegative(counts.Negatives, "negatives");
        long total = checked(counts.Positives + counts.Negatives);
        if (counts.Positives == 0 && emptyClass == EmptyClass.Throw && epsilon == 0 && Enum.IsDefined(rule))
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture,
                    "{0} has no positive example (label > 0 or true) among {1} examples, so pos_weight " +
                    "would divide by zero: check the label column and the positive class, or pass " +
                    "EmptyClass.UseOne (pos_weight 1) or an epsilon > 0.", source, total),
                nameof(emptyClass));
        }

        double q = PosWeights.FromCounts([counts.Positives], total, rule, emptyClass, epsilon)[0];
        if (!(q > 0) || !double.IsFinite(q))
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture,
                    "{0} gives pos_weight {1:R} ({2} positive, {3} negative examples, rule {4}); it must be finite " +
                    "and > 0: with no negative example use PosWeightRule.TotalOverPositives or the plain LogLoss.",
                    source, q, counts.Positives, counts.Negatives, rule),
                nameof(rule));
        }

        return new WeightedLogLoss(q);
    }

    /// <summary>The loss of one example: <c>q·log(1 + e^−o)</c> for a positive label (label &gt; 0),
    /// <c>log(1 + e^o)</c> otherwise, exact in double.</summary>
    /// <param name="output">The raw score o (the margin). ±∞ gives the limit (0 or +∞); NaN gives NaN.</param>
    /// <param name="label">The label: positive where &gt; 0, negative otherwise; NaN gives NaN.</param>
    /// <returns>The loss, ≥ 0.</returns>
    public double Loss(float output, float label) =>
        Nn.WeightedCrossEntropyWithLogits(LabelValue(label), (double)output, _posWeight);

    /// <summary>The derivative of <see cref="Loss"/> with respect to the score: <c>−q·σ(−o)</c> for a positive label,
    /// <c>σ(o)</c> otherwise, exact in double and rounded once to float.</summary>
    /// <param name="output">The raw score o. +∞ gives 0 (positive) or 1 (negative), −∞ gives −q or 0; NaN gives
    /// NaN.</param>
    /// <param name="label">The label: positive where &gt; 0, negative otherwise; NaN gives NaN.</param>
    /// <returns>The derivative, in [−q, 0] for a positive and [0, 1] for a negative.</returns>
    public float Derivative(float output, float label) => (float)Gradient(output, LabelValue(label));

    /// <summary>The invariant SDCA computes once per example: c = s/4, the curvature bound 1/4 of the unweighted
    /// logistic loss times the scaled squared norm s. <see cref="DualUpdate"/> divides by 1 + q·c for a positive
    /// example and 1 + c for a negative one.</summary>
    /// <param name="scaledFeaturesNormSquared">s = w·(|x|² + 1)/(λn) as ML.NET's SDCA passes it: ≥ 0. NaN or ∞
    /// passes through (c = s/4).</param>
    /// <returns>c = s/4 (exact in float except where s/4 is subnormal).</returns>
    public float ComputeDualUpdateInvariant(float scaledFeaturesNormSquared) => scaledFeaturesNormSquared * 0.25f;

    /// <summary>SDCA's coordinate step for one example: Δ = (u − α)/(1 + κ·s) with u = −φ′(o) from the exact
    /// derivative, κ·s = q·c for a positive and c for a negative example (c the invariant), the new dual α + Δ kept in
    /// the box [0, q] or [−1, 0]; divided by <paramref name="maxNumThreads"/> when it is 2 or more and |Δ| is over
    /// half the box. See the remarks of <see cref="WeightedLogLoss"/> for the derivation.</summary>
    /// <param name="output">The current raw score o of the example. ±∞ gives the limit of u; NaN gives NaN.</param>
    /// <param name="label">The label: positive where &gt; 0; NaN gives NaN.</param>
    /// <param name="dual">The example's dual variable α (in its box).</param>
    /// <param name="invariant">c from <see cref="ComputeDualUpdateInvariant"/>.</param>
    /// <param name="maxNumThreads">The threads SDCA runs.</param>
    /// <returns>Δ, such that <paramref name="dual"/> + Δ, added in float, lies in the box.</returns>
    public float DualUpdate(float output, float label, float dual, float invariant, int maxNumThreads)
    {
        double z = LabelValue(label);
        if (double.IsNaN(z))
        {
            return float.NaN;
        }

        bool positive = z > 0;
        double width = positive ? _posWeight : 1.0;
        float low = positive ? 0f : -1f, high = positive ? _positiveBoxEnd : 0f;
        double target = -Gradient(output, z);
        double step = (target - dual) / (1.0 + width * invariant);
        if (maxNumThreads >= 2 && System.Math.Abs(step) > ConcurrentStepFraction * width)
        {
            step /= maxNumThreads;
        }

        if (double.IsNaN(step))
        {
            return float.NaN;
        }

        float next = System.Math.Clamp((float)(dual + step), low, high);
        float update = next - dual;

        // dual + update is rounded once more when SDCA adds it: nudge the update until that sum is in the box.
        for (int i = 0; i < 4 && dual + update > high; i++)
        {
            update = MathF.BitDecrement(update);
        }

        for (int i = 0; i < 4 && dual + update < low; i++)
        {
            update = MathF.BitIncrement(update);
        }

        return update;
    }

    /// <summary>The dual loss of one example, −φ*(−α): q·H(α/q) for a positive label with α ∈ [0, q], H(−α) for a
    /// negative one with α ∈ [−1, 0], H the binary entropy in nats (0 at the ends of the box), and −∞ outside the
    /// box.</summary>
    /// <param name="label">The label: positive where &gt; 0; NaN gives NaN.</param>
    /// <param name="dual">α. NaN gives NaN.</param>
    /// <returns>The dual loss, in [0, q·ln 2] or [0, ln 2] inside the box.</returns>
    public double DualLoss(float label, float dual)
    {
        double z = LabelValue(label);
        if (double.IsNaN(z) || float.IsNaN(dual))
        {
            return double.NaN;
        }

        bool positive = z > 0;
        double width = positive ? _posWeight : 1.0;
        double a = positive ? dual : -(double)dual;
        if (a < 0 || a > width)
        {
            return double.NegativeInfinity;
        }

        return ScaledEntropy(a, width);
    }

    /// <summary>w·H(a/w) = −a·ln(a/w) − b·ln(b/w) with b = w − a, for 0 ≤ a ≤ w, each logarithm of a ratio near 1
    /// taken as log1p of the small side.</summary>
    private static double ScaledEntropy(double a, double width)
    {
        double b = width - a;
        if (a == 0 || b <= 0)
        {
            return 0;
        }

        double small = System.Math.Min(a, b), large = System.Math.Max(a, b);
        return -small * System.Math.Log(small / width) - large * Log1p(-small / width);
    }

    /// <summary>log(1 + x) without cancellation for x near 0 (the classic u = 1 + x correction).</summary>
    private static double Log1p(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : System.Math.Log(u) * x / (u - 1.0);
    }

    private static double LabelValue(float label) => float.IsNaN(label) ? double.NaN : label > 0 ? 1.0 : 0.0;

    private double Gradient(float output, double z) => Nn.WeightedCrossEntropyWithLogitsGradient(z, (double)output, _posWeight);
}
