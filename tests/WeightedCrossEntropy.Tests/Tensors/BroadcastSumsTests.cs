using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Tensors;
using WeightedCrossEntropy.Tests.Loops;
using WeightedCrossEntropy.Tests.Properties;
using Xunit;
using static WeightedCrossEntropy.Tests.Tensors.TensorReference;

namespace WeightedCrossEntropy.Tests.Tensors;

/// <summary>
/// <see cref="BroadcastSums"/>, the reduction of a per-element ∂/∂pos_weight to pos_weight's shape, against exact sums
/// (Shewchuk's partials, <see cref="Inputs.ExactSum"/>) over every broadcast layout it splits the work by, with
/// values whose plain sum loses many digits, on one thread and on every core.
/// </summary>
[Collection(nameof(ParallelismSetting))]
public sealed class BroadcastSumsTests
{
    /// <summary>The layout each pattern takes, in a comment. n ≥ <see cref="ParallelChunks.ParallelThreshold"/> (131,072)
    /// runs on every core.</summary>
    public static TheoryData<int[], int[]> Patterns() => new()
    {
        { new[] { 3001, 8 }, new[] { 8 } },                 // 8 rows at a time, two blocks, one row left over
        { new[] { 20_000, 8 }, new[] { 8 } },               // the same on every core, ten blocks
        { new[] { 500, 300 }, new[] { 300 } },              // rows of 300, ten blocks, threads
        { new[] { 30, 80, 80 }, new[] { 80, 80 } },         // rows of 6,400: chunks of columns, threads
        { new[] { 12, 6, 50, 50 }, new[] { 6, 1, 1 } },     // [C, 1, 1]: rows of 15,000, runs of 2,500
        { new[] { 40_000, 3 }, new[] { 40_000, 1 } },       // one row of 120,000, runs of 3, one thread
        { new[] { 50_000, 3 }, new[] { 50_000, 1 } },       // one row of 150,000: slabs of the first axis, threads
        { new[] { 300, 2, 250 }, new[] { 300, 1, 250 } },   // slabs again, two runs of 1 per weight in each
        { new[] { 2, 3, 5000, 7 }, new[] { 3, 5000, 1 } },  // runs of 7 under an odometer of two axes
        { new[] { 91 }, new[] { 1 } },                      // one weight: 64 rows at a time, 27 left over
        { new[] { 3, 5 }, new[] { 3, 1 } },                 // fewer rows than are summed together
        { new[] { 2, 1100, 1000 }, new[] { 1100, 1 } },     // rows of 1,100,000 (above the column limit): by runs
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Sums_match_exact_sums_float64(int[] shape, int[] weightShape)
    {
        var random = new Random(Count(shape));
        var values = IllConditioned(random, Count(shape));
        var upstream = Random(random, Count(shape), -3, 3);
        foreach (var g in new[] { Array.Empty<double>(), upstream })
        {
            var sums = Run<double>(values, g, shape, weightShape);
            var products = g.Length == 0 ? values : values.Select((v, i) => v * g[i]).ToArray();
            AssertCompensated(sums, products, shape, weightShape);
        }
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Sums_match_exact_sums_float32_and_half(int[] shape, int[] weightShape)
    {
        var random = new Random(Count(shape) + 1);
        var values = Round32(IllConditioned(random, Count(shape)));
        var upstream = Round32(Random(random, Count(shape), -3, 3));

        // float·float is exact in double, so these are the exact terms.
        AssertCompensated(
            Run<float>(values, upstream, shape, weightShape), values.Select((v, i) => v * upstream[i]).ToArray(),
            shape, weightShape);

        // Half: terms within its range (2^±10, and ±2^5·k up to 32,000).
        var halves = IllConditioned(random, Count(shape), 10, 5).Select(v => (double)(Half)v).ToArray();
        AssertCompensated(Run<Half>(halves, [], shape, weightShape), halves, shape, weightShape);
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void One_thread_and_every_core_give_the_same_bits(int[] shape, int[] weightShape)
    {
        var random = new Random(Count(shape) + 2);
        var values = IllConditioned(random, Count(shape));
        var upstream = Random(random, Count(shape), -3, 3);
        int saved = Nn.MaxDegreeOfParallelism;
        try
        {
            Nn.MaxDegreeOfParallelism = 1;
            var one = Run<double>(values, upstream, shape, weightShape);
            var oneFloat = Run<float>(Round32(values), [], shape, weightShape);
            Nn.MaxDegreeOfParallelism = -1;
            Assert.Equal(one, Run<double>(values, upstream, shape, weightShape));
            Assert.Equal(oneFloat, Run<float>(Round32(values), [], shape, weightShape));
        }
        finally
        {
            Nn.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void NaN_and_infinities_reach_their_own_sums_only()
    {
        int[] shape = [20_000, 8];
        var values = Random(new Random(5), Count(shape), 0, 1);
        values[(123 * 8) + 3] = double.NaN;
        values[(7 * 8) + 5] = double.PositiveInfinity;
        values[(9_000 * 8) + 6] = double.PositiveInfinity;
        values[(19_999 * 8) + 6] = double.NegativeInfinity;
        var sums = Run<double>(values, [], shape, [8]);
        Assert.True(double.IsNaN(sums[3]));
        Assert.Equal(double.PositiveInfinity, sums[5]);
        Assert.True(double.IsNaN(sums[6]));
        foreach (int w in new[] { 0, 1, 2, 4, 7 })
        {
            Assert.True(double.IsFinite(sums[w]) && sums[w] > 0, $"weight {w}: {sums[w]}");
        }
    }

    /// <summary>Terms spanning 2^±<paramref name="spread"/>, one in 50 replaced by ±2^<paramref name="big"/>·k
    /// (k ≤ 1000), which cancel in part: a plain sum in double loses most digits of the small terms.</summary>
    private static double[] IllConditioned(Random random, int n, int spread = 30, int big = 52)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = ((random.NextDouble() * 2) - 1) * System.Math.Pow(2, random.Next(-spread, spread));
            if (random.Next(50) == 0)
            {
                values[i] = (random.Next(2) == 0 ? 1 : -1) * System.Math.Pow(2, big) * (1 + random.Next(1000));
            }
        }

        return values;
    }

    private static double[] Run<T>(double[] values, double[] upstream, int[] shape, int[] weightShape)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var v = values.Select(T.CreateTruncating).ToArray();
        var g = upstream.Select(T.CreateTruncating).ToArray();
        var sums = new double[Count(weightShape)];
        BroadcastSums.Run<T>(v, g, Lengths(shape), Strides(shape, weightShape), sums);
        return sums;
    }

    /// <summary>pos_weight's row-major step per logits axis, right-aligned; 0 where its length is 1 or it has no
    /// such axis.</summary>
    private static nint[] Strides(int[] shape, int[] weightShape)
    {
        var strides = new nint[shape.Length];
        int step = 1;
        for (int k = weightShape.Length - 1; k >= 0; k--)
        {
            strides[shape.Length - weightShape.Length + k] = weightShape[k] == 1 ? 0 : step;
            step *= weightShape[k];
        }

        return strides;
    }

    /// <summary>Each sum within the bound of a compensated sum, 2u·|S| + 4n·u²·Σ|x| (u = 2^−53), of the exact sum of
    /// its terms: the terms are grouped by the pos_weight element each element uses.</summary>
    private static void AssertCompensated(double[] sums, double[] terms, int[] shape, int[] weightShape)
    {
        var groups = new List<double>[sums.Length];
        for (int w = 0; w < groups.Length; w++)
        {
            groups[w] = [];
        }

        for (int i = 0; i < terms.Length; i++)
        {
            groups[BroadcastIndex(Unravel(i, shape), weightShape)].Add(terms[i]);
        }

        const double u = 1.0 / (1L << 53);
        for (int w = 0; w < sums.Length; w++)
        {
            double exact = Inputs.ExactSum(groups[w]);
            double magnitude = groups[w].Sum(System.Math.Abs);
            double bound = (2 * u * System.Math.Abs(exact)) + (4 * groups[w].Count * u * u * magnitude);
            Assert.True(
                System.Math.Abs(sums[w] - exact) <= bound,
                $"weight {w} of {sums.Length}: {sums[w]:R}, exact {exact:R}, error {System.Math.Abs(sums[w] - exact):E3}, " +
                $"bound {bound:E3}");
        }
    }
}
