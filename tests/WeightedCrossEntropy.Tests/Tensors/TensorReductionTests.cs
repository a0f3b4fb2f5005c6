using WeightedCrossEntropy.Tests.Loops;
using Xunit;
using static WeightedCrossEntropy.Tests.Tensors.TensorReference;

namespace WeightedCrossEntropy.Tests.Tensors;

/// <summary>
/// The tensor forms' Sum and Mean (one pass with a summing operator, whatever the broadcast pattern): against the sum
/// of the reference losses, and the same bits on one thread and on every core.
/// </summary>
[Collection(nameof(ParallelismSetting))]
public sealed class TensorReductionTests
{
    /// <summary>2^−48: float64 losses are each within a few ULP (2^−50) of themselves, all ≥ 0, so their sum is too.
    /// </summary>
    private static readonly double Bound64 = System.Math.ScaleB(1, -48);

    /// <summary>2^−21: float32 losses are each within 2 ULP (2^−22), summed in double, the total rounded once to
    /// float (2^−24 more).</summary>
    private static readonly double Bound32 = System.Math.ScaleB(1, -21);

    /// <summary>One shape per way the weights reach the span loop, small and large (n ≥ 2^17 splits over threads):
    /// a scalar, a cycling [C], an expanded period, runs in place and runs expanded a segment at a time.</summary>
    public static TheoryData<int[], int[]> Patterns() => new()
    {
        { new[] { 6, 4 }, new[] { 1 } },
        { new[] { 40_000, 5 }, new[] { 1 } },
        { new[] { 6, 4 }, new[] { 4 } },
        { new[] { 20_000, 8 }, new[] { 8 } },
        { new[] { 2, 3, 4, 5 }, new[] { 3, 1, 5 } },
        { new[] { 40, 8, 16, 16 }, new[] { 8, 1, 1 } },
        { new[] { 3, 40, 40, 40 }, new[] { 40, 1, 1 } },
        { new[] { 50_000, 3 }, new[] { 50_000, 1 } },
        { new[] { 500, 2, 40 }, new[] { 500, 1, 40 } },
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Sum_and_mean_match_the_reference_float64(int[] shape, int[] weightShape)
    {
        var (xs, zs, q) = Inputs(shape, weightShape);
        var qe = Expand(q, weightShape, shape);
        double expected = ReferenceSum(xs, zs, qe);
        var z = Make<double>(zs, shape);
        var x = Make<double>(xs, shape);
        var w = Make<double>(q, weightShape);
        double sum = Nn.WeightedCrossEntropyWithLogits<double>(z, x, w, Reduction.Sum);
        double mean = Nn.WeightedCrossEntropyWithLogits<double>(z, x, w, Reduction.Mean);

        Assert.True(System.Math.Abs(sum - expected) <= expected * Bound64, $"sum {sum:R}, expected {expected:R}");
        Assert.True(System.Math.Abs(mean - (expected / xs.Length)) <= expected / xs.Length * Bound64,
            $"mean {mean:R}, expected {expected / xs.Length:R}");
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Sum_and_mean_match_the_reference_float32(int[] shape, int[] weightShape)
    {
        var (xs, zs, q) = Inputs(shape, weightShape);
        xs = Round32(xs);
        zs = Round32(zs);
        q = Round32(q);
        var qe = Expand(q, weightShape, shape);
        double expected = ReferenceSum(xs, zs, qe);
        var z = Make<float>(zs, shape);
        var x = Make<float>(xs, shape);
        var w = Make<float>(q, weightShape);
        float sum = Nn.WeightedCrossEntropyWithLogits<float>(z, x, w, Reduction.Sum);
        float mean = Nn.WeightedCrossEntropyWithLogits<float>(z, x, w, Reduction.Mean);

        Assert.True(System.Math.Abs(sum - expected) <= expected * Bound32, $"sum {sum:R}, expected {expected:R}");
        Assert.True(System.Math.Abs(mean - (expected / xs.Length)) <= expected / xs.Length * Bound32,
            $"mean {mean:R}, expected {expected / xs.Length:R}");
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Sum_and_mean_are_the_same_on_one_thread_and_on_every_core(int[] shape, int[] weightShape)
    {
        var (xs, zs, q) = Inputs(shape, weightShape);
        var z = Make<double>(zs, shape);
        var x = Make<double>(xs, shape);
        var w = Make<double>(q, weightShape);
        var z32 = Make<float>(zs, shape);
        var x32 = Make<float>(xs, shape);
        var w32 = Make<float>(q, weightShape);
        int saved = Nn.MaxDegreeOfParallelism;
        try
        {
            Nn.MaxDegreeOfParallelism = 1;
            double sumOne = Nn.WeightedCrossEntropyWithLogits<double>(z, x, w, Reduction.Sum);
            float meanOne = Nn.WeightedCrossEntropyWithLogits<float>(z32, x32, w32, Reduction.Mean);
            Nn.MaxDegreeOfParallelism = -1;
            Assert.Equal(sumOne, Nn.WeightedCrossEntropyWithLogits<double>(z, x, w, Reduction.Sum));
            Assert.Equal(meanOne, Nn.WeightedCrossEntropyWithLogits<float>(z32, x32, w32, Reduction.Mean));
        }
        finally
        {
            Nn.MaxDegreeOfParallelism = saved;
        }
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Gradients_of_the_mean_match_the_reference_float64(int[] shape, int[] weightShape)
    {
        var (xs, zs, q) = Inputs(shape, weightShape);
        var qe = Expand(q, weightShape, shape);
        int n = xs.Length;
        var gradients = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Make<double>(zs, shape), Make<double>(xs, shape), Make<double>(q, weightShape), Reduction.Mean);

        // Every element divided by N, rounded once: the reference's own /N is exact to 2^−53, far inside 1e-13.
        Close64(Values(gradients.Logits), Enumerable.Range(0, n).Select(i => Dx(xs[i], zs[i], qe[i]) / n).ToArray(),
            Enumerable.Range(0, n).Select(i => DxScale(xs[i], zs[i], qe[i]) / n).ToArray(), "∂/∂logits");
        Close64(Values(gradients.Labels), Enumerable.Range(0, n).Select(i => Dz(xs[i], qe[i]) / n).ToArray(),
            Enumerable.Range(0, n).Select(i => DzScale(xs[i], qe[i]) / n).ToArray(), "∂/∂labels");
        var expected = PosWeightSums(xs, zs, qe, q, weightShape, shape);
        var actual = Values(gradients.PosWeight);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.True(System.Math.Abs(actual[j] - (expected[j] / n)) <= 1e-12 * expected[j] / n,
                $"∂/∂pos_weight[{j}]: got {actual[j]:R}, expected {expected[j] / n:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Gradients_of_the_mean_match_the_reference_float32(int[] shape, int[] weightShape)
    {
        var (xs, zs, q) = Inputs(shape, weightShape);
        xs = Round32(xs);
        zs = Round32(zs);
        q = Round32(q);
        var qe = Expand(q, weightShape, shape);
        int n = xs.Length;
        var gradients = Nn.WeightedCrossEntropyWithLogitsGradients<float>(
            Make<float>(zs, shape), Make<float>(xs, shape), Make<float>(q, weightShape), Reduction.Mean);
        var dx = Values(gradients.Logits);
        var dz = Values(gradients.Labels);
        for (int i = 0; i < n; i++)
        {
            // Within 2^−21 of the terms' size over N (2 ULP of the kernel plus the rounding, with room).
            Assert.True(System.Math.Abs(dx[i] - (Dx(xs[i], zs[i], qe[i]) / n)) <= Bound32 * DxScale(xs[i], zs[i], qe[i]) / n,
                $"∂/∂logits[{i}]: got {dx[i]:R}, expected {Dx(xs[i], zs[i], qe[i]) / n:R}");
            Assert.True(System.Math.Abs(dz[i] - (Dz(xs[i], qe[i]) / n)) <= Bound32 * DzScale(xs[i], qe[i]) / n,
                $"∂/∂labels[{i}]: got {dz[i]:R}, expected {Dz(xs[i], qe[i]) / n:R}");
        }

        var expected = PosWeightSums(xs, zs, qe, q, weightShape, shape);
        var actual = Values(gradients.PosWeight);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.True(System.Math.Abs(actual[j] - (expected[j] / n)) <= Bound32 * expected[j] / n,
                $"∂/∂pos_weight[{j}]: got {actual[j]:R}, expected {expected[j] / n:R}");
        }
    }

    [Fact]
    public void Non_finite_losses_reach_the_sum()
    {
        // A NaN logit makes the sum NaN; an infinite logit with label 1 makes it +∞ — in every pattern's path.
        int[] shape = [3, 40, 40, 40];
        int[] weightShape = [40, 1, 1];
        var (xs, zs, q) = Inputs(shape, weightShape);
        xs[12_345] = double.NaN;
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogits<double>(
            Make<double>(zs, shape), Make<double>(xs, shape), Make<double>(q, weightShape), Reduction.Sum)));
        xs[12_345] = double.NegativeInfinity;
        zs[12_345] = 1;
        Assert.Equal(double.PositiveInfinity, Nn.WeightedCrossEntropyWithLogits<double>(
            Make<double>(zs, shape), Make<double>(xs, shape), Make<double>(q, weightShape), Reduction.Sum));
    }

    /// <summary>Σ z·sp(−x) per pos_weight element: each element's weight index found by expanding the indices
    /// 0 … C−1 as weights.</summary>
    private static double[] PosWeightSums(double[] xs, double[] zs, double[] qe, double[] q, int[] weightShape, int[] shape)
    {
        var index = Expand(Enumerable.Range(0, q.Length).Select(j => (double)j).ToArray(), weightShape, shape);
        var sums = new double[q.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            sums[(int)index[i]] += Dq(xs[i], zs[i]);
        }

        return sums;
    }

    private static double ReferenceSum(double[] xs, double[] zs, double[] qe)
    {
        // Neumaier's sum of the reference losses: its own error is negligible against the bounds asserted.
        double sum = 0, compensation = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double v = Loss(xs[i], zs[i], qe[i]);
            double t = sum + v;
            compensation += System.Math.Abs(sum) >= System.Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        return sum + compensation;
    }

    private static (double[] Logits, double[] Labels, double[] Weights) Inputs(int[] shape, int[] weightShape)
    {
        var random = new Random(shape.Sum() + (11 * weightShape.Sum()));
        int n = Count(shape);
        return (Random(random, n, -12, 12), MostlyHardLabels(random, n), Random(random, Count(weightShape), 0.1, 20));
    }
}
