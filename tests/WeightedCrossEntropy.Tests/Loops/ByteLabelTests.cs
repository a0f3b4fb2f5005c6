using Xunit;

namespace WeightedCrossEntropy.Tests.Loops;

/// <summary>Hard labels as bytes give the very bits that the same labels as float or double give.</summary>
public sealed class ByteLabelTests
{
    public static TheoryData<int, int> Sizes() => new()
    {
        { 0, 1 }, { 1, 1 }, { 37, 1 }, { 4096, 8 }, { 20_006, 7 }, { 300_000, 3 }, { (1 << 17) + 24, 8 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Byte_labels_match_float_labels_bit_for_bit(int n, int classes)
    {
        var (bytes, x, q) = Inputs<float>(n, classes, seed: n);
        var z = Array.ConvertAll(bytes, b => (float)b);
        AssertSame(bytes, z, x, q);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Byte_labels_match_double_labels_bit_for_bit(int n, int classes)
    {
        var (bytes, x, q) = Inputs<double>(n, classes, seed: n + 1);
        var z = Array.ConvertAll(bytes, b => (double)b);
        AssertSame(bytes, z, x, q);
    }

    [Theory]
    [InlineData(301, 7)]
    [InlineData(200_004, 7)]
    public void Byte_labels_match_Half_labels_bit_for_bit(int n, int classes)
    {
        var (bytes, x, q) = Inputs<Half>(n, classes, seed: 5);
        var z = Array.ConvertAll(bytes, b => (Half)b);
        AssertSame(bytes, z, x, q);
    }

    [Fact]
    public void A_label_other_than_0_or_1_is_rejected_with_its_index_and_nothing_is_written()
    {
        var bytes = new byte[] { 0, 1, 1, 2, 0 };
        var x = new float[] { 1, 2, 3, 4, 5 };
        var d = new float[5];
        Array.Fill(d, 42f);
        var error = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<float>(bytes, x, [1f], d));
        Assert.Equal("labels", error.ParamName);
        Assert.Contains("labels[3] is 2", error.Message, StringComparison.Ordinal);
        Assert.All(d, v => Assert.Equal(42f, v));
        Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(bytes, x, [1f], d));
        Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogitsGradient<float>(bytes, x, [1f], d));
    }

    [Fact]
    public void Byte_labels_of_the_wrong_length_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Nn.WeightedCrossEntropyWithLogits<float>(new byte[3], new float[4], [1f], new float[4]));
        Assert.Equal("labels", error.ParamName);
        Assert.Contains("3", error.Message, StringComparison.Ordinal);
        Assert.Contains("4", error.Message, StringComparison.Ordinal);
    }

    private static (byte[] Labels, T[] Logits, T[] PosWeight) Inputs<T>(int n, int classes, int seed)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var bytes = new byte[n];
        var x = new T[n];
        for (int i = 0; i < n; i++)
        {
            bytes[i] = rng.NextDouble() < 0.1 ? (byte)1 : (byte)0;
            // Mostly the float fast path's range, with some logits beyond it and a few non-finite ones.
            double v = i % 97 == 0 ? 150 * ((rng.NextDouble() * 2) - 1) : (rng.NextDouble() * 12) - 6;
            x[i] = T.CreateTruncating(i % 1013 == 5 ? double.PositiveInfinity : v);
        }

        var q = Enumerable.Range(1, classes).Select(c => T.CreateTruncating(c * 0.75)).ToArray();
        return (bytes, x, q);
    }

    private static void AssertSame<T>(byte[] bytes, T[] z, T[] x, T[] q)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        int n = x.Length;
        var expected = new T[n];
        var actual = new T[n];

        Nn.WeightedCrossEntropyWithLogits<T>(z, x, q, expected);
        Nn.WeightedCrossEntropyWithLogits<T>(bytes, x, q, actual);
        Assert.Equal(expected, actual);

        Nn.WeightedCrossEntropyWithLogitsGradient<T>(z, x, q, expected);
        Nn.WeightedCrossEntropyWithLogitsGradient<T>(bytes, x, q, actual);
        Assert.Equal(expected, actual);

        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
        {
            var expectedLoss = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, expected, reduction);
            var actualLoss = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(bytes, x, q, actual, reduction);
            Assert.Equal(expectedLoss, actualLoss);
            Assert.Equal(expected, actual);
        }
    }
}
