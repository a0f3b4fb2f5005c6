using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static WeightedCrossEntropy.TorchSharp.Tests.Support;

namespace WeightedCrossEntropy.TorchSharp.Tests;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>Strided views, no_grad, and inputs that need no gradient.</summary>
public sealed class LayoutTests
{
    [Theory]
    [InlineData(ScalarType.Float32, Reduction.Mean)]
    [InlineData(ScalarType.Float64, Reduction.None)]
    [InlineData(ScalarType.Float32, Reduction.Sum)]
    public void Transposed_and_sliced_inputs_give_what_their_dense_copies_give(ScalarType dtype, Reduction reduction)
    {
        var random = new Random(11);
        var xv = Uniform(random, 12 * 10, -8, 8);
        var zv = Uniform(random, 12 * 10, 0, 1);
        var qv = Uniform(random, 12, 0.5, 3);

        (double[] Loss, double[] Dx, double[] Dz, double[] Dq) Run(bool strided)
        {
            using var scope = NewDisposeScope();
            // A [10, 12] view of a [12, 10] leaf (transposed), and every second column of a [10, 24] target.
            var xBase = Leaf(xv, [12, 10], dtype, requiresGrad: true);
            var zBase = Leaf(zv.Concat(zv).ToArray(), [10, 24], dtype, requiresGrad: true);
            var qBase = Leaf(qv.SelectMany(v => new[] { v, -1.0 }).ToArray(), [24], dtype, requiresGrad: true);
            Tensor x = xBase.t();
            Tensor z = zBase[.., TensorIndex.Slice(0, null, 2)];
            Tensor q = qBase[TensorIndex.Slice(0, null, 2)];
            Assert.False(x.is_contiguous());
            Assert.False(z.is_contiguous());
            if (!strided)
            {
                // Same values, dense: rebuild the leaves so that gradients still reach them.
                x = x.contiguous();
                z = z.contiguous();
                q = q.contiguous();
            }

            Assert.Equal([10L, 12L], x.shape);
            Assert.Equal([10L, 12L], z.shape);
            var loss = Losses.binary_cross_entropy_with_logits(x, z, reduction: reduction, pos_weights: q);
            (reduction == Reduction.None ? loss.sum() : loss).backward();
            return (Values(loss), Grad(xBase), Grad(zBase), Grad(qBase));
        }

        var dense = Run(strided: false);
        var strided = Run(strided: true);
        Assert.Equal(dense.Loss, strided.Loss);
        Assert.Equal(dense.Dx, strided.Dx);
        Assert.Equal(dense.Dz, strided.Dz);
        Assert.Equal(dense.Dq, strided.Dq);
    }

    [Fact]
    public void Under_no_grad_the_result_needs_no_gradient_and_has_the_same_value()
    {
        using var scope = NewDisposeScope();
        var random = new Random(2);
        var x = Leaf(Uniform(random, 64, -6, 6), [16, 4], ScalarType.Float32, requiresGrad: true);
        var z = Leaf(Uniform(random, 64, 0, 1), [16, 4], ScalarType.Float32);
        var q = Leaf([1, 2, 3, 4], [4], ScalarType.Float32, requiresGrad: true);
        var withGrad = Losses.binary_cross_entropy_with_logits(x, z, pos_weights: q);
        Tensor withoutGrad;
        using (no_grad())
        {
            withoutGrad = Losses.binary_cross_entropy_with_logits(x, z, pos_weights: q);
        }

        Assert.True(withGrad.requires_grad);
        Assert.False(withoutGrad.requires_grad);
        Assert.Equal(Values(withGrad), Values(withoutGrad));
    }

    [Fact]
    public void Only_the_inputs_that_require_a_gradient_get_one()
    {
        using var scope = NewDisposeScope();
        var x = Leaf([0.5, -1, 2, 3], [2, 2], ScalarType.Float64, requiresGrad: true);
        var z = Leaf([1, 0, 0.5, 1], [2, 2], ScalarType.Float64);
        var q = Leaf([2, 3], [2], ScalarType.Float64);
        var w = Leaf([1, 0.5], [2], ScalarType.Float64);
        Losses.binary_cross_entropy_with_logits(x, z, w, Reduction.Mean, q).backward();
        Assert.NotNull(x.grad);
        Assert.Null(z.grad);
        Assert.Null(q.grad);
        Assert.Null(w.grad);
    }
}

/// <summary>Weights with extra leading 1-axes act as without them, and their gradients keep their own shape.</summary>
public sealed class ExtraAxesTests
{
    [Theory]
    [InlineData(Reduction.None)]
    [InlineData(Reduction.Mean)]
    public void Leading_unit_axes_of_pos_weight_and_weight_change_nothing(Reduction reduction)
    {
        var random = new Random(8);
        var xv = Uniform(random, 30, -5, 5);
        var zv = Uniform(random, 30, 0, 1);
        var qv = Uniform(random, 5, 0.5, 3);
        var wv = Uniform(random, 5, 0.5, 2);
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float16 })
        {
            (double[] Loss, long[] Shape, double[] Dq, long[] DqShape, double[] Dw) Run(long[] weightShape)
            {
                using var scope = NewDisposeScope();
                var x = Leaf(xv, [6, 5], dtype, requiresGrad: true);
                var z = Leaf(zv, [6, 5], dtype);
                var q = Leaf(qv, weightShape, dtype, requiresGrad: true);
                var w = Leaf(wv, weightShape, dtype, requiresGrad: true);
                var loss = Losses.binary_cross_entropy_with_logits(x, z, w, reduction, q);
                (reduction == Reduction.None ? loss.sum() : loss).backward();
                using var dq = q.grad!;
                return (Values(loss), loss.shape, Values(dq), dq.shape, Grad(w));
            }

            var plain = Run([5]);
            var extra = Run([1, 1, 5]);
            Assert.Equal(plain.Shape, extra.Shape);
            Assert.Equal(plain.Loss, extra.Loss);
            Assert.Equal(plain.Dq, extra.Dq);
            Assert.Equal(plain.Dw, extra.Dw);
            Assert.Equal([1L, 1L, 5L], extra.DqShape);
        }
    }
}
