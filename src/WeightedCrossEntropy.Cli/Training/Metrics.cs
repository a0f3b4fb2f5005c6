namespace WeightedCrossEntropy.Cli.Training;

/// <summary>One output's scores on the test split: precision, recall and F1 at logit 0 (probability 0.5), and
/// PR-AUC as average precision. <see cref="Predicted"/> counts the test samples predicted positive.</summary>
internal sealed record ClassMetrics(
    int Support, int Predicted, double Precision, double Recall, double F1, double AveragePrecision)
{
    /// <summary>Predictions are positive where the logit is above 0 (a NaN logit is not). Precision is 0 when
    /// nothing is predicted positive, F1 is 0 when precision and recall are; with no positive sample every score is
    /// NaN.</summary>
    public static ClassMetrics Compute(ReadOnlySpan<double> targets, ReadOnlySpan<double> logits)
    {
        int tp = 0, fp = 0, support = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            bool positive = targets[i] > 0.5;
            bool predicted = logits[i] > 0;
            support += positive ? 1 : 0;
            tp += positive && predicted ? 1 : 0;
            fp += !positive && predicted ? 1 : 0;
        }

        if (support == 0)
        {
            return new ClassMetrics(0, tp + fp, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = (double)tp / support;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(support, tp + fp, precision, recall, f1, AveragePrecisionOf(targets, logits));
    }

    /// <summary>
    /// Average precision, scikit-learn's PR-AUC: Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct score thresholds from the
    /// highest down (R₀ = 0), where Pₖ and Rₖ are the precision and recall of predicting positive every score ≥ the
    /// k-th threshold (tied scores enter together). NaN scores rank below every number and tie with each other.
    /// NaN with no positive sample.
    /// </summary>
    public static double AveragePrecisionOf(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores)
    {
        var (recall, precision) = Thresholds(targets, scores);
        if (recall.Length == 0 || double.IsNaN(recall[0]))
        {
            return double.NaN;
        }

        double ap = 0, previousRecall = 0;
        for (int k = 0; k < recall.Length; k++)
        {
            ap += (recall[k] - previousRecall) * precision[k];
            previousRecall = recall[k];
        }

        return ap;
    }

    /// <summary>
    /// The precision–recall curve as a plot draws it: steps whose area is <see cref="AveragePrecisionOf"/>. Over
    /// each stretch of recall (Rₖ₋₁, Rₖ] that the k-th threshold adds, the precision Pₖ of that threshold: points
    /// (Rₖ₋₁, Pₖ) and (Rₖ, Pₖ). So the curve starts at recall 0 with the precision of the highest scores that find
    /// a positive (1 when the top-scored sample is positive), never at (0, 0), and draws no line across a stretch
    /// of recall that no threshold gives. Empty with no sample or no positive sample.
    /// </summary>
    public static (double[] Recall, double[] Precision) PrecisionRecallCurve(
        ReadOnlySpan<double> targets, ReadOnlySpan<double> scores)
    {
        var (recall, precision) = Thresholds(targets, scores);
        var curveRecall = new List<double>();
        var curvePrecision = new List<double>();
        double previous = 0;
        for (int k = 0; k < recall.Length; k++)
        {
            if (recall[k] > previous)
            {
                curveRecall.AddRange([previous, recall[k]]);
                curvePrecision.AddRange([precision[k], precision[k]]);
                previous = recall[k];
            }
        }

        return ([.. curveRecall], [.. curvePrecision]);
    }

    /// <summary>Recall and precision after each group of tied scores, from the highest score down. Every step of
    /// the loop takes at least one sample, whatever the scores (NaN, ±∞).</summary>
    private static (double[] Recall, double[] Precision) Thresholds(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores)
    {
        if (targets.Length != scores.Length)
        {
            throw new ArgumentException("targets and scores differ in length", nameof(scores));
        }

        int n = scores.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order); // ascending, NaN first
        Array.Reverse(keys);
        Array.Reverse(order);
        int positives = 0;
        foreach (var t in targets)
        {
            positives += t > 0.5 ? 1 : 0;
        }

        var recall = new List<double>();
        var precision = new List<double>();
        int tp = 0;
        int k = 0;
        while (k < n)
        {
            int end = k + 1;
            while (end < n && keys[end].Equals(keys[k]))
            {
                end++; // Equals, unlike ==, ties NaN with NaN
            }

            for (; k < end; k++)
            {
                tp += targets[order[k]] > 0.5 ? 1 : 0;
            }

            recall.Add(positives == 0 ? double.NaN : (double)tp / positives);
            precision.Add((double)tp / end);
        }

        return ([.. recall], [.. precision]);
    }
}

/// <summary>
/// The macro averages of a run: unweighted means over the outputs that have a positive test sample
/// (<see cref="Scored"/> of <see cref="Outputs"/>). <see cref="Precision"/> counts an output that predicts no
/// positive as precision 0; <see cref="PrecisionOfPredicting"/> averages only the <see cref="Predicting"/> outputs
/// that predict at least one (NaN when none does). Every mean is NaN when no output is scored.
/// </summary>
internal sealed record MacroMetrics(
    int Support, double Precision, double Recall, double F1, double AveragePrecision, int Outputs, int Scored,
    int Predicting, double PrecisionOfPredicting)
{
    public static MacroMetrics Of(IReadOnlyList<ClassMetrics> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var scored = classes.Where(m => m.Support > 0).ToList();
        var predicting = scored.Where(m => m.Predicted > 0).ToList();
        return new MacroMetrics(
            classes.Sum(m => m.Support),
            Mean(scored, m => m.Precision),
            Mean(scored, m => m.Recall),
            Mean(scored, m => m.F1),
            Mean(scored, m => m.AveragePrecision),
            classes.Count,
            scored.Count,
            predicting.Count,
            Mean(predicting, m => m.Precision));
    }

    private static double Mean(List<ClassMetrics> classes, Func<ClassMetrics, double> score) =>
        classes.Count == 0 ? double.NaN : classes.Average(score);
}
