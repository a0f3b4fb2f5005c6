using System.Numerics.Tensors;
using Xunit;

namespace WeightedCrossEntropy.Tests.Tensors;

/// <summary>
/// peer-cases.md G22–G25 through the tensor API: the exception type, the parameter it names, and the message's
/// contents (both shapes, the op's name, the "last axis" hint), TF-style.
/// </summary>
public sealed class TensorShapeErrorTests
{
    private static Tensor<double> Zeros(params nint[] shape) => Tensor.CreateFromShape<double>(shape, false);

    [Fact]
    public void G22_labels_3_against_logits_1x2_names_both_shapes_like_tf()
    {
        // TF: ValueError: `logits` and `labels` must have the same shape, received ((1, 2) vs (3,)).
        Tensor<double> labels = new double[] { 1, 2, 3 };
        var logits = Tensor.Create(new double[] { 2, 1 }, [1, 2]);
        var error = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>(labels, logits, 2.0));
        Assert.Equal("labels", error.ParamName);
        Assert.StartsWith("`logits` and `labels` must have the same shape, received ((1, 2) vs (3,)).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void G22_the_ops_name_prefixes_the_message()
    {
        Tensor<double> labels = new double[] { 1, 2, 3 };
        var logits = Tensor.Create(new double[] { 2, 1 }, [1, 2]);
        var error = Assert.Throws<ArgumentException>(() =>
            Nn.WeightedCrossEntropyWithLogits<double>(labels, logits, new double[] { 2 }, "weighted_loss"));
        Assert.StartsWith(
            "weighted_loss: `logits` and `labels` must have the same shape, received ((1, 2) vs (3,)).",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void G22_the_unweighted_sigmoid_call_checks_the_same()
    {
        Tensor<double> labels = new double[] { 1, 2, 3 };
        var logits = Tensor.Create(new double[] { 2, 1 }, [1, 2]);
        var error = Assert.Throws<ArgumentException>(() => Nn.SigmoidCrossEntropyWithLogits<double>(labels, logits, "sig"));
        Assert.StartsWith("sig: `logits` and `labels` must have the same shape, received ((1, 2) vs (3,)).", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Nn.SigmoidCrossEntropyWithLogits<double>(labels, logits, Reduction.Mean));
    }

    [Theory]
    [InlineData(new[] { 5, 1 }, new[] { 5 }, "((5, 1) vs (5,))")]
    [InlineData(new[] { 5 }, new[] { 5, 1 }, "((5,) vs (5, 1))")]
    [InlineData(new[] { 3, 3 }, new[] { 3, 1 }, "((3, 3) vs (3, 1))")]
    public void G23_G24_same_count_or_broadcastable_shapes_are_still_different_shapes(int[] logitsShape, int[] labelsShape, string shapes)
    {
        // PyTorch (5,1) vs (5,) and Keras [[0],[1],[2]] vs (3,3): no broadcasting between labels and logits.
        var logits = Zeros(logitsShape.Select(l => (nint)l).ToArray());
        var labels = Zeros(labelsShape.Select(l => (nint)l).ToArray());
        var error = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>(labels, logits, 1.0));
        Assert.Contains("must have the same shape, received " + shapes, error.Message, StringComparison.Ordinal);
        var reduced = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>(labels, logits, 1.0, Reduction.Sum));
        Assert.Contains(shapes, reduced.Message, StringComparison.Ordinal);
        var gradients = Assert.Throws<ArgumentException>(() =>
            Nn.WeightedCrossEntropyWithLogitsGradients<double>(labels, logits, new double[] { 1 }, Reduction.Sum));
        Assert.Contains(shapes, gradients.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void G24_invalid_reduction_is_rejected_like_keras()
    {
        var x = Zeros(2, 2);
        var error = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>(x, x, 1.0, (Reduction)42));
        Assert.Equal("reduction", error.ParamName);
        Assert.Contains("Invalid value for argument `reduction`", error.Message, StringComparison.Ordinal);
        var none = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>(x, x, 1.0, Reduction.None));
        Assert.Contains("overload without a reduction", none.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogitsGradients<double>(x, x, 1.0, Reduction.None));
    }

    [Fact]
    public void G25_a_pos_weight_that_cannot_broadcast_names_both_shapes_and_the_last_axis_rule()
    {
        var x = Zeros(4, 3);
        var error = Assert.Throws<ArgumentException>(() =>
            Nn.WeightedCrossEntropyWithLogits<double>(x, x, new double[] { 1, 2 }, "weighted_loss"));
        Assert.Equal("posWeight", error.ParamName);
        Assert.StartsWith("weighted_loss: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("(2,)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(4, 3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot broadcast", error.Message, StringComparison.Ordinal);
        Assert.Contains("a [C] posWeight applies to the last axis", error.Message, StringComparison.Ordinal);
        Assert.Contains("per-class weights must be shaped [C, 1, 1]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 2, 1, 3 }, new[] { 4, 3 }, "(2, 1, 3)", "(4, 3)")]
    [InlineData(new[] { 3 }, new[] { 4, 1 }, "(3,)", "(4, 1)")]
    [InlineData(new[] { 2, 4, 3 }, new[] { 4, 3 }, "(2, 4, 3)", "(4, 3)")]
    public void G25_a_pos_weight_that_would_enlarge_the_result_is_rejected(int[] weightShape, int[] logitsShape, string weight, string logits)
    {
        // TF would return a larger result; like PyTorch, the result here always has the logits' shape.
        var x = Zeros(logitsShape.Select(l => (nint)l).ToArray());
        var q = Zeros(weightShape.Select(l => (nint)l).ToArray());
        var error = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>(x, x, q));
        Assert.Equal("posWeight", error.ParamName);
        Assert.Contains(weight, error.Message, StringComparison.Ordinal);
        Assert.Contains(logits, error.Message, StringComparison.Ordinal);
        Assert.Contains("enlarge", error.Message, StringComparison.Ordinal);
        Assert.Contains("last axis", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogitsGradients<double>(x, x, q, Reduction.Sum));
    }

    [Fact]
    public void Extra_leading_unit_axes_that_do_not_enlarge_are_accepted()
    {
        var x = Zeros(4, 3);
        var loss = Nn.WeightedCrossEntropyWithLogits<double>(x, x, Zeros(1, 1, 1, 3));
        Assert.Equal([4, 3], loss.Lengths.ToArray().Select(l => (int)l));
    }

    [Fact]
    public void A_default_pos_weight_span_is_rejected()
    {
        var x = Zeros(2);
        var error = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>(x, x, default(ReadOnlyTensorSpan<double>)));
        Assert.Equal("posWeight", error.ParamName);
    }

    [Fact]
    public void An_upstream_gradient_of_another_shape_is_rejected_with_both_shapes()
    {
        var x = Zeros(2, 3);
        var error = Assert.Throws<ArgumentException>(() =>
            Nn.WeightedCrossEntropyWithLogitsGradients<double>(x, x, new double[] { 1, 2, 3 }, Zeros(3, 2), "grad"));
        Assert.Equal("upstreamGradient", error.ParamName);
        Assert.StartsWith("grad: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("((3, 2) vs (2, 3))", error.Message, StringComparison.Ordinal);
    }
}
