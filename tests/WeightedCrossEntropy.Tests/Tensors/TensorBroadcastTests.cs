using System.Numerics.Tensors;
using Xunit;
using static WeightedCrossEntropy.Tests.Tensors.TensorReference;

namespace WeightedCrossEntropy.Tests.Tensors;

/// <summary>
/// pos_weight broadcasting in the tensor API: peer-cases.md B7–B9 and every broadcast pattern the implementation
/// treats differently (scalar, trailing [C] cycling, constant runs, dense runs, short runs expanded), checked
/// against <see cref="TensorReference"/>.
/// </summary>
public sealed class TensorBroadcastTests
{
    /// <summary>A peer-cases.md value is the exact value to 10 significant digits: half a unit of the 10th digit
    /// plus 4 ULP for the library's own error.</summary>
    private static double Tolerance10(double expected)
    {
        double m = System.Math.Abs(expected);
        return m == 0 ? 0 : (0.5 * System.Math.Pow(10, System.Math.Floor(System.Math.Log10(m)) - 9)) +
            (4 * (System.Math.BitIncrement(m) - m));
    }

    private static void AssertPeer(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(System.Math.Abs(actual[i] - expected[i]) <= Tolerance10(expected[i]),
                $"[{i}]: got {actual[i]:R}, expected {expected[i]:R}");
        }
    }

    private static readonly double[] B7Logits = [0.5, -1, 2, -2, 3, 0];
    private static readonly double[] B7Labels = [1, 0, 1, 1, 1, 0];
    private static readonly double[] B7Weights = [1, 2, 3];

    [Fact]
    public void B7_per_class_weight_on_the_last_axis_of_2x3()
    {
        var loss = Nn.WeightedCrossEntropyWithLogits<double>(
            Make<double>(B7Labels, [2, 3]), Make<double>(B7Logits, [2, 3]), Make<double>(B7Weights, [3]));
        Assert.Equal([2, 3], loss.Lengths.ToArray().Select(l => (int)l));
        AssertPeer([0.4740769842, 0.3132616875, 0.3807840331, 2.126928011, 0.09717470315, 0.6931471806], Values(loss));
    }

    [Fact]
    public void B7_float32()
    {
        var loss = Nn.WeightedCrossEntropyWithLogits<float>(
            Make<float>(B7Labels, [2, 3]), Make<float>(B7Logits, [2, 3]), Make<float>(B7Weights, [3]));
        // Every input is exact in float, so the exact float64 values are the reference.
        Close32(Values(loss), [0.4740769842, 0.3132616875, 0.3807840331, 2.126928011, 0.09717470315, 0.6931471806]);
    }

    [Fact]
    public void B7_mean_and_sum()
    {
        var z = Make<double>(B7Labels, [2, 3]);
        var x = Make<double>(B7Logits, [2, 3]);
        var q = Make<double>(B7Weights, [3]);
        AssertPeer([0.6808954333], [Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, Reduction.Mean)]);
        AssertPeer([4.085372600], [Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, Reduction.Sum)]);
    }

    [Fact]
    public void B7_logits_gradient_of_the_sum()
    {
        var g = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Make<double>(B7Labels, [2, 3]), Make<double>(B7Logits, [2, 3]), Make<double>(B7Weights, [3]),
            Reduction.Sum);
        AssertPeer([-0.3775406688, 0.2689414214, -0.3576087661, -0.8807970780, -0.09485174636, 0.5], Values(g.Logits));
    }

    public static TheoryData<int[]> ClassWeightShapes() => new() { new[] { 3 }, new[] { 1, 3 }, new[] { 1, 1, 3 } };

    [Theory]
    [MemberData(nameof(ClassWeightShapes))]
    public void B8_C_1xC_and_expanded_BxC_weights_give_identical_loss(int[] weightShape)
    {
        var random = new Random(8);
        int[] shape = [5, 3];
        var x = Make<double>(Random(random, 15, -6, 6), shape);
        var z = Make<double>(Random(random, 15, 0, 1), shape);
        double[] q = [0.5, 2, 7];
        var expanded = Nn.WeightedCrossEntropyWithLogits<double>(z, x, Make<double>(Expand(q, [3], shape), shape));
        var broadcast = Nn.WeightedCrossEntropyWithLogits<double>(z, x, Make<double>(q, weightShape));
        Assert.Equal(Values(expanded), Values(broadcast));
        Close64(Values(broadcast), Enumerable.Range(0, 15).Select(i =>
            Loss(Values(x)[i], Values(z)[i], q[i % 3])).ToArray());
    }

    [Fact]
    public void B8_ones_of_shape_BxC_equal_no_pos_weight()
    {
        var random = new Random(81);
        int[] shape = [4, 3];
        var x = Make<double>(Random(random, 12, -8, 8), shape);
        var z = Make<double>(Random(random, 12, 0, 1), shape);
        var ones = Nn.WeightedCrossEntropyWithLogits<double>(z, x, Make<double>(Enumerable.Repeat(1.0, 12).ToArray(), shape));
        var unweighted = Nn.SigmoidCrossEntropyWithLogits<double>(z, x);
        var scalar = Nn.WeightedCrossEntropyWithLogits<double>(z, x, 1.0);
        Assert.Equal(Values(unweighted), Values(ones));
        Assert.Equal(Values(unweighted), Values(scalar));
        Close64(Values(unweighted), Enumerable.Range(0, 12).Select(i => Loss(Values(x)[i], Values(z)[i], 1)).ToArray());
    }

    /// <summary>B9: per-class weights for [B, C, H, W] are [C, 1, 1], at three spatial sizes (the weights are expanded
    /// over one sample; BroadcastRunsTests takes the samples too large for that).</summary>
    [Theory]
    [InlineData(2, 3, 2, 3)]
    [InlineData(2, 3, 16, 16)]
    [InlineData(3, 4, 1, 1)]
    public void B9_C_1_1_weights_apply_to_axis_1_of_BxCxHxW(int b, int c, int h, int w)
    {
        var random = new Random(9 + h);
        int[] shape = [b, c, h, w];
        int n = Count(shape);
        var xs = Random(random, n, -10, 10);
        var zs = Random(random, n, 0, 1);
        var q = Enumerable.Range(0, c).Select(k => 0.5 + k).ToArray();
        var loss = Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(zs, shape), Make<double>(xs, shape), Make<double>(q, [c, 1, 1]));
        // Element (i, k, y, v) of a row-major [b, c, h, w] has k = (flat / (h·w)) mod c: written out here.
        var expected = Enumerable.Range(0, n).Select(i => Loss(xs[i], zs[i], q[i / (h * w) % c])).ToArray();
        Close64(Values(loss), expected);
    }

    [Fact]
    public void B9_a_C_weight_against_BxCxHxW_is_rejected_unless_W_equals_C_and_says_how()
    {
        var x = Tensor.CreateFromShape<double>([2, 3, 4, 5], false);
        var error = Assert.Throws<ArgumentException>(() =>
            Nn.WeightedCrossEntropyWithLogits<double>(x, x, new double[] { 1, 2, 3 }));
        Assert.Equal("posWeight", error.ParamName);
        Assert.Contains("(3,)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(2, 3, 4, 5)", error.Message, StringComparison.Ordinal);
        Assert.Contains("last axis", error.Message, StringComparison.Ordinal);
        Assert.Contains("[C, 1, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("axis 1 (length 3)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(3, 1, 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void B9_policy_a_C_weight_against_BxCxHxW_with_W_equal_to_C_weights_W()
    {
        // The stated policy: right-aligned, as TF and PyTorch; a [C] weight goes along the last axis even when
        // axis 1 also has length C (pytorch#27936).
        var random = new Random(99);
        int[] shape = [2, 3, 2, 3];
        int n = Count(shape);
        var xs = Random(random, n, -5, 5);
        var zs = Random(random, n, 0, 1);
        double[] q = [1, 4, 9];
        var loss = Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(zs, shape), Make<double>(xs, shape), Make<double>(q, [3]));
        Close64(Values(loss), Enumerable.Range(0, n).Select(i => Loss(xs[i], zs[i], q[i % 3])).ToArray());
    }

    /// <summary>Every broadcast pattern, against the index-by-index reference, in float64 and float32.</summary>
    public static TheoryData<int[], int[]> Patterns() => new()
    {
        { new[] { 6, 4 }, new[] { 1 } },             // scalar tensor
        { new[] { 6, 4 }, new[] { 1, 1, 1 } },       // scalar with extra leading 1-axes
        { new[] { 6, 4 }, new[] { 4 } },             // [C] cycling
        { new[] { 6, 4 }, new[] { 6, 4 } },          // same shape
        { new[] { 6, 4 }, new[] { 6, 1 } },          // [N, 1]: constant short runs, expanded
        { new[] { 3, 300 }, new[] { 3, 1 } },        // [N, 1]: constant long runs
        { new[] { 2000, 3 }, new[] { 2000, 1 } },    // [N, 1]: constant short runs, long period, blocks
        { new[] { 40, 30, 4 }, new[] { 40, 1, 4 } }, // [N, 1, W]: dense short runs, long period, blocks
        { new[] { 2, 3, 5 }, new[] { 2, 1, 5 } },    // [N, 1, W]: dense short runs
        { new[] { 2, 3, 260 }, new[] { 2, 1, 260 } }, // [N, 1, W]: dense long runs
        { new[] { 2, 3, 4, 5 }, new[] { 4, 5 } },    // [H, W] cycling
        { new[] { 2, 3, 4, 5 }, new[] { 3, 1, 5 } }, // mixed
        { new[] { 2, 3, 4, 5 }, new[] { 1, 3, 4, 1 } },
        { new[] { 2, 1, 4 }, new[] { 2, 1, 1 } },
        { new[] { 7 }, new[] { 7 } },
        { new[] { 300, 7 }, new[] { 300, 7 } },
        { new[] { 2, 3, 4 }, new[] { 1, 1, 2, 3, 1 } }, // leading 1-axes beyond the logits' rank
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Every_pattern_matches_the_reference_float64(int[] shape, int[] weightShape)
    {
        var random = new Random(shape.Sum() + weightShape.Length);
        int n = Count(shape);
        var xs = Random(random, n, -12, 12);
        var zs = Random(random, n, 0, 1);
        var q = Random(random, Count(weightShape), 0.1, 20);
        var loss = Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(zs, shape), Make<double>(xs, shape), Make<double>(q, weightShape));
        Assert.Equal(shape, loss.Lengths.ToArray().Select(l => (int)l));
        var qe = Expand(q, weightShape, shape);
        Close64(Values(loss), Enumerable.Range(0, n).Select(i => Loss(xs[i], zs[i], qe[i])).ToArray());
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Every_pattern_matches_the_reference_float32(int[] shape, int[] weightShape)
    {
        var random = new Random(shape.Sum() * 3);
        int n = Count(shape);
        var xs = Round32(Random(random, n, -12, 12));
        var zs = Round32(Random(random, n, 0, 1));
        var q = Round32(Random(random, Count(weightShape), 0.1, 20));
        var loss = Nn.WeightedCrossEntropyWithLogits<float>(Make<float>(zs, shape), Make<float>(xs, shape), Make<float>(q, weightShape));
        var qe = Expand(q, weightShape, shape);
        Close32(Values(loss), Enumerable.Range(0, n).Select(i => Loss(xs[i], zs[i], qe[i])).ToArray());
    }

    [Fact]
    public void Half_tensors_are_computed_in_double_and_rounded_once()
    {
        double[] xs = [-3, -0.5, 0, 2.5];
        double[] zs = [1, 0, 0.5, 1];
        var loss = Nn.WeightedCrossEntropyWithLogits<Half>(Make<Half>(zs, [2, 2]), Make<Half>(xs, [2, 2]), Make<Half>([2, 0.25], [2]));
        double[] q = [2, 0.25, 2, 0.25];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal((Half)Loss(xs[i], zs[i], q[i]), loss[[(nint)(i / 2), i % 2]]);
        }
    }

    [Fact]
    public void Scalar_value_overload_equals_a_one_element_tensor()
    {
        var random = new Random(5);
        var x = Make<double>(Random(random, 24, -4, 4), [2, 3, 4]);
        var z = Make<double>(Random(random, 24, 0, 1), [2, 3, 4]);
        Assert.Equal(
            Values(Nn.WeightedCrossEntropyWithLogits<double>(z, x, new double[] { 2.5 })),
            Values(Nn.WeightedCrossEntropyWithLogits<double>(z, x, 2.5)));
        Close64(Values(Nn.WeightedCrossEntropyWithLogits<double>(z, x, 2.5)),
            Enumerable.Range(0, 24).Select(i => Loss(Values(x)[i], Values(z)[i], 2.5)).ToArray());
    }

    [Fact]
    public void Special_values_follow_the_span_rules()
    {
        // peer-cases E17–E19 and F20–F21 through the tensor API, q = 2 except where stated.
        double inf = double.PositiveInfinity;
        double[] xs = [inf, inf, -inf, -inf, double.NaN, 2, 2];
        double[] zs = [0, 1, 0, 1, 0.5, 1, 1];
        double[] q = [2, 2, 2, 2, 2, 0, -1];
        var loss = Values(Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(zs, [7]), Make<double>(xs, [7]), Make<double>(q, [7])));
        Assert.Equal(inf, loss[0]);
        Assert.Equal(0, loss[1]);
        Assert.Equal(0, loss[2]);
        Assert.Equal(inf, loss[3]);
        Assert.True(double.IsNaN(loss[4]));
        Assert.Equal(0, loss[5]);
        AssertPeer([-0.1269280110], [loss[6]]);
    }

    [Fact]
    public void Empty_logits_give_an_empty_result_of_their_shape()
    {
        var x = Tensor.CreateFromShape<double>([0, 3], false);
        var loss = Nn.WeightedCrossEntropyWithLogits<double>(x, x, new double[] { 1, 2, 3 });
        Assert.Equal([0, 3], loss.Lengths.ToArray().Select(l => (int)l));
        Assert.Equal(0, Nn.WeightedCrossEntropyWithLogits<double>(x, x, 2.0, Reduction.Sum));
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogits<double>(x, x, 2.0, Reduction.Mean)));
    }

    [Fact]
    public void Dense_inputs_with_scalar_or_class_weights_are_not_copied()
    {
        // The only allocation of the fast paths is the result: n·8 bytes plus a tensor header. A copy of labels or
        // logits would add another n·8; half of that is left as slack for what the runtime itself may allocate on
        // this thread (tiering, stubs).
        const int n = 1 << 16;
        var random = new Random(3);
        var x = Make<double>(Random(random, n, -5, 5), [n / 64, 64]);
        var z = Make<double>(Random(random, n, 0, 1), [n / 64, 64]);
        var q = Make<double>(Random(random, 64, 0.5, 4), [64]);
        var perChannel = Make<double>(Random(random, 4, 0.5, 4), [4, 1, 1]);
        var x4 = Make<double>(Random(random, n, -5, 5), [4, 4, 64, 64]);
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            _ = Nn.WeightedCrossEntropyWithLogits<double>(z, x, q);
            _ = Nn.WeightedCrossEntropyWithLogits<double>(z, x, 2.0);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            _ = Nn.WeightedCrossEntropyWithLogits<double>(x4, x4, perChannel);
            long allocatedRuns = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 2)
            {
                Assert.InRange(allocated, 2 * n * 8, (2 * n * 8) + (n * 8 / 2));
                Assert.InRange(allocatedRuns, n * 8, (n * 8) + (n * 8 / 2));
            }
        }
    }
}
