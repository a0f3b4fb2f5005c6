using TorchSharp;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;
using static TorchSharp.torch;
using static WeightedCrossEntropy.TorchSharp.Tests.Support;

namespace WeightedCrossEntropy.TorchSharp.Tests;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// Exact values through the adapter: the reference rows (data/reference/reference.csv, and shared/reference/golden.csv
/// where it is beside the checkout) within 2 ULP in float32 and 3 ULP in float64, and the cases where libtorch fails,
/// with expected values derived here.
/// </summary>
public sealed class ReferenceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reference_rows_loss_and_all_three_gradients_are_within_2_or_3_ULP(bool isFloat32) =>
        CheckRows(GoldenRow.All, isFloat32);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Shared_golden_rows_loss_and_all_three_gradients_are_within_2_or_3_ULP(bool isFloat32)
    {
        if (GoldenRow.SharedGolden is not { } golden)
        {
            Assert.Skip("shared/reference/golden.csv is not beside this checkout");
            return;
        }

        CheckRows(golden, isFloat32);
    }

    private static void CheckRows(IReadOnlyList<GoldenRow> all, bool isFloat32)
    {
        var rows = all.Where(r => r.IsSingle == isFloat32).ToArray();
        Assert.NotEmpty(rows);
        var dtype = isFloat32 ? ScalarType.Float32 : ScalarType.Float64;
        long[] shape = [rows.Length];
        using var scope = NewDisposeScope();
        var x = Leaf(rows.Select(r => r.X).ToArray(), shape, dtype, requiresGrad: true);
        var z = Leaf(rows.Select(r => r.Z).ToArray(), shape, dtype, requiresGrad: true);
        var q = Leaf(rows.Select(r => r.Q).ToArray(), shape, dtype, requiresGrad: true);
        var loss = Losses.weighted_cross_entropy_with_logits(z, x, q);
        loss.sum().backward();
        var (l, dx, dz, dq) = (Values(loss), Grad(x), Grad(z), Grad(q));
        double limit = isFloat32 ? 2 : 3;
        var failures = new List<string>();
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            void Check(string what, double actual, double expected, double unit)
            {
                double error = double.IsNaN(expected) && double.IsNaN(actual) ? 0 : Ulp.Error(actual, expected, unit, isFloat32);
                if (error > limit)
                {
                    failures.Add($"{r} {what}: {actual:R} vs {expected:R} ({error:F2} ULP)");
                }
            }

            Check("loss", l[i], r.Loss, TermMagnitudes.Loss(r.X, r.Z, r.Q));
            Check("dx", dx[i], r.Dx, TermMagnitudes.Dx(r.X, r.Z, r.Q));
            Check("dz", dz[i], r.Dz, TermMagnitudes.Dz(r.X, r.Q));
            Check("dq", dq[i], r.Dq, 0);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    [Fact]
    public void Loss_at_z_0_x_minus_20_in_float32_is_exact_where_libtorch_returns_0()
    {
        using var scope = NewDisposeScope();
        var x = Leaf([-20], [1], ScalarType.Float32);
        var z = Leaf([0], [1], ScalarType.Float32);
        double exact = Softplus(-20);   // 2.0611536922e-9
        float expected = (float)exact;
        Assert.Equal(2.0611537e-09f, expected);
        var ours = Values(Losses.binary_cross_entropy_with_logits(x, z, reduction: Reduction.None))[0];
        var theirs = Values(nn.functional.binary_cross_entropy_with_logits(x, z, reduction: Reduction.None))[0];
        Assert.True(Ulp.Error(ours, expected, 0, isFloat32: true) <= 2, $"{ours:R} vs {expected:R}");
        Assert.Equal(0.0, theirs);
    }

    [Fact]
    public void Gradient_at_z_1_x_20_is_exact_where_libtorch_returns_0()
    {
        using var scope = NewDisposeScope();
        double expected = (float)-Sigmoid(-20);   // ∂/∂x = −q·z·σ(−x) with q = 1, z = 1
        var x = Leaf([20], [1], ScalarType.Float32, requiresGrad: true);
        var z = Leaf([1], [1], ScalarType.Float32);
        Losses.binary_cross_entropy_with_logits(x, z, reduction: Reduction.Sum).backward();
        var ours = Grad(x)[0];
        var x2 = Leaf([20], [1], ScalarType.Float32, requiresGrad: true);
        nn.functional.binary_cross_entropy_with_logits(x2, z, reduction: Reduction.Sum).backward();
        Assert.True(Ulp.Error(ours, expected, 0, isFloat32: true) <= 2, $"{ours:R} vs {expected:R}");
        Assert.Equal(0.0, Grad(x2)[0]);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void Infinite_logits_give_the_limits_where_libtorch_gives_NaN(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        double inf = double.PositiveInfinity;
        // (x, z, q) → loss, ∂/∂x: x = +∞: loss (1 − z)·∞ (0 for z = 1), ∂x = 1 − z;
        // x = −∞: loss q·z·∞ (0 for z = 0), ∂x = −q·z.
        double[] xs = [inf, inf, -inf, -inf, inf];
        double[] zs = [1, 0.5, 0, 0.5, 0];
        double[] qs = [2, 2, 2, 2, 2];
        double[] loss = [0, inf, 0, inf, inf];
        double[] dx = [0, 0.5, 0, -1, 1];
        var x = Leaf(xs, [5], dtype, requiresGrad: true);
        var z = Leaf(zs, [5], dtype);
        var q = Leaf(qs, [5], dtype);
        var ours = Losses.binary_cross_entropy_with_logits(x, z, reduction: Reduction.None, pos_weights: q);
        ours.sum().backward();
        Assert.Equal(loss, Values(ours));
        Assert.Equal(dx, Grad(x));

        var theirs = Values(nn.functional.binary_cross_entropy_with_logits(
            x.detach(), z, reduction: Reduction.None, pos_weights: q));
        Assert.Contains(theirs, double.IsNaN);
    }

    [Fact]
    public void The_pos_weight_gradient_is_z_times_softplus_of_minus_x_summed_per_class()
    {
        using var scope = NewDisposeScope();
        // Input [2, 2], pos_weights [2]: class c collects Σ over rows of z·sp(−x) (Sum reduction).
        double[] xs = [0, 1, -3, 2.5];
        double[] zs = [1, 0.25, 0.5, 1];
        var x = Leaf(xs, [2, 2], ScalarType.Float64);
        var z = Leaf(zs, [2, 2], ScalarType.Float64);
        var q = Leaf([1.5, 0.75], [2], ScalarType.Float64, requiresGrad: true);
        Losses.binary_cross_entropy_with_logits(x, z, reduction: Reduction.Sum, pos_weights: q).backward();
        double[] expected =
        [
            (zs[0] * Softplus(-xs[0])) + (zs[2] * Softplus(-xs[2])),
            (zs[1] * Softplus(-xs[1])) + (zs[3] * Softplus(-xs[3])),
        ];
        Close(expected, Grad(q), 4e-16, "∂/∂pos_weight");
    }
}
