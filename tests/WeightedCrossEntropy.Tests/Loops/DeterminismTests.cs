using Xunit;

namespace WeightedCrossEntropy.Tests.Loops;

/// <summary>
/// Sum and Mean give the same bits whatever the number of threads (fixed chunks, fixed order of combining), and the
/// compensated, pairwise summation keeps the digits of a long sum.
/// </summary>
[Collection(nameof(ParallelismSetting))]
public sealed class DeterminismTests
{
    [Theory]
    [InlineData(1 << 20)]
    [InlineData((1 << 22) + 13)]
    public void Fused_sum_and_mean_give_the_same_bits_on_one_thread_and_on_all(int n)
    {
        var rng = new Random(n);
        var x = new float[n];
        var z = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)((rng.NextDouble() * 12) - 6);
            z[i] = rng.NextDouble() < 0.1 ? 1 : 0;
        }

        float[] q = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
        if (n % q.Length != 0)
        {
            q = [3];
        }

        var gradOne = new float[n];
        var gradAll = new float[n];
        int saved = Nn.MaxDegreeOfParallelism;
        try
        {
            foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
            {
                Nn.MaxDegreeOfParallelism = 1;
                float one = Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(z, x, q, gradOne, reduction);
                Nn.MaxDegreeOfParallelism = -1;
                float all = Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(z, x, q, gradAll, reduction);
                float again = Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(z, x, q, gradAll, reduction);
                Assert.Equal(BitConverter.SingleToInt32Bits(one), BitConverter.SingleToInt32Bits(all));
                Assert.Equal(BitConverter.SingleToInt32Bits(all), BitConverter.SingleToInt32Bits(again));
                Assert.Equal(gradOne, gradAll);
            }
        }
        finally
        {
            Nn.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void A_long_sum_keeps_its_digits()
    {
        // 2^23 + 1 elements of loss sp(0)·… : x = 0, z = 0 gives ln 2 each, so the sum is n·ln 2 exactly; a plain
        // float accumulator would be off by percents, a plain double one by ~1e−12 relative.
        int n = (1 << 23) + 1;
        var x = new double[n];
        var z = new double[n];
        var grad = new double[n];
        double sum = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, [1.0], grad, Reduction.Sum);
        double expected = n * 0.69314718055994530942;
        Assert.True(System.Math.Abs(sum - expected) <= expected * 4e-16,
            $"sum {sum:R}, expected {expected:R}, relative error {System.Math.Abs(sum - expected) / expected:E2}");
    }

    [Fact]
    public void MaxDegreeOfParallelism_rejects_zero_and_values_below_minus_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Nn.MaxDegreeOfParallelism = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => Nn.MaxDegreeOfParallelism = -2);
    }
}

/// <summary>Tests that change <see cref="Nn.MaxDegreeOfParallelism"/> run one at a time.</summary>
[CollectionDefinition(nameof(ParallelismSetting), DisableParallelization = true)]
public sealed class ParallelismSetting;
