using System.Numerics.Tensors;
using CsCheck;
using Xunit;

namespace WeightedCrossEntropy.Tests.PosWeights;

/// <summary>
/// <see cref="WeightedCrossEntropy.PosWeights"/>: negatives/positives and total/positives per class, counting
/// z ≥ 0.5 as positive, a class with no positives throwing (naming the class) or getting 1. Expected values are
/// counted by hand in each test.
/// </summary>
public sealed class PosWeightsTests
{
    [Fact]
    public void From_counts_negatives_over_positives_is_pytorchs_rule()
    {
        // PyTorch's doc: 100 positive and 300 negative examples → pos_weight 3.
        Assert.Equal([3.0, 15.0], WeightedCrossEntropy.PosWeights.FromCounts([100, 25], 400));
    }

    [Fact]
    public void From_counts_total_over_positives()
    {
        Assert.Equal([4.0, 16.0, 1.0],
            WeightedCrossEntropy.PosWeights.FromCounts([100, 25, 400], 400, PosWeightRule.TotalOverPositives));
    }

    [Fact]
    public void A_class_that_is_always_positive_gets_0_or_1()
    {
        Assert.Equal([0.0], WeightedCrossEntropy.PosWeights.FromCounts([7], 7));
        Assert.Equal([1.0], WeightedCrossEntropy.PosWeights.FromCounts([7], 7, PosWeightRule.TotalOverPositives));
    }

    [Fact]
    public void A_class_with_no_positives_throws_naming_the_class_by_default()
    {
        var error = Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.FromCounts([5, 0, 2], 10));
        Assert.Contains("class 1 has no positive example", error.Message, StringComparison.Ordinal);
        Assert.Contains("EmptyClass.UseOne", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_with_no_positives_gets_one_when_asked()
    {
        Assert.Equal([1.0, 1.0, 4.0], WeightedCrossEntropy.PosWeights.FromCounts([5, 0, 2], 10, emptyClass: EmptyClass.UseOne));
    }

    [Theory]
    [InlineData(-1L, 10L)]
    [InlineData(11L, 10L)]
    public void Counts_outside_0_to_total_are_rejected(long positives, long total)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightedCrossEntropy.PosWeights.FromCounts([positives], total));
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.FromCounts([1], 2, (PosWeightRule)7));
        Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.FromCounts([1], 2, emptyClass: (EmptyClass)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightedCrossEntropy.PosWeights.FromLabels<double>([1, 0], 0));
    }

    [Fact]
    public void From_flat_labels_with_classes_on_the_last_axis()
    {
        // [N = 4, C = 3], row-major. Class 0: 1 positive of 4; class 1: 0.5 and 0.7 count, 0.49 does not (2 of 4);
        // class 2: 3 of 4.
        double[] labels =
        [
            1, 0.5, 1,
            0, 0.49, 1,
            0, 0.7, 0,
            0, 0, 1,
        ];
        Assert.Equal([3.0, 1.0, 1.0 / 3], WeightedCrossEntropy.PosWeights.FromLabels<double>(labels, 3));
        Assert.Equal([4.0, 2.0, 4.0 / 3], WeightedCrossEntropy.PosWeights.FromLabels<double>(labels, 3, PosWeightRule.TotalOverPositives));
        Assert.Equal([3f, 1f, 1f / 3], WeightedCrossEntropy.PosWeights.FromLabels<float>(labels.Select(v => (float)v).ToArray(), 3));
    }

    [Fact]
    public void From_binary_labels()
    {
        Assert.Equal([4.0], WeightedCrossEntropy.PosWeights.FromLabels<double>([0, 1, 0, 0, 0], 1));
    }

    [Fact]
    public void Labels_whose_length_is_not_a_multiple_of_classes_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.FromLabels<double>([1, 0, 1, 0, 1], 2));
        Assert.Equal("labels", error.ParamName);
    }

    [Fact]
    public void A_NaN_label_is_rejected_with_its_index()
    {
        var error = Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.FromLabels<double>([1, 0, double.NaN, 1], 2));
        Assert.Contains("labels[2] is NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_class_in_labels_throws_naming_it_or_gets_one()
    {
        double[] labels = [1, 0, 0, 0, 1, 0];
        var error = Assert.Throws<ArgumentException>(() => WeightedCrossEntropy.PosWeights.FromLabels<double>(labels, 2));
        Assert.Contains("class 1 ", error.Message, StringComparison.Ordinal);
        Assert.Equal([0.5, 1.0], WeightedCrossEntropy.PosWeights.FromLabels<double>(labels, 2, emptyClass: EmptyClass.UseOne));
    }

    [Fact]
    public void From_a_tensor_the_last_axis_is_the_class_axis()
    {
        var labels = Tensor.Create(new double[] { 1, 0, 1, 0, 0, 1, 0, 1 }, [2, 2, 2]);
        // Class 0 (last index 0): 1, 1, 0, 0 → 2 of 4; class 1: 0, 0, 1, 1 → 2 of 4.
        var q = WeightedCrossEntropy.PosWeights.FromLabels<double>(labels);
        Assert.Equal([2], q.Lengths.ToArray().Select(l => (int)l));
        Assert.Equal(1.0, q[[0]]);
        Assert.Equal(1.0, q[[1]]);
        var rank2 = Tensor.Create(new double[] { 1, 0, 0, 0, 1, 0 }, [2, 3]);
        var q2 = WeightedCrossEntropy.PosWeights.FromLabels<double>(rank2, emptyClass: EmptyClass.UseOne);
        Assert.Equal([1.0, 1.0, 1.0], new[] { q2[[0]], q2[[1]], q2[[2]] });
    }

    [Fact]
    public void A_rank_1_tensor_is_binary_labels_of_one_class()
    {
        Tensor<double> labels = new double[] { 1, 0, 0, 0, 1, 0 };
        var q = WeightedCrossEntropy.PosWeights.FromLabels<double>(labels);
        Assert.Equal([1], q.Lengths.ToArray().Select(l => (int)l));
        Assert.Equal(2.0, q[[0]]);
    }

    [Fact]
    public void A_transposed_view_counts_along_its_own_last_axis()
    {
        // Data [[1, 1, 1], [0, 0, 1]] seen transposed as [3, 2]: rows (1, 0), (1, 0), (1, 1).
        var view = new ReadOnlyTensorSpan<double>(new double[] { 1, 1, 1, 0, 0, 1 }, 0, [3, 2], [1, 3]);
        var q = WeightedCrossEntropy.PosWeights.FromLabels(view);
        // Class 0: 3 of 3 → 0; class 1: 1 of 3 → 2.
        Assert.Equal(0.0, q[[0]]);
        Assert.Equal(2.0, q[[1]]);
    }

    [Fact]
    public void The_weights_balance_positives_against_negatives()
    {
        // Property: with q = negatives/positives, q·positives = negatives for every class (exactly, up to one
        // rounding of the division), and with q = total/positives, q·positives = total.
        Gen.Int[1, 6].SelectMany(c => Gen.Int[1, 40].SelectMany(n => Gen.Int[0, 1].Array[n * c].Select(bits => (c, n, bits))))
            .Sample(t =>
            {
                var (c, n, bits) = t;
                var labels = bits.Select(b => (double)b).ToArray();
                var ratio = WeightedCrossEntropy.PosWeights.FromLabels<double>(labels, c, emptyClass: EmptyClass.UseOne);
                var inverse = WeightedCrossEntropy.PosWeights.FromLabels<double>(labels, c, PosWeightRule.TotalOverPositives, EmptyClass.UseOne);
                for (int k = 0; k < c; k++)
                {
                    int positives = Enumerable.Range(0, n).Count(i => bits[(i * c) + k] == 1);
                    if (positives == 0)
                    {
                        Assert.Equal(1.0, ratio[k]);
                        Assert.Equal(1.0, inverse[k]);
                        continue;
                    }

                    Assert.Equal(n - positives, ratio[k] * positives, 1e-12 * n);
                    Assert.Equal(n, inverse[k] * positives, 1e-12 * n);
                }
            });
    }
}
