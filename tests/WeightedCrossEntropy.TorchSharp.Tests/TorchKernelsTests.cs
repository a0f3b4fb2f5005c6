using TorchSharp;
using WeightedCrossEntropy.TorchSharp.Internal;
using Xunit;
using static TorchSharp.torch;
using static WeightedCrossEntropy.TorchSharp.Tests.Support;

namespace WeightedCrossEntropy.TorchSharp.Tests;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// The path for other devices and dtypes (torch operations), run here on the CPU: in float64 against the derivation
/// written in the test, and in float16 and bfloat16 through the public function against the float64 value rounded
/// once.
/// </summary>
public sealed class TorchKernelsTests
{
    [Fact]
    public void Float64_loss_and_gradients_match_the_formula_across_the_range()
    {
        var random = new Random(9);
        int n = 400;
        var xv = Uniform(random, n, -40, 40);
        var zv = Uniform(random, n, 0, 1).Select((v, i) => i % 3 == 0 ? System.Math.Round(v) : v).ToArray();
        var qv = Uniform(random, 4, 0.1, 20);
        using var scope = NewDisposeScope();
        var x = Leaf(xv, [100, 4], ScalarType.Float64);
        var z = Leaf(zv, [100, 4], ScalarType.Float64);
        var q = Leaf(qv, [4], ScalarType.Float64);
        var call = LossCall.Create("test", x, z, null, Reduction.None, q);
        var loss = Values(TorchKernels.Instance.Loss(call));
        var g = TorchKernels.Instance.Gradients(call, null, Reduction.Sum, target: true, input: true, posWeight: true);
        var (dx, dz, dq) = (Values(g.Input!), Values(g.Target!), Values(g.PosWeight!));
        var expectedDq = new double[4];
        for (int i = 0; i < n; i++)
        {
            double xi = xv[i], zi = zv[i], qi = qv[i % 4];
            double expectedLoss = ((1 - zi) * Softplus(xi)) + (qi * zi * Softplus(-xi));
            double expectedDx = ((1 - zi) * Sigmoid(xi)) - (qi * zi * Sigmoid(-xi));
            double expectedDz = (qi * Softplus(-xi)) - Softplus(xi);
            expectedDq[i % 4] += zi * Softplus(-xi);
            // Relative to the larger term: sums and differences of terms each exact to a few ULP.
            Assert.True(System.Math.Abs(loss[i] - expectedLoss) <= 1e-14 * expectedLoss, $"loss {i}: {loss[i]:R} vs {expectedLoss:R}");
            double dxScale = System.Math.Max((1 - zi) * Sigmoid(xi), qi * zi * Sigmoid(-xi));
            Assert.True(System.Math.Abs(dx[i] - expectedDx) <= 1e-14 * dxScale, $"dx {i}: {dx[i]:R} vs {expectedDx:R}");
            double dzScale = System.Math.Max(qi * Softplus(-xi), Softplus(xi));
            Assert.True(System.Math.Abs(dz[i] - expectedDz) <= 1e-14 * dzScale, $"dz {i}: {dz[i]:R} vs {expectedDz:R}");
        }

        Close(expectedDq, dq, 1e-14, "∂/∂pos_weight");
    }

    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void Half_precision_is_the_float64_loss_rounded_once(ScalarType dtype)
    {
        var random = new Random(4);
        int n = 512;
        using var scope = NewDisposeScope();
        // Inputs representable in the dtype: round them there first.
        var x = Leaf(Uniform(random, n, -12, 12), [128, 4], dtype);
        var z = Leaf(Uniform(random, n, 0, 1).Select(v => v < 0.2 ? 1.0 : 0.0).ToArray(), [128, 4], dtype);
        var q = Leaf([0.5, 2, 7, 30], [4], dtype);
        var actual = Values(Losses.binary_cross_entropy_with_logits(x, z, reduction: Reduction.None, pos_weights: q));
        var exact = Values(Losses.binary_cross_entropy_with_logits(
            x.to(ScalarType.Float64), z.to(ScalarType.Float64), reduction: Reduction.None, pos_weights: q.to(ScalarType.Float64)));
        int mantissaBits = dtype == ScalarType.Float16 ? 10 : 7;
        int minExponent = dtype == ScalarType.Float16 ? -14 : -126;   // below it, subnormal spacing
        for (int i = 0; i < n; i++)
        {
            // Within one unit in the last place of the dtype (rounding once is half of one).
            double unit = System.Math.ScaleB(1.0, System.Math.Max(System.Math.ILogB(exact[i]), minExponent) - mantissaBits);
            Assert.True(System.Math.Abs(actual[i] - exact[i]) <= unit, $"{i}: {actual[i]:R} vs {exact[i]:R}");
        }
    }
}
