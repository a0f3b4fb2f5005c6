using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Tests.Properties;
using Xunit;

namespace WeightedCrossEntropy.Tests.Loops;

/// <summary>
/// Half calls large enough to split into chunks on every core (<see cref="ParallelChunks.ParallelThreshold"/>) and into
/// conversion blocks within each chunk: every result is the float64 result on the widened inputs rounded once to Half,
/// bit for bit, and one thread gives the same bits as every core.
/// </summary>
[Collection(nameof(ParallelismSetting))]
public sealed class HalfPathTests
{
    private const int N = 200_004; // 28,572 rows of 7

    [Fact]
    public void Every_op_is_the_double_result_rounded_once()
    {
        var (z, x, q) = HalfInputs(seed: 1);
        var zd = Inputs.Widen(z);
        var xd = Inputs.Widen(x);
        var qd = Inputs.Widen(q);
        foreach (var op in Ops.All)
        {
            var half = Ops.Public(op, z, x, q);
            var wide = Ops.Public(op, zd, xd, qd);
            InPlaceProperties.Same(Array.ConvertAll(wide, v => (Half)v), half, op.ToString());
        }

        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
        {
            var g = new Half[N];
            Half loss = Nn.WeightedCrossEntropyWithLogitsAndGradient<Half>(z, x, q, g, reduction);
            var gd = new double[N];
            double lossD = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(zd, xd, qd, gd, reduction);
            Assert.Equal((Half)lossD, loss);
            InPlaceProperties.Same(Array.ConvertAll(gd, v => (Half)v), g, $"fused {reduction} gradient");
        }
    }

    [Fact]
    public void One_thread_and_every_core_give_the_same_bits()
    {
        var (z, x, q) = HalfInputs(seed: 2);
        int saved = Nn.MaxDegreeOfParallelism;
        try
        {
            Nn.MaxDegreeOfParallelism = 1;
            var gradient1 = new Half[N];
            Half loss1 = Nn.WeightedCrossEntropyWithLogitsAndGradient<Half>(z, x, q, gradient1, Reduction.Mean);
            var labels1 = Ops.Public(Op.LabelsGradient, z, x, q);
            Nn.MaxDegreeOfParallelism = -1;
            var gradient = new Half[N];
            Half loss = Nn.WeightedCrossEntropyWithLogitsAndGradient<Half>(z, x, q, gradient, Reduction.Mean);
            Assert.Equal(BitConverter.HalfToUInt16Bits(loss1), BitConverter.HalfToUInt16Bits(loss));
            InPlaceProperties.Same(gradient1, gradient, "fused Mean gradient");
            InPlaceProperties.Same(labels1, Ops.Public(Op.LabelsGradient, z, x, q), "labels gradient");
        }
        finally
        {
            Nn.MaxDegreeOfParallelism = saved;
        }
    }

    /// <summary>Mostly hard labels (a soft one in 50), logits in [−12, 12] with a NaN, ±∞ and subnormal Halves
    /// among them, seven weights (a cycle that does not divide the chunks or blocks), one of them negative.</summary>
    private static (Half[] Z, Half[] X, Half[] Q) HalfInputs(int seed)
    {
        var random = new Random(seed);
        var z = new Half[N];
        var x = new Half[N];
        for (int i = 0; i < N; i++)
        {
            z[i] = random.Next(50) == 0 ? (Half)random.NextDouble() : (Half)(random.Next(10) == 0 ? 1 : 0);
            x[i] = (Half)((random.NextDouble() * 24) - 12);
        }

        x[1000] = Half.NaN;
        x[70_001] = Half.PositiveInfinity;
        x[140_002] = Half.NegativeInfinity;
        x[199_999] = Half.Epsilon;
        Half[] q = [(Half)0.5, (Half)2, (Half)7.25, (Half)1, (Half)(-0.5), (Half)30, (Half)3];
        return (z, x, q);
    }
}
