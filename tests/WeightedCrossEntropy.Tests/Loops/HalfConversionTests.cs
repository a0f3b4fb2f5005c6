using WeightedCrossEntropy.Loops;
using Xunit;

namespace WeightedCrossEntropy.Tests.Loops;

/// <summary>
/// <see cref="HalfConversion"/> against .NET's scalar conversions, bit for bit: every Half value to double, and to
/// Half the doubles where rounding is hardest (each midpoint between neighbouring Halves and the doubles one step either
/// side of it, subnormals, the overflow threshold, zeros, infinities, NaNs) and random doubles of every magnitude.
/// </summary>
public sealed class HalfConversionTests
{
    [Fact]
    public void Every_half_widens_as_dotnet_does()
    {
        var halves = new Half[1 << 16];
        for (int i = 0; i < halves.Length; i++)
        {
            halves[i] = BitConverter.UInt16BitsToHalf((ushort)i);
        }

        var widened = new double[halves.Length];
        HalfConversion.ToDouble(halves, widened);
        for (int i = 0; i < halves.Length; i++)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits((double)halves[i]) == BitConverter.DoubleToInt64Bits(widened[i]),
                $"Half 0x{i:X4}: {widened[i]:R}, .NET {(double)halves[i]:R}");
        }
    }

    [Fact]
    public void Midpoints_and_their_neighbours_round_as_dotnet_does()
    {
        var values = new List<double>();
        for (int i = 0; i < 0x7C00; i++)
        {
            // The midpoint between Half i and i + 1 (for 0x7BFF: between 65504 and 65536, where ∞ begins), and the
            // doubles on either side of it, both signs.
            double low = (double)BitConverter.UInt16BitsToHalf((ushort)i);
            double high = i == 0x7BFF ? 65536.0 : (double)BitConverter.UInt16BitsToHalf((ushort)(i + 1));
            double middle = (low + high) / 2;
            foreach (double v in new[] { middle, System.Math.BitDecrement(middle), System.Math.BitIncrement(middle), low })
            {
                values.Add(v);
                values.Add(-v);
            }
        }

        values.AddRange([0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, -double.NaN,
            BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001), BitConverter.Int64BitsToDouble(0x7FF4_0000_0000_0000),
            double.MaxValue, double.Epsilon, -double.Epsilon, 1e-300, 3.4e38, 3.5e38, -1e300, 65519.99, 65520.0]);
        AssertSameAsDotnet(values.ToArray());
    }

    [Fact]
    public void Random_doubles_of_every_magnitude_round_as_dotnet_does()
    {
        var random = new Random(42);
        var values = new double[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            // Exponents from 2^−40 to 2^20 (Half's subnormals, normals and overflow), and now and then any bits.
            values[i] = random.Next(10) == 0
                ? BitConverter.Int64BitsToDouble(random.NextInt64())
                : (random.Next(2) == 0 ? -1 : 1) * (1 + random.NextDouble()) * System.Math.Pow(2, random.Next(-40, 20));
        }

        AssertSameAsDotnet(values);
    }

    [Fact]
    public void Lengths_that_are_not_a_multiple_of_the_step_convert_every_element()
    {
        foreach (int n in new[] { 0, 1, 15, 16, 17, 33, 1000 })
        {
            var source = Enumerable.Range(0, n).Select(i => (double)i / 7).ToArray();
            var halves = new Half[n];
            HalfConversion.ToHalf(source, halves);
            Assert.Equal(source.Select(v => (Half)v).ToArray(), halves);
            var back = new double[n];
            HalfConversion.ToDouble(halves, back);
            Assert.Equal(halves.Select(h => (double)h).ToArray(), back);
        }
    }

    private static void AssertSameAsDotnet(double[] values)
    {
        var halves = new Half[values.Length];
        HalfConversion.ToHalf(values, halves);
        for (int i = 0; i < values.Length; i++)
        {
            ushort expected = BitConverter.HalfToUInt16Bits((Half)values[i]);
            ushort actual = BitConverter.HalfToUInt16Bits(halves[i]);
            Assert.True(
                expected == actual,
                $"{values[i]:R} (0x{BitConverter.DoubleToInt64Bits(values[i]):X16}): 0x{actual:X4}, .NET 0x{expected:X4}");
        }
    }
}
