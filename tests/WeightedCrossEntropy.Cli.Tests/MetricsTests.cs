using WeightedCrossEntropy.Cli.Training;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>The scores the training commands report, against values worked out by hand.</summary>
public sealed class MetricsTests
{
    [Fact]
    public void Average_precision_sums_precision_at_each_new_recall()
    {
        // Ranked: + − + −. Recall 1/2 at precision 1, recall 1 at precision 2/3: AP = 1/2 + 1/3.
        Assert.Equal(0.5 + (1.0 / 3), ClassMetrics.AveragePrecisionOf([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6]), 15);
    }

    [Fact]
    public void Average_precision_takes_tied_scores_together()
    {
        // Both at the same score: one threshold, recall 1 at precision 1/2.
        Assert.Equal(0.5, ClassMetrics.AveragePrecisionOf([1, 0], [0.3, 0.3]));

        // + (0.9), then a tie of + and − (0.5): recall 1/2 at precision 1, then recall 1 at precision 2/3.
        Assert.Equal(0.5 + (1.0 / 3), ClassMetrics.AveragePrecisionOf([0, 1, 1], [0.5, 0.5, 0.9]), 15);
    }

    [Fact]
    public void Precision_recall_and_f1_count_logits_above_zero_as_positive()
    {
        // Targets 1 1 1 0 0, logits + − + + −: TP 2, FN 1, FP 1.
        var m = ClassMetrics.Compute([1, 1, 1, 0, 0], [2, -1, 0.5, 3, -2]);

        Assert.Equal(3, m.Support);
        Assert.Equal(2.0 / 3, m.Precision, 15);
        Assert.Equal(2.0 / 3, m.Recall, 15);
        Assert.Equal(2.0 / 3, m.F1, 15);
    }

    [Fact]
    public void Nothing_predicted_positive_has_precision_and_f1_zero()
    {
        var m = ClassMetrics.Compute([1, 0, 0], [-1, -2, -3]);

        Assert.Equal(0, m.Precision);
        Assert.Equal(0, m.Recall);
        Assert.Equal(0, m.F1);
        Assert.Equal(1, m.AveragePrecision);
    }

    [Fact]
    public void A_stratified_split_keeps_every_class_on_both_sides_and_duplicates_together()
    {
        // Class 0: 10 samples, class 1: 5 samples of which 3 and 4 are copies of sample 2.
        int[] strata = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        int[] groups = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 12];

        var (train, test) = StratifiedSplit.Split(strata, groups, 0.3, 42);

        Assert.Equal(Enumerable.Range(0, 15), train.Concat(test).Order());
        Assert.Equal(3, test.Count(i => strata[i] == 0));
        Assert.Equal(1, test.Count(i => strata[i] == 1 && groups[i] != 12) + (test.Contains(12) ? 1 : 0));
        Assert.True(new[] { 12, 13, 14 }.All(test.Contains) || new[] { 12, 13, 14 }.All(train.Contains));
    }
}
