using System.Numerics.Tensors;
using Xunit;
using static WeightedCrossEntropy.Tests.Tensors.TensorReference;

namespace WeightedCrossEntropy.Tests.Tensors;

/// <summary>
/// Gradients of the tensor form with respect to labels, logits and pos_weight: central finite differences in
/// float64 (peer-cases.md H28, max abs error &lt; 1e-7), the pos_weight gradient against a brute-force sum over
/// the broadcast axes, and the listed values of A5, C10, H26 and H27.
/// </summary>
public sealed class TensorGradientTests
{
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

    public static TheoryData<int[], int[]> Patterns() => new()
    {
        { new[] { 4, 3 }, new[] { 3 } },
        { new[] { 4, 3 }, new[] { 1, 3 } },
        { new[] { 4, 3 }, new[] { 4, 1 } },
        { new[] { 4, 3 }, new[] { 4, 3 } },
        { new[] { 4, 3 }, new[] { 1 } },
        { new[] { 2, 3, 2, 2 }, new[] { 3, 1, 1 } },
        { new[] { 2, 3, 2, 2 }, new[] { 1, 3, 1, 2 } },
        { new[] { 2, 2, 300 }, new[] { 2, 1, 1 } },
    };

    /// <summary>J = Σ g·loss, from the library's forward pass.</summary>
    private static double Objective(double[] z, double[] x, double[] q, int[] shape, int[] weightShape, double[] g)
    {
        var loss = Values(Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(z, shape), Make<double>(x, shape), Make<double>(q, weightShape)));
        double sum = 0;
        for (int i = 0; i < loss.Length; i++)
        {
            sum += g[i] * loss[i];
        }

        return sum;
    }

    private static double CentralDifference(double[] values, int i, Func<double> objective)
    {
        const double h = 1e-6;
        double saved = values[i];
        values[i] = saved + h;
        double up = objective();
        values[i] = saved - h;
        double down = objective();
        values[i] = saved;
        return (up - down) / (2 * h);
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void All_three_gradients_match_central_finite_differences(int[] shape, int[] weightShape)
    {
        var random = new Random(Count(shape) + (7 * weightShape.Length));
        int n = Count(shape);
        var x = Random(random, n, -5, 5);
        var z = Random(random, n, 0, 1);
        var q = Random(random, Count(weightShape), 0.2, 3);
        var g = Random(random, n, -1, 1);
        var gradients = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Make<double>(z, shape), Make<double>(x, shape), Make<double>(q, weightShape), Make<double>(g, shape));
        Assert.Equal(weightShape, gradients.PosWeight.Lengths.ToArray().Select(l => (int)l));
        var dz = Values(gradients.Labels);
        var dx = Values(gradients.Logits);
        var dq = Values(gradients.PosWeight);
        double J() => Objective(z, x, q, shape, weightShape, g);

        // Finite differences of a sum of n terms cost n evaluations each; check every element for small shapes and
        // a spread of elements for the big one.
        var elements = n <= 64 ? Enumerable.Range(0, n) : Enumerable.Range(0, 40).Select(k => k * (n / 40));
        foreach (int i in elements)
        {
            Assert.True(System.Math.Abs(dz[i] - CentralDifference(z, i, J)) < 1e-7, $"labels[{i}]");
            Assert.True(System.Math.Abs(dx[i] - CentralDifference(x, i, J)) < 1e-7, $"logits[{i}]");
        }

        for (int j = 0; j < q.Length; j++)
        {
            Assert.True(System.Math.Abs(dq[j] - CentralDifference(q, j, J)) < 1e-7, $"posWeight[{j}]");
        }
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Pos_weight_gradient_is_the_brute_force_sum_over_broadcast_axes(int[] shape, int[] weightShape)
    {
        var random = new Random(Count(shape) * 31);
        int n = Count(shape);
        var x = Random(random, n, -20, 20);
        var z = Random(random, n, 0, 1);
        var q = Random(random, Count(weightShape), 0.2, 30);
        var g = Random(random, n, -3, 3);
        var dq = Values(Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Make<double>(z, shape), Make<double>(x, shape), Make<double>(q, weightShape), Make<double>(g, shape)).PosWeight);

        var expected = new double[q.Length];
        var scale = new double[q.Length];
        for (int i = 0; i < n; i++)
        {
            int j = BroadcastIndex(Unravel(i, shape), weightShape);
            expected[j] += g[i] * Dq(x[i], z[i]);
            scale[j] += System.Math.Abs(g[i] * Dq(x[i], z[i]));
        }

        Close64(dq, expected, scale, "posWeight");
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Labels_and_logits_gradients_match_the_reference_times_upstream(int[] shape, int[] weightShape)
    {
        var random = new Random(Count(shape) * 17);
        int n = Count(shape);
        var x = Random(random, n, -20, 20);
        var z = Random(random, n, 0, 1);
        var q = Random(random, Count(weightShape), 0.2, 30);
        var g = Random(random, n, -3, 3);
        var gradients = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Make<double>(z, shape), Make<double>(x, shape), Make<double>(q, weightShape), Make<double>(g, shape));
        var qe = Expand(q, weightShape, shape);
        var range = Enumerable.Range(0, n).ToArray();
        Close64(Values(gradients.Logits), range.Select(i => g[i] * Dx(x[i], z[i], qe[i])).ToArray(),
            range.Select(i => System.Math.Abs(g[i]) * DxScale(x[i], z[i], qe[i])).ToArray(), "logits");
        Close64(Values(gradients.Labels), range.Select(i => g[i] * Dz(x[i], qe[i])).ToArray(),
            range.Select(i => System.Math.Abs(g[i]) * DzScale(x[i], qe[i])).ToArray(), "labels");
    }

    [Fact]
    public void A5_sum_and_mean_gradients()
    {
        double[] x = [-1, 0, 1, 3];
        double[] z = [1, 1, 0, 1];
        double[] bySum = [-1.462117157, -1, 0.7310585786, -0.09485174636];
        var sum = Nn.WeightedCrossEntropyWithLogitsGradients<double>(Make<double>(z, [4]), Make<double>(x, [4]), 2.0, Reduction.Sum);
        var mean = Nn.WeightedCrossEntropyWithLogitsGradients<double>(Make<double>(z, [4]), Make<double>(x, [4]), 2.0, Reduction.Mean);
        AssertPeer(bySum, Values(sum.Logits));
        // The mean's gradient is the sum's divided by N = 4, a power of two: exactly.
        Assert.Equal(Values(sum.Logits).Select(v => v / 4), Values(mean.Logits));
        AssertPeer([2.626523375, 1.386294361, 1.313261688, 0.09717470315],
            Values(Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(z, [4]), Make<double>(x, [4]), 2.0)));
        AssertPeer([1.355813532], [Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(z, [4]), Make<double>(x, [4]), 2.0, Reduction.Mean)]);
        AssertPeer([5.423254127], [Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(z, [4]), Make<double>(x, [4]), 2.0, Reduction.Sum)]);
        // d/dq of the mean: Σ z·sp(−x) / 4, derived from the loss definition.
        double dqSum = x.Select((xi, i) => Dq(xi, z[i])).Sum();
        Assert.Equal([1], sum.PosWeight.Lengths.ToArray().Select(l => (int)l));
        Assert.Equal(dqSum, Values(sum.PosWeight)[0], 1e-15);
        Assert.Equal(dqSum / 4, Values(mean.PosWeight)[0], 1e-15);
    }

    [Fact]
    public void C10_soft_labels_all_three_gradients_with_ones_upstream()
    {
        double[] x = [0.3, -0.7, 1.2, -2.5];
        double[] z = [0.25, 0.75, 0.9, 0.1];
        var gradients = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Make<double>(z, [2, 2]), Make<double>(x, [2, 2]), Make<double>([2, 0.5], [2]), Make<double>([1, 1, 1, 1], [2, 2]));
        AssertPeer([0.2180531460, -0.1676173576, -0.3398029114, 0.02206527102], Values(gradients.Logits));
        AssertPeer([0.2543552445, 0.1484069756, -0.9367175327, 1.210555133], Values(gradients.Labels));
        // The per-element d/dq values listed, summed over the batch axis by hand.
        var dq = Values(gradients.PosWeight);
        Assert.True(System.Math.Abs(dq[0] - (0.1385888111 + 0.2369542206)) <= Tolerance10(0.1385888111) + Tolerance10(0.2369542206));
        Assert.True(System.Math.Abs(dq[1] - (0.8273895367 + 0.2578889734)) <= Tolerance10(0.8273895367) + Tolerance10(0.2578889734));
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.5)]
    [InlineData(0.0, 3.0, 0.5)]
    [InlineData(1.0, 1.0, -0.5)]
    [InlineData(1.0, 3.0, -1.5)]
    [InlineData(0.5, 3.0, -0.5)]
    public void H26_logits_gradient_at_zero_is_the_true_derivative(double label, double q, double expected)
    {
        var g = Nn.WeightedCrossEntropyWithLogitsGradients<double>(Make<double>([label], [1]), Make<double>([0], [1]), q, Reduction.Sum);
        Assert.Equal(expected, Values(g.Logits)[0]);
    }

    [Fact]
    public void H27_labels_and_pos_weight_gradients_at_zero()
    {
        var g = Nn.WeightedCrossEntropyWithLogitsGradients<double>(Make<double>([0.5], [1]), Make<double>([0], [1]), 3.0, Reduction.Sum);
        AssertPeer([1.386294361], Values(g.Labels));
        AssertPeer([0.3465735903], Values(g.PosWeight));
    }

    [Fact]
    public void Infinite_logits_give_the_limits_of_the_gradients()
    {
        double inf = double.PositiveInfinity;
        var g = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Make<double>([1, 0, 1], [3]), Make<double>([inf, -inf, -inf], [3]), 2.0, Reduction.Sum);
        Assert.Equal([0, 0, -2], Values(g.Logits));
        Assert.Equal([double.NegativeInfinity, inf, inf], Values(g.Labels));
        Assert.Equal(inf, Values(g.PosWeight)[0]);
    }

    [Fact]
    public void Float32_gradients_are_the_float64_ones_rounded()
    {
        var random = new Random(21);
        int[] shape = [3, 4];
        var x = Round32(Random(random, 12, -8, 8));
        var z = Round32(Random(random, 12, 0, 1));
        var q = Round32(Random(random, 4, 0.5, 5));
        var g = Round32(Random(random, 12, -1, 1));
        var gradients = Nn.WeightedCrossEntropyWithLogitsGradients<float>(
            Make<float>(z, shape), Make<float>(x, shape), Make<float>(q, [4]), Make<float>(g, shape));
        var range = Enumerable.Range(0, 12).ToArray();
        // Where the two terms of d/dx cancel, float's error is relative to the terms: compare against them.
        var dx = Values(gradients.Logits);
        foreach (int i in range)
        {
            double expected = g[i] * Dx(x[i], z[i], q[i % 4]);
            Assert.True(System.Math.Abs(dx[i] - expected) <= 1e-6 * System.Math.Abs(g[i]) * DxScale(x[i], z[i], q[i % 4]), $"logits[{i}]");
        }

        var dq = Values(gradients.PosWeight);
        for (int c = 0; c < 4; c++)
        {
            double expected = range.Where(i => i % 4 == c).Sum(i => g[i] * Dq(x[i], z[i]));
            double scale = range.Where(i => i % 4 == c).Sum(i => System.Math.Abs(g[i] * Dq(x[i], z[i])));
            Assert.True(System.Math.Abs(dq[c] - expected) <= 1e-6 * scale, $"posWeight[{c}]");
        }
    }
}
