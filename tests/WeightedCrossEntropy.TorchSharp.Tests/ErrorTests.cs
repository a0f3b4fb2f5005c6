using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static WeightedCrossEntropy.TorchSharp.Tests.Support;

namespace WeightedCrossEntropy.TorchSharp.Tests;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>Mistakes are reported when the loss is called, naming the argument and the shapes, never from
/// backward (where an exception would abort the process).</summary>
public sealed class ErrorTests
{
    private static Tensor F32(params long[] shape) => Leaf(new double[Count(shape)], shape, ScalarType.Float32, true);

    [Fact]
    public void A_target_of_another_shape_is_named_with_both_shapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => Losses.binary_cross_entropy_with_logits(F32(3, 2), F32(2, 3)));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("Target size ([2, 3]) must be the same as input size ([3, 2])", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorFlow_names_in_weighted_cross_entropy_with_logits()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(
            () => Losses.weighted_cross_entropy_with_logits(F32(3), F32(1, 2), 2.0));
        Assert.Equal("labels", e.ParamName);
        Assert.Contains("logits and labels must have the same shape, received ([1, 2] vs [3])", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_per_class_pos_weight_on_the_wrong_axis_says_which_axes_met_and_how_to_shape_it()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(
            () => Losses.binary_cross_entropy_with_logits(F32(2, 3, 4, 5), F32(2, 3, 4, 5), pos_weights: F32(3)));
        Assert.Equal("pos_weights", e.ParamName);
        Assert.Contains("[3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3, 4, 5]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[C, 1, 1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_weight_that_would_enlarge_the_result_is_rejected()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(
            () => Losses.binary_cross_entropy_with_logits(F32(4, 2), F32(4, 2), weight: F32(3, 4, 2)));
        Assert.Equal("weight", e.ParamName);
        Assert.Contains("enlarge", e.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<ArgumentException>(
            () => Losses.binary_cross_entropy_with_logits(F32(4, 1), F32(4, 1), pos_weights: F32(3)));
        Assert.Equal("pos_weights", e2.ParamName);
    }

    [Fact]
    public void Other_dtypes_and_integer_inputs_are_named()
    {
        using var scope = NewDisposeScope();
        var x = F32(2, 2);
        var z64 = Leaf([0, 1, 0, 1], [2, 2], ScalarType.Float64);
        var e = Assert.Throws<ArgumentException>(() => Losses.binary_cross_entropy_with_logits(x, z64));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("Float64", e.Message, StringComparison.Ordinal);
        var ints = zeros([2, 2], ScalarType.Int64);
        var e2 = Assert.Throws<ArgumentException>(() => Losses.binary_cross_entropy_with_logits(ints, ints));
        Assert.Equal("input", e2.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(
            () => Losses.binary_cross_entropy_with_logits(x, x, reduction: (Reduction)7));
    }
}
