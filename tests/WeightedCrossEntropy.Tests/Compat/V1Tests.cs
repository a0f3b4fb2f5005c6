using System.Numerics.Tensors;
using Xunit;

namespace WeightedCrossEntropy.Tests.Compat;

/// <summary>
/// <c>Compat.V1.Nn</c>: TF1's <c>targets</c> spelling, forwarding to the main API; its errors say <c>targets</c>.
/// Expected values: peer-cases.md A1 (TF's docstring, q = 1.5).
/// </summary>
public sealed class V1Tests
{
    private static readonly double[] Expected = [0.3021199170, 0.8804958251, 4.539889922e-05];

    private static void AssertA1(ReadOnlySpan<double> actual)
    {
        for (int i = 0; i < Expected.Length; i++)
        {
            double m = System.Math.Abs(Expected[i]);
            double tolerance = (0.5 * System.Math.Pow(10, System.Math.Floor(System.Math.Log10(m)) - 9)) + (4 * (System.Math.BitIncrement(m) - m));
            Assert.True(System.Math.Abs(actual[i] - Expected[i]) <= tolerance, $"[{i}]: {actual[i]:R}");
        }
    }

    [Fact]
    public void Span_form_takes_targets_and_gives_tfs_docstring_values()
    {
        var destination = new double[3];
        WeightedCrossEntropy.Compat.V1.Nn.WeightedCrossEntropyWithLogits<double>(
            targets: [1, 0.5, 0], logits: [1.5, -0.1, -10], posWeight: [1.5], destination: destination);
        AssertA1(destination);
    }

    [Fact]
    public void Span_form_length_mismatch_names_targets()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            WeightedCrossEntropy.Compat.V1.Nn.WeightedCrossEntropyWithLogits<double>([1, 0, 1], [0.5, 2], [1.0], new double[2]));
        Assert.Equal("targets", error.ParamName);
        Assert.StartsWith("targets has length 3 but logits has length 2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Span_form_partial_overlap_with_targets_names_targets()
    {
        var buffer = new double[4];
        var error = Assert.Throws<ArgumentException>(() =>
            WeightedCrossEntropy.Compat.V1.Nn.WeightedCrossEntropyWithLogits<double>(
                buffer.AsSpan(0, 3), new double[3], [1.0], buffer.AsSpan(1, 3)));
        Assert.Contains("targets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensor_forms_take_targets_and_give_tfs_docstring_values()
    {
        Tensor<double> targets = new double[] { 1, 0.5, 0 };
        Tensor<double> logits = new double[] { 1.5, -0.1, -10 };
        var byValue = WeightedCrossEntropy.Compat.V1.Nn.WeightedCrossEntropyWithLogits<double>(targets, logits, 1.5);
        var byTensor = WeightedCrossEntropy.Compat.V1.Nn.WeightedCrossEntropyWithLogits<double>(targets, logits, new double[] { 1.5 });
        var values = new double[3];
        byValue.FlattenTo(values);
        AssertA1(values);
        var other = new double[3];
        byTensor.FlattenTo(other);
        Assert.Equal(values, other);
    }

    [Fact]
    public void Tensor_form_shape_mismatch_says_targets_like_tf1()
    {
        Tensor<double> targets = new double[] { 1, 2, 3 };
        var logits = Tensor.Create(new double[] { 2, 1 }, [1, 2]);
        var error = Assert.Throws<ArgumentException>(() =>
            WeightedCrossEntropy.Compat.V1.Nn.WeightedCrossEntropyWithLogits<double>(targets, logits, 2.0, "weighted_loss"));
        Assert.Equal("targets", error.ParamName);
        Assert.StartsWith(
            "weighted_loss: `logits` and `targets` must have the same shape, received ((1, 2) vs (3,)).",
            error.Message, StringComparison.Ordinal);
        var viaTensor = Assert.Throws<ArgumentException>(() =>
            WeightedCrossEntropy.Compat.V1.Nn.WeightedCrossEntropyWithLogits<double>(targets, logits, new double[] { 2 }));
        Assert.Equal("targets", viaTensor.ParamName);
        Assert.DoesNotContain("labels", viaTensor.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensor_form_rejects_a_C_weight_against_channels_first_with_the_hint()
    {
        var x = Tensor.CreateFromShape<double>([2, 3, 4, 5], false);
        var error = Assert.Throws<ArgumentException>(() =>
            WeightedCrossEntropy.Compat.V1.Nn.WeightedCrossEntropyWithLogits<double>(x, x, new double[] { 1, 2, 3 }));
        Assert.Contains("[C, 1, 1]", error.Message, StringComparison.Ordinal);
    }
}
