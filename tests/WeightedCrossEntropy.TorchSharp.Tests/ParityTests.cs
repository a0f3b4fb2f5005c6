using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static WeightedCrossEntropy.TorchSharp.Tests.Support;

namespace WeightedCrossEntropy.TorchSharp.Tests;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// On well-conditioned inputs (|x| ≤ 4, soft labels, weights near 1) libtorch's formula loses nothing that matters,
/// so TorchSharp's own function is an independent reference for values and for the gradients it has (input and
/// target). Tolerances: 2e-6 of the largest value in float32 (libtorch's float32 arithmetic is a few ULP off), 1e-13
/// in float64. A pos_weight or weight applied along the wrong axis, a missing upstream factor or a wrong 1/N is off
/// by far more.
/// </summary>
public sealed class ParityTests
{
    public static TheoryData<ScalarType, Reduction, string> Cases()
    {
        var data = new TheoryData<ScalarType, Reduction, string>();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            foreach (var reduction in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
            {
                foreach (var layout in new[] { "classes", "channels", "weight only", "pos_weight only", "neither" })
                {
                    data.Add(dtype, reduction, layout);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_and_gradients_match_TorchSharp(ScalarType dtype, Reduction reduction, string layout)
    {
        // classes: input [6, 5] with per-class [5]; channels: input [2, 3, 4, 5] with per-channel [3, 1, 1].
        long[] shape = layout == "channels" ? [2, 3, 4, 5] : [6, 5];
        long[] perClass = layout == "channels" ? [3, 1, 1] : [5];
        var random = new Random(17);
        int n = (int)Count(shape);
        var x = Uniform(random, n, -4, 4);
        var z = Uniform(random, n, 0, 1);
        var q = Uniform(random, (int)Count(perClass), 0.5, 3);
        var w = Uniform(random, (int)Count(perClass), 0.5, 2);
        var upstream = Uniform(random, n, -1, 1);
        bool withWeight = layout is "classes" or "channels" or "weight only";
        bool withPosWeight = layout is "classes" or "channels" or "pos_weight only";

        (double[] Loss, double[] Dx, double[] Dz) Run(bool ours)
        {
            using var scope = NewDisposeScope();
            var xt = Leaf(x, shape, dtype, requiresGrad: true);
            var zt = Leaf(z, shape, dtype, requiresGrad: true);
            var qt = withPosWeight ? Leaf(q, perClass, dtype) : null;
            var wt = withWeight ? Leaf(w, perClass, dtype) : null;
            var loss = ours
                ? Losses.binary_cross_entropy_with_logits(xt, zt, wt, reduction, qt)
                : nn.functional.binary_cross_entropy_with_logits(xt, zt, wt, reduction, qt);
            var objective = reduction == Reduction.None ? (loss * Leaf(upstream, shape, dtype)).sum() : loss;
            objective.backward();
            return (Values(loss), Grad(xt), zt.grad is null ? [] : Grad(zt));
        }

        var expected = Run(ours: false);
        var actual = Run(ours: true);
        double tolerance = dtype == ScalarType.Float32 ? 2e-6 : 1e-13;
        Close(expected.Loss, actual.Loss, tolerance, "loss");
        Close(expected.Dx, actual.Dx, tolerance, "∂/∂input");
        Assert.NotEmpty(expected.Dz);
        Close(expected.Dz, actual.Dz, tolerance, "∂/∂target");
    }

    [Fact]
    public void The_module_is_the_function()
    {
        using var scope = NewDisposeScope();
        var random = new Random(3);
        var x = Leaf(Uniform(random, 40, -3, 3), [8, 5], ScalarType.Float32);
        var z = Leaf(Uniform(random, 40, 0, 1), [8, 5], ScalarType.Float32);
        var q = Leaf(Uniform(random, 5, 0.5, 3), [5], ScalarType.Float32);
        var w = Leaf(Uniform(random, 5, 0.5, 3), [5], ScalarType.Float32);
        foreach (var reduction in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
        {
            var module = Losses.BCEWithLogitsLoss(w, reduction, q);
            var expected = nn.BCEWithLogitsLoss(w, reduction, q).call(x, z);
            Close(Values(expected), Values(module.call(x, z)), 2e-6, reduction.ToString());
        }
    }
}
