using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static WeightedCrossEntropy.TorchSharp.Tests.Support;

namespace WeightedCrossEntropy.TorchSharp.Tests;

using Reduction = global::TorchSharp.torch.nn.Reduction;

[CollectionDefinition(nameof(LiveTensorCount), DisableParallelization = true)]
public sealed class LiveTensorCount;

/// <summary>
/// No tensor wrapper is left to the finalizer per training step: TorchSharp's count of live wrappers
/// (<see cref="Tensor.TotalCount"/>, process-wide, so these tests run alone, after the finalizer has run on what
/// earlier tests left) is the same after 30 more steps as after
/// the warm-up, with and without a DisposeScope. The same loop with TorchSharp's own function is the control.
/// </summary>
[Collection(nameof(LiveTensorCount))]
public sealed class LifetimeTests
{
    public static TheoryData<bool, bool, Reduction, bool, bool> Cases() => new()
    {
        { true, false, Reduction.Mean, false, false },
        { true, true, Reduction.Mean, false, false },
        { false, false, Reduction.Mean, false, false },
        { false, true, Reduction.Mean, false, false },
        { true, false, Reduction.None, true, false },
        { true, true, Reduction.Sum, true, false },
        { true, false, Reduction.Mean, false, true },
        { true, true, Reduction.Mean, false, true },
        { true, false, Reduction.Sum, true, true },
    };

    /// <param name="rowWeight">A weight per row, [32, 1] (expanded to the input's shape inside), instead of the
    /// per-class weight [8] that <paramref name="everyGradient"/> adds.</param>
    [Theory]
    [MemberData(nameof(Cases))]
    public void A_training_step_leaves_no_tensor_behind(
        bool ours, bool scoped, Reduction reduction, bool everyGradient, bool rowWeight)
    {
        var random = new Random(1);
        using var x = Leaf(Uniform(random, 256, -6, 6), [32, 8], ScalarType.Float32, requiresGrad: true);
        using var z = Leaf(Uniform(random, 256, 0, 1).Select(v => v < 0.1 ? 1.0 : 0.0).ToArray(), [32, 8], ScalarType.Float32, requiresGrad: everyGradient);
        using var q = Leaf(Uniform(random, 8, 1, 9), [8], ScalarType.Float32, requiresGrad: everyGradient);
        using var w = rowWeight
            ? Leaf(Uniform(random, 32, 0.5, 2), [32, 1], ScalarType.Float32, requiresGrad: everyGradient)
            : everyGradient ? Leaf(Uniform(random, 8, 0.5, 2), [8], ScalarType.Float32, requiresGrad: true) : null;

        void Step()
        {
            if (scoped)
            {
                using var scope = NewDisposeScope();
                var loss = ours
                    ? Losses.binary_cross_entropy_with_logits(x, z, w, reduction, q)
                    : nn.functional.binary_cross_entropy_with_logits(x, z, w, reduction, q);
                (reduction == Reduction.None ? loss.sum() : loss).backward();
                using var g = x.grad;
            }
            else
            {
                using var loss = ours
                    ? Losses.binary_cross_entropy_with_logits(x, z, w, reduction, q)
                    : nn.functional.binary_cross_entropy_with_logits(x, z, w, reduction, q);
                if (reduction == Reduction.None)
                {
                    using var sum = loss.sum();
                    sum.backward();
                }
                else
                {
                    loss.backward();
                }

                using var g = x.grad;
            }
        }

        for (int i = 0; i < 5; i++)
        {
            Step();
        }

        // The count is process-wide: let the finalizer run on what earlier tests left first, so that it does not
        // change the count in the window measured.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = Tensor.TotalCount;
        for (int i = 0; i < 30; i++)
        {
            Step();
        }

        Assert.Equal(before, Tensor.TotalCount);
    }
}
