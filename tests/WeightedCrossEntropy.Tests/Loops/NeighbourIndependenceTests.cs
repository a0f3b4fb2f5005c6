using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;
using Xunit;

namespace WeightedCrossEntropy.Tests.Loops;

/// <summary>
/// Each float32 lane picks its kernel (float lanes for hard labels, float lanes with double combinations for soft
/// labels, double lanes for |x| &gt; 80, NaN, ±∞ or negative weights) from its own inputs, and each float64 lane too
/// (the hard-label kernel, or the general one for soft labels, |x| &gt; 700, NaN, ±∞ or negative weights): an element
/// computed inside a mixed step must give the same bits as the element computed alone.
/// </summary>
public sealed class NeighbourIndependenceTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var op in new[] { "Loss", "Dx", "Fused" })
        {
            foreach (var bits in new[] { 0, 128, 256, 512 })
            {
                data.Add(op, bits);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_element_in_a_mixed_step_has_the_bits_it_has_alone(string op, int bits)
    {
        var width = Width(bits);
        const int n = 1000;
        var rng = new Random(bits + op.Length);
        var x = new float[n];
        var z = new float[n];
        var q = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (rng.Next(10)) switch
            {
                0 => 200f * (float)(rng.NextDouble() - 0.5),
                1 => rng.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity },
                _ => 20f * (float)(rng.NextDouble() - 0.5),
            };
            z[i] = rng.Next(4) == 0 ? (float)rng.NextDouble() : rng.Next(2);
            q[i] = rng.Next(8) == 0 ? -1.5f : (float)(rng.NextDouble() * 10);
        }

        Check(op, width, z, x, q);

        // float64: the same mix, with logits out to ±1000 where the float32 ones reach ±100.
        var x64 = x.Select(v => float.IsFinite(v) && System.Math.Abs(v) > 10 ? 10.0 * v : v).ToArray();
        Check(op, width, z.Select(v => (double)v).ToArray(), x64, q.Select(v => (double)v).ToArray());
    }

    /// <summary>
    /// A weight cycle longer than the tiled one (C = 300 &gt; <see cref="PosWeightCycle{TE}.MaxTiled"/>, not a multiple
    /// of any step): a step that wraps past the end gathers its weights and leaves the covered loop, which then picks
    /// up again. Hard labels throughout, so nearly every step is covered; every element must still have its own bits.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Steps_that_wrap_a_long_weight_cycle_keep_each_element_its_bits(string op, int bits)
    {
        var width = Width(bits);
        const int c = 300;
        const int n = 10 * c;
        var rng = new Random(7 * bits + op.Length);
        var weights = new float[c];
        for (int k = 0; k < c; k++)
        {
            weights[k] = (float)(rng.NextDouble() * 10);
        }

        var x = new float[n];
        var z = new float[n];
        var q = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = 20f * (float)(rng.NextDouble() - 0.5);
            z[i] = rng.Next(10) == 0 ? 1f : 0f;
            q[i] = weights[i % c];
        }

        CheckCycle(op, width, z, x, weights, q);
        CheckCycle(
            op, width, z.Select(v => (double)v).ToArray(), x.Select(v => (double)v).ToArray(),
            weights.Select(v => (double)v).ToArray(), q.Select(v => (double)v).ToArray());
    }

    /// <summary>The call with <paramref name="weights"/> (one per element, or C as a cycle) against each element alone
    /// with its own weight <paramref name="q"/>[i].</summary>
    private static void CheckCycle<T>(string op, LaneWidth width, T[] z, T[] x, T[] weights, T[] q)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var together = new T[x.Length];
        Run(op, z, x, weights, together, width);
        var alone = new T[1];
        for (int i = 0; i < x.Length; i++)
        {
            Run<T>(op, z.AsSpan(i, 1), x.AsSpan(i, 1), q.AsSpan(i, 1), alone, width);
            Assert.True(
                BitConverter.DoubleToInt64Bits(double.CreateTruncating(together[i])) ==
                BitConverter.DoubleToInt64Bits(double.CreateTruncating(alone[0])),
                $"{typeof(T).Name} element {i} (x={x[i]}, z={z[i]}, q={q[i]}): {together[i]} in its step, {alone[0]} alone");
        }
    }

    private static void Check<T>(string op, LaneWidth width, T[] z, T[] x, T[] q)
        where T : System.Numerics.IFloatingPointIeee754<T> =>
        CheckCycle(op, width, z, x, q, q);

    private static LaneWidth Width(int bits) => bits switch
    {
        128 => LaneWidth.Vector128,
        256 => LaneWidth.Vector256,
        512 => LaneWidth.Vector512,
        _ => LaneWidth.Best,
    };

    private static void Run<T>(string op, ReadOnlySpan<T> z, ReadOnlySpan<T> x, ReadOnlySpan<T> q, Span<T> d, LaneWidth width)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        _ = op switch
        {
            "Loss" => Dispatch.Apply<LossOperator, T>(z, x, q, 0, d, Scale.One, width),
            "Dx" => Dispatch.Apply<LogitsGradientOperator, T>(z, x, q, 0, d, Scale.One, width),
            _ => Dispatch.Apply<LossAndLogitsGradientOperator, T>(z, x, q, 0, d, Scale.One, width),
        };
    }
}
