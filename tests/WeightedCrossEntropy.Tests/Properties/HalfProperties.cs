using System.Globalization;
using CsCheck;
using Xunit;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>
/// (g) Half: every result equals the float64 computation on the same (exactly widened) inputs, rounded once to
/// Half: the same bits, for every op and the fused call.
/// </summary>
public sealed class HalfProperties
{
    [Fact]
    public void Half_is_the_double_result_rounded_once()
    {
        Inputs.Wide.Sample(c => Check(c.Labels<Half>(), c.Logits<Half>(), c.PosWeight<Half>()), iter: 300, print: c => c.ToString());
    }

    [Theory]
    [InlineData(600, 3)]
    [InlineData(513, 171)]
    [InlineData(2200, 1100)]
    public void Half_long_inputs_cross_block_boundaries(int n, int classes)
    {
        // Longer than one conversion block (256) and, for 1100, more weights than fit on the stack.
        var random = new Random(n + classes);
        var x = Enumerable.Range(0, n).Select(_ => (Half)((random.NextDouble() - 0.5) * 40)).ToArray();
        var z = Enumerable.Range(0, n).Select(_ => (Half)random.NextDouble()).ToArray();
        var q = Enumerable.Range(0, classes).Select(_ => (Half)(random.NextDouble() * 10)).ToArray();
        foreach (var op in Ops.All)
        {
            Elementwise(op, z, x, q);
        }
    }

    private static void Check(Half[] z, Half[] x, Half[] q)
    {
        foreach (var op in Ops.All)
        {
            Elementwise(op, z, x, q);
        }

        var zd = Inputs.Widen(z);
        var xd = Inputs.Widen(x);
        var qd = Inputs.Widen(q);
        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
        {
            var g = new Half[x.Length];
            Half loss = Nn.WeightedCrossEntropyWithLogitsAndGradient<Half>(z, x, q, g, reduction);
            var gd = new double[x.Length];
            double lossD = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(zd, xd, qd, gd, reduction);
            InPlaceProperties.Same([(Half)lossD], [loss], $"fused {reduction} loss (double {lossD.ToString("R", CultureInfo.InvariantCulture)})");
            InPlaceProperties.Same(Array.ConvertAll(gd, v => (Half)v), g, $"fused {reduction} gradient");
        }
    }

    private static void Elementwise(Op op, Half[] z, Half[] x, Half[] q)
    {
        var half = Ops.Public(op, z, x, q);
        var wide = Ops.Public(op, Inputs.Widen(z), Inputs.Widen(x), Inputs.Widen(q));
        InPlaceProperties.Same(Array.ConvertAll(wide, v => (Half)v), half, op.ToString());
    }
}
