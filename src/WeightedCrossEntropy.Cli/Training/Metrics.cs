namespace WeightedCrossEntropy.Cli.Training;

/// <summary>One output's scores on the test split: precision, recall and F1 at logit 0 (probability 0.5), and
/// PR-AUC as average precision.</summary>
internal sealed record ClassMetrics(int Support, double Precision, double Recall, double F1, double AveragePrecision)
{
    /// <summary>Predictions are positive where the logit is above 0. Precision is 0 when nothing is predicted
    /// positive, F1 is 0 when precision and recall are; with no positive sample every score is NaN.</summary>
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
            return new ClassMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = (double)tp / support;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(support, precision, recall, f1, AveragePrecisionOf(targets, logits));
    }

    /// <summary>
    /// Average precision, scikit-learn's PR-AUC: Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct score thresholds from the
    /// highest down, where Pₖ and Rₖ are the precision and recall of predicting positive every score ≥ the k-th
    /// threshold (tied scores enter together). NaN with no positive sample.
    /// </summary>
    public static double AveragePrecisionOf(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores)
    {
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        Array.Reverse(order);
        int positives = 0;
        foreach (var t in targets)
        {
            positives += t > 0.5 ? 1 : 0;
        }

        if (positives == 0)
        {
            return double.NaN;
        }

        double ap = 0, previousRecall = 0;
        int tp = 0, seen = 0;
        for (int k = 0; k < order.Length;)
        {
            double threshold = scores[order[k]];
            while (k < order.Length && scores[order[k]] == threshold)
            {
                tp += targets[order[k]] > 0.5 ? 1 : 0;
                seen++;
                k++;
            }

            double recall = (double)tp / positives;
            ap += (recall - previousRecall) * tp / seen;
            previousRecall = recall;
        }

        return ap;
    }

    /// <summary>Unweighted means over the outputs that have test samples.</summary>
    public static ClassMetrics Macro(IReadOnlyList<ClassMetrics> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var present = classes.Where(m => m.Support > 0).ToList();
        return new ClassMetrics(
            classes.Sum(m => m.Support),
            present.Average(m => m.Precision),
            present.Average(m => m.Recall),
            present.Average(m => m.F1),
            present.Average(m => m.AveragePrecision));
    }
}
