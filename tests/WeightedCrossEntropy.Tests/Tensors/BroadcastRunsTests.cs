using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Tensors;
using WeightedCrossEntropy.Tests.Loops;
using Xunit;
using static WeightedCrossEntropy.Tests.Tensors.TensorReference;

namespace WeightedCrossEntropy.Tests.Tensors;

/// <summary>
/// Broadcast patterns with a period longer than <see cref="TensorLoss.PeriodLimit"/> (<see cref="BroadcastRuns"/>:
/// runs in place or expanded a segment at a time, on one thread or on every core) and the expanded-period path
/// around its limit, against <see cref="TensorReference"/> element by element.
/// </summary>
[Collection(nameof(ParallelismSetting))]
public sealed class BroadcastRunsTests
{
    /// <summary>Each shape's period (pos_weight's axes from its first non-broadcast one) in a comment; above the
    /// limit unless said otherwise. n ≥ <see cref="ParallelChunks.ParallelThreshold"/> splits the segments over threads.
    /// </summary>
    public static TheoryData<int[], int[]> Patterns() => new()
    {
        { new[] { 130, 300 }, new[] { 130, 1 } },              // 39,000: one weight per run of 300, in place
        { new[] { 11_000, 3 }, new[] { 11_000, 1 } },          // 33,000: one weight per run of 3, expanded
        { new[] { 500, 2, 40 }, new[] { 500, 1, 40 } },        // 40,000: 40 weights per run of 40, expanded
        { new[] { 70, 2, 300 }, new[] { 70, 1, 300 } },        // 42,000: 300 weights per run of 300, in place
        { new[] { 2, 3, 5000, 7 }, new[] { 3, 5000, 1 } },     // 105,000: runs of 7 under two outer axes
        { new[] { 3, 40, 40, 40 }, new[] { 40, 1, 1 } },       // [C, 1, 1], 64,000, n = 192,000: threads, in place
        { new[] { 50_000, 3 }, new[] { 50_000, 1 } },          // 150,000, n = 150,000: threads, expanded
        { new[] { 1, 3, 200, 300 }, new[] { 3, 200, 1 } },     // 180,000: threads, runs of 300
        { new[] { 5, 7, 11, 13 }, new[] { 7, 1, 1 } },         // 1,001 (expanded period, not a multiple of 64)
        { new[] { 2, 8, 64, 64 }, new[] { 8, 1, 1 } },         // 32,768 = the limit: expanded
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Long_period_patterns_match_the_reference_float64(int[] shape, int[] weightShape)
    {
        var (xs, zs, q) = Inputs(shape, weightShape);
        var loss = Nn.WeightedCrossEntropyWithLogits<double>(
            Make<double>(zs, shape), Make<double>(xs, shape), Make<double>(q, weightShape));
        var qe = Expand(q, weightShape, shape);
        Close64(Values(loss), Enumerable.Range(0, xs.Length).Select(i => Loss(xs[i], zs[i], qe[i])).ToArray());
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Long_period_patterns_match_the_reference_float32(int[] shape, int[] weightShape)
    {
        var (xs, zs, q) = Inputs(shape, weightShape);
        xs = Round32(xs);
        zs = Round32(zs);
        q = Round32(q);
        var loss = Nn.WeightedCrossEntropyWithLogits<float>(
            Make<float>(zs, shape), Make<float>(xs, shape), Make<float>(q, weightShape));
        var qe = Expand(q, weightShape, shape);
        Close32(Values(loss), Enumerable.Range(0, xs.Length).Select(i => Loss(xs[i], zs[i], qe[i])).ToArray());
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Half_takes_the_same_runs_on_one_thread_and_on_every_core(int[] shape, int[] weightShape)
    {
        var (xs, zs, q) = Inputs(shape, weightShape);
        var (z, x, w) = (Make<Half>(zs, shape), Make<Half>(xs, shape), Make<Half>(q, weightShape));
        int saved = Nn.MaxDegreeOfParallelism;
        System.Numerics.Tensors.Tensor<Half> loss, one;
        try
        {
            Nn.MaxDegreeOfParallelism = 1;
            one = Nn.WeightedCrossEntropyWithLogits<Half>(z, x, w);
            Nn.MaxDegreeOfParallelism = -1;
            loss = Nn.WeightedCrossEntropyWithLogits<Half>(z, x, w);
        }
        finally
        {
            Nn.MaxDegreeOfParallelism = saved;
        }

        Assert.Equal(Values(one), Values(loss));
        var xh = xs.Select(v => (double)(Half)v).ToArray();
        var zh = zs.Select(v => (double)(Half)v).ToArray();
        var qe = Expand(q.Select(v => (double)(Half)v).ToArray(), weightShape, shape);
        var actual = Values(loss);
        for (int i = 0; i < actual.Length; i += 97)
        {
            Assert.Equal((double)(Half)Loss(xh[i], zh[i], qe[i]), actual[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void The_result_is_the_same_on_one_thread_and_on_every_core(int[] shape, int[] weightShape)
    {
        var (xs, zs, q) = Inputs(shape, weightShape);
        var z = Make<float>(zs, shape);
        var x = Make<float>(xs, shape);
        var w = Make<float>(q, weightShape);
        int saved = Nn.MaxDegreeOfParallelism;
        try
        {
            Nn.MaxDegreeOfParallelism = 1;
            var one = Values(Nn.WeightedCrossEntropyWithLogits<float>(z, x, w));
            var oneGradient = Nn.WeightedCrossEntropyWithLogitsGradients<float>(z, x, w, Reduction.Mean);
            Nn.MaxDegreeOfParallelism = -1;
            var all = Values(Nn.WeightedCrossEntropyWithLogits<float>(z, x, w));
            var allGradient = Nn.WeightedCrossEntropyWithLogitsGradients<float>(z, x, w, Reduction.Mean);
            Assert.Equal(one, all);
            Assert.Equal(Values(oneGradient.Logits), Values(allGradient.Logits));
            Assert.Equal(Values(oneGradient.Labels), Values(allGradient.Labels));
            Assert.Equal(Values(oneGradient.PosWeight), Values(allGradient.PosWeight));
        }
        finally
        {
            Nn.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Gradients_of_a_long_period_pattern_match_the_reference()
    {
        int[] shape = [3, 40, 40, 40];
        int[] weightShape = [40, 1, 1];
        var (xs, zs, q) = Inputs(shape, weightShape);
        var gradients = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Make<double>(zs, shape), Make<double>(xs, shape), Make<double>(q, weightShape), Reduction.Sum);
        var qe = Expand(q, weightShape, shape);
        int n = xs.Length;
        Close64(Values(gradients.Logits), Enumerable.Range(0, n).Select(i => Dx(xs[i], zs[i], qe[i])).ToArray(),
            Enumerable.Range(0, n).Select(i => DxScale(xs[i], zs[i], qe[i])).ToArray(), "∂/∂logits");
        Close64(Values(gradients.Labels), Enumerable.Range(0, n).Select(i => Dz(xs[i], qe[i])).ToArray(),
            Enumerable.Range(0, n).Select(i => DzScale(xs[i], qe[i])).ToArray(), "∂/∂labels");

        // ∂/∂pos_weight: each channel's sum of z·sp(−x), in double, over its 3·40·40 elements.
        var expected = new double[40];
        for (int i = 0; i < n; i++)
        {
            expected[i / 1600 % 40] += Dq(xs[i], zs[i]);
        }

        var actual = Values(gradients.PosWeight);
        for (int c = 0; c < 40; c++)
        {
            Assert.True(System.Math.Abs(actual[c] - expected[c]) <= 1e-12 * expected[c], $"channel {c}");
        }
    }

    private static (double[] Logits, double[] Labels, double[] Weights) Inputs(int[] shape, int[] weightShape)
    {
        var random = new Random(shape.Sum() + (7 * weightShape.Sum()));
        int n = Count(shape);
        return (Random(random, n, -12, 12), MostlyHardLabels(random, n), Random(random, Count(weightShape), 0.1, 20));
    }
}
