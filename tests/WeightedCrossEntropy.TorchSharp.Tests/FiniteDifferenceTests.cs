using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static WeightedCrossEntropy.TorchSharp.Tests.Support;

namespace WeightedCrossEntropy.TorchSharp.Tests;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// All four gradients (input, target, pos_weight, weight) against central differences of the loss in float64, for
/// every reduction and both broadcast layouts. Step h = 1e-5·max(1, |p|): truncation error ~h²·f‴ ≈ 1e-10 and
/// rounding error ~ε·f/h ≈ 1e-11, so 1e-8 of the gradient's scale is a tight tolerance that any wrong factor fails.
/// </summary>
public sealed class FiniteDifferenceTests
{
    [Theory]
    [InlineData(Reduction.None, "classes")]
    [InlineData(Reduction.Mean, "classes")]
    [InlineData(Reduction.Sum, "classes")]
    [InlineData(Reduction.Mean, "channels")]
    [InlineData(Reduction.None, "channels")]
    [InlineData(Reduction.Sum, "no weight")]
    [InlineData(Reduction.None, "no weight")]
    public void All_four_gradients_match_central_differences(Reduction reduction, string layout)
    {
        long[] shape = layout == "channels" ? [2, 3, 2, 2] : [3, 4];
        long[] perClass = layout == "channels" ? [3, 1, 1] : [4];
        bool withWeight = layout != "no weight";
        var random = new Random(5);
        int n = (int)Count(shape);
        int c = (int)Count(perClass);
        double[][] values =
        [
            Uniform(random, n, -5, 5),      // input
            Uniform(random, n, 0, 1),       // target
            Uniform(random, c, 0.3, 4),     // pos_weights
            Uniform(random, c, 0.2, 3),     // weight
        ];
        long[][] shapes = [shape, shape, perClass, perClass];
        var upstream = Uniform(random, n, -1, 1);

        double Objective(double[][] v)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var loss = Losses.binary_cross_entropy_with_logits(
                Leaf(v[0], shapes[0], ScalarType.Float64), Leaf(v[1], shapes[1], ScalarType.Float64),
                withWeight ? Leaf(v[3], shapes[3], ScalarType.Float64) : null, reduction,
                Leaf(v[2], shapes[2], ScalarType.Float64));
            var total = reduction == Reduction.None ? (loss * Leaf(upstream, shape, ScalarType.Float64)).sum() : loss;
            return total.item<double>();
        }

        double[][] analytic;
        using (var scope = NewDisposeScope())
        {
            var leaves = Enumerable.Range(0, 4)
                .Select(i => Leaf(values[i], shapes[i], ScalarType.Float64, requiresGrad: i < 3 || withWeight))
                .ToArray();
            var loss = Losses.binary_cross_entropy_with_logits(
                leaves[0], leaves[1], withWeight ? leaves[3] : null, reduction, leaves[2]);
            var total = reduction == Reduction.None ? (loss * Leaf(upstream, shape, ScalarType.Float64)).sum() : loss;
            total.backward();
            analytic = leaves.Take(withWeight ? 4 : 3).Select(Grad).ToArray();
        }

        string[] names = ["input", "target", "pos_weights", "weight"];
        for (int k = 0; k < analytic.Length; k++)
        {
            var numeric = new double[values[k].Length];
            for (int i = 0; i < numeric.Length; i++)
            {
                double p = values[k][i];
                double h = 1e-5 * System.Math.Max(1, System.Math.Abs(p));
                values[k][i] = p + h;
                double up = Objective(values);
                values[k][i] = p - h;
                double down = Objective(values);
                values[k][i] = p;
                numeric[i] = (up - down) / (2 * h);
            }

            Close(numeric, analytic[k], 1e-8, $"∂/∂{names[k]}");
        }
    }
}
