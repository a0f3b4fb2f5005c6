using System.Numerics.Tensors;
using Xunit;

namespace WeightedCrossEntropy.Tests.PosWeights;

/// <summary>
/// The ε of <c>total / (positives + ε)</c> and the per-class counts <see cref="WeightedCrossEntropy.PosWeights"/>
/// exposes. Labels are counted by hand in each test; the weights follow from those counts by the rule as written.
/// </summary>
public sealed class PosWeightsEpsilonTests
{
    [Fact]
    public void Epsilon_is_added_to_the_positives_as_tensorflow_users_write_it()
    {
        // 400 examples; 100, 0 and 25 positives; ε = 1e-6.
        var weights = WeightedCrossEntropy.PosWeights.FromCounts([100, 0, 25], 400, PosWeightRule.TotalOverPositives, epsilon: 1e-6);

        Assert.Equal([400 / (100 + 1e-6), 400 / 1e-6, 400 / (25 + 1e-6)], weights);
        Assert.True(weights[0] < 4 && weights[0] > 4 * (1 - 1e-8)); // slightly below 400/100
    }

    [Fact]
    public void Epsilon_applies_to_negatives_over_positives_too()
    {
        var weights = WeightedCrossEntropy.PosWeights.FromCounts([100, 0], 400, epsilon: 0.5);

        Assert.Equal([300 / 100.5, 400 / 0.5], weights);
    }

    [Fact]
    public void With_epsilon_an_empty_class_neither_throws_nor_takes_one()
    {
        Assert.Equal([10 / 1e-6], WeightedCrossEntropy.PosWeights.FromCounts([0], 10, PosWeightRule.TotalOverPositives, EmptyClass.Throw, 1e-6));
        Assert.Equal([10 / 1e-6], WeightedCrossEntropy.PosWeights.FromCounts([0], 10, PosWeightRule.TotalOverPositives, EmptyClass.UseOne, 1e-6));

        // Without ε the old behaviour stands.
        Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.FromCounts([0], 10, PosWeightRule.TotalOverPositives, epsilon: 0));
    }

    [Theory]
    [InlineData(-1e-6)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_negative_or_non_finite_epsilon_is_refused(double epsilon)
    {
        var counts = Assert.Throws<ArgumentOutOfRangeException>(() => WeightedCrossEntropy.PosWeights.FromCounts([1], 2, epsilon: epsilon));
        Assert.Equal("epsilon", counts.ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => WeightedCrossEntropy.PosWeights.FromLabels<float>([1f, 0f], 1, epsilon: epsilon)).ParamName);
        var tensor = Tensor.Create<double>([1, 0], [2]);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => WeightedCrossEntropy.PosWeights.FromLabels<double>(tensor, epsilon: epsilon)).ParamName);
    }

    [Fact]
    public void From_labels_with_epsilon_uses_the_counted_positives()
    {
        // [N = 4, C = 2]: class 0 has labels 1, 0, 0.7, 0 (2 positive); class 1 has 0, 0, 0.2, 0 (none).
        double[] labels = [1, 0, 0, 0, 0.7, 0.2, 0, 0];
        var span = WeightedCrossEntropy.PosWeights.FromLabels<double>(labels, 2, PosWeightRule.TotalOverPositives, epsilon: 1e-6);
        var tensor = WeightedCrossEntropy.PosWeights.FromLabels<double>(Tensor.Create(labels, [4, 2]), PosWeightRule.TotalOverPositives, epsilon: 1e-6);
        float[] single = WeightedCrossEntropy.PosWeights.FromLabels<float>(labels.Select(v => (float)v).ToArray(), 2, epsilon: 1e-6);

        Assert.Equal([4 / (2 + 1e-6), 4 / 1e-6], span);
        Assert.Equal(span, tensor.ToArray());
        Assert.Equal([(float)(2 / (2 + 1e-6)), (float)(4 / 1e-6)], single); // computed in double, rounded once
    }

    [Fact]
    public void Class_counts_split_each_class_at_one_half()
    {
        // [N = 3, C = 3]: column 0: 1, 0.5, 0.49 → 2 positive; column 1: 0, 0, 0 → none; column 2: 1, 7, −1 → 2.
        float[] labels = [1, 0, 1, 0.5f, 0, 7, 0.49f, 0, -1];
        var counts = WeightedCrossEntropy.PosWeights.CountClasses<float>(labels, 3);

        Assert.Equal([new ClassCounts(2, 1), new ClassCounts(0, 3), new ClassCounts(2, 1)], counts);
        Assert.All(counts, c => Assert.Equal(3, c.Total));
    }

    [Fact]
    public void Class_counts_of_a_tensor_take_its_last_axis_and_a_rank_1_tensor_as_one_class()
    {
        var matrix = Tensor.Create<double>([1, 0, 1, 1, 0, 0], [3, 2]); // rows (1, 0), (1, 1), (0, 0)
        Assert.Equal([new ClassCounts(2, 1), new ClassCounts(1, 2)], WeightedCrossEntropy.PosWeights.CountClasses<double>(matrix));

        var vector = Tensor.Create<double>([1, 0, 0, 0, 1], [5]);
        Assert.Equal([new ClassCounts(2, 3)], WeightedCrossEntropy.PosWeights.CountClasses<double>(vector));

        Assert.Empty(WeightedCrossEntropy.PosWeights.CountClasses<double>(Tensor.CreateFromShape<double>([4, 0], false)));
        Assert.Equal([new ClassCounts(0, 0), new ClassCounts(0, 0)], WeightedCrossEntropy.PosWeights.CountClasses<double>([], 2));
    }

    [Fact]
    public void Class_counts_refuse_nan_and_a_class_count_that_does_not_divide()
    {
        var nan = Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.CountClasses<double>([1, 0, double.NaN, 1], 2));
        Assert.Contains("labels[2] is NaN", nan.Message, StringComparison.Ordinal);
        var divide = Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.CountClasses<double>([1, 0, 1], 2));
        Assert.Contains("not a multiple of classes = 2", divide.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightedCrossEntropy.PosWeights.CountClasses<double>([1], 0));
        Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.CountClasses<double>(default(ReadOnlyTensorSpan<double>)));
    }

    [Fact]
    public void The_counts_make_the_weights_of_every_rule()
    {
        double[] labels = [1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0];
        var counts = WeightedCrossEntropy.PosWeights.CountClasses<double>(labels, 3);
        var positives = counts.Select(c => c.Positives).ToArray();

        Assert.Equal(
            counts.Select(c => (double)c.Negatives / c.Positives),
            WeightedCrossEntropy.PosWeights.FromLabels<double>(labels, 3));
        Assert.Equal(
            WeightedCrossEntropy.PosWeights.FromCounts(positives, 4, PosWeightRule.TotalOverPositives),
            WeightedCrossEntropy.PosWeights.FromLabels<double>(labels, 3, PosWeightRule.TotalOverPositives));
    }
}
