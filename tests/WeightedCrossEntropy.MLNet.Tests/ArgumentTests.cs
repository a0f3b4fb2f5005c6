using Microsoft.ML;
using WeightedCrossEntropy.MLNet.Tests.Support;

namespace WeightedCrossEntropy.MLNet.Tests;

/// <summary>pos_weight given directly, from counts and from a label column, and the errors for bad ones.</summary>
public sealed class ArgumentTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    [InlineData(-1e-300)]
    [InlineData(0.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_pos_weight_that_is_not_finite_and_positive_is_rejected_at_construction(double q)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WeightedLogLoss(q));
        Assert.Equal("posWeight", e.ParamName);
        Assert.Contains("finite number > 0", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1.0)]
    [InlineData(48.476190476190474)]
    [InlineData(1e300)]
    public void A_finite_positive_pos_weight_is_kept_as_given(double q) =>
        Assert.Equal(q, new WeightedLogLoss(q).PosWeight);

    [Fact]
    public void From_counts_follows_the_core_PosWeights_rules()
    {
        Assert.Equal(PosWeights.FromCounts([30], 1484)[0], WeightedLogLoss.FromCounts(30, 1454).PosWeight);
        Assert.Equal(1454.0 / 30, WeightedLogLoss.FromCounts(30, 1454).PosWeight);
        Assert.Equal(1484.0 / 30, WeightedLogLoss.FromCounts(30, 1454, PosWeightRule.TotalOverPositives).PosWeight);
        Assert.Equal(1454 / (30 + 0.5), WeightedLogLoss.FromCounts(30, 1454, epsilon: 0.5).PosWeight);
        Assert.Equal(1.0, WeightedLogLoss.FromCounts(0, 10, emptyClass: EmptyClass.UseOne).PosWeight);
        Assert.Equal(1.0, WeightedLogLoss.FromCounts(10, 0, PosWeightRule.TotalOverPositives).PosWeight);
    }

    [Fact]
    public void Counts_that_give_no_usable_pos_weight_are_clear_errors()
    {
        var none = Assert.Throws<ArgumentException>(() => WeightedLogLoss.FromCounts(0, 10));
        Assert.Contains("no positive example", none.Message, StringComparison.Ordinal);

        // Every example positive: negatives/positives = 0, which drops the positives.
        var zero = Assert.Throws<ArgumentException>(() => WeightedLogLoss.FromCounts(10, 0));
        Assert.Contains("pos_weight 0", zero.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentOutOfRangeException>(() => WeightedLogLoss.FromCounts(-1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightedLogLoss.FromCounts(1, -10));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightedLogLoss.FromCounts(1, 10, epsilon: double.NaN));
        Assert.Throws<ArgumentException>(() => WeightedLogLoss.FromCounts(1, 10, (PosWeightRule)7));
    }

    [Fact]
    public void From_labels_counts_the_label_column_of_the_training_data()
    {
        var (train, _) = Dataset.BreastCancer().Split(seed: 1);
        var ml = new MLContext(seed: 1);
        int positives = train.Labels.Count(l => l);
        var counts = WeightedLogLoss.CountLabels(train.ToDataView(ml));
        Assert.Equal(new ClassCounts(positives, train.Count - positives), counts);
        Assert.Equal((double)(train.Count - positives) / positives, WeightedLogLoss.FromLabels(train.ToDataView(ml)).PosWeight);
    }

    private sealed class FloatLabel
    {
        public float Label { get; set; }
    }

    private sealed class TextLabel
    {
        public string Label { get; set; } = "";
    }

    [Fact]
    public void Float_labels_are_positive_above_zero_and_NaN_labels_are_skipped()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(
            new[] { 1f, 0.2f, 0f, -1f, float.NaN, 0f, 3f }.Select(v => new FloatLabel { Label = v }));
        Assert.Equal(new ClassCounts(3, 3), WeightedLogLoss.CountLabels(data));
        Assert.Equal(1.0, WeightedLogLoss.FromLabels(data).PosWeight);
    }

    [Fact]
    public void A_missing_or_unusable_label_column_is_named_in_the_error()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextLabel { Label = "yes" } });
        var missing = Assert.Throws<ArgumentException>(() => WeightedLogLoss.FromLabels(data, "Target"));
        Assert.Contains("'Target'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'Label'", missing.Message, StringComparison.Ordinal);

        var text = Assert.Throws<ArgumentException>(() => WeightedLogLoss.FromLabels(data));
        Assert.Contains("'Label' is of type", text.Message, StringComparison.Ordinal);

        var floats = ml.Data.LoadFromEnumerable(new[] { new FloatLabel { Label = 0 } });
        var empty = Assert.Throws<ArgumentException>(() => WeightedLogLoss.FromLabels(floats));
        Assert.Contains("the label column 'Label' has no positive example", empty.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => WeightedLogLoss.FromLabels(null!));
    }
}
