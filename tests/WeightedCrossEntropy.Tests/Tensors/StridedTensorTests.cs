using System.Buffers;
using System.Numerics.Tensors;
using Xunit;
using static WeightedCrossEntropy.Tests.Tensors.TensorReference;

namespace WeightedCrossEntropy.Tests.Tensors;

/// <summary>
/// Non-contiguous tensor spans (transposed views, slices) as labels, logits, pos_weight and upstream gradient: the
/// results are those of the dense copies, element for element, and of the reference.
/// </summary>
public sealed class StridedTensorTests
{
    private static double[] Flatten(ReadOnlyTensorSpan<double> view)
    {
        var flat = new double[view.FlattenedLength];
        view.FlattenTo(flat);
        return flat;
    }

    /// <summary>A [rows, cols] transposed view of a row-major [cols, rows] array.</summary>
    private static ReadOnlyTensorSpan<double> Transposed(double[] data, int rows, int cols) =>
        new(data, 0, [rows, cols], [1, rows]);

    [Fact]
    public void Transposed_labels_and_logits_give_the_dense_result()
    {
        var random = new Random(11);
        const int rows = 5, cols = 4;
        var xData = Random(random, rows * cols, -9, 9);
        var zData = Random(random, rows * cols, 0, 1);
        var x = Transposed(xData, rows, cols);
        var z = Transposed(zData, rows, cols);
        Assert.False(x.IsDense);
        double[] q = [0.5, 1, 3, 8];
        var xs = Flatten(x);
        var zs = Flatten(z);

        var strided = Nn.WeightedCrossEntropyWithLogits(z, x, new ReadOnlyTensorSpan<double>(q));
        var dense = Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(zs, [rows, cols]), Make<double>(xs, [rows, cols]), Make<double>(q, [cols]));
        Assert.True(strided.IsDense);
        Assert.Equal([rows, cols], strided.Lengths.ToArray().Select(l => (int)l));
        Assert.Equal(Values(dense), Values(strided));
        Close64(Values(strided), Enumerable.Range(0, rows * cols).Select(i => Loss(xs[i], zs[i], q[i % cols])).ToArray());
    }

    [Fact]
    public void Strided_inputs_are_copied_into_rented_buffers_not_new_arrays()
    {
        // A strided view is copied once per call; the copies come from the array pool, so after the first call only
        // the results are allocated: the loss's n·8 bytes, the gradients' 2·n·8 (a copy per input would add n·8
        // each). Half of n·8 is left as slack for what the runtime itself may allocate on this thread.
        const int rows = 256, cols = 256, n = rows * cols;
        var random = new Random(13);
        var x = Transposed(Random(random, n, -9, 9), rows, cols);
        var z = Transposed(Random(random, n, 0, 1), rows, cols);
        var g = Transposed(Random(random, n, -1, 1), rows, cols);
        var q = new ReadOnlyTensorSpan<double>(Random(random, cols, 0.5, 4));
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            _ = Nn.WeightedCrossEntropyWithLogits(z, x, q);
            long loss = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            _ = Nn.WeightedCrossEntropyWithLogits(z, x, q, Reduction.Mean);
            long mean = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            _ = Nn.WeightedCrossEntropyWithLogitsGradients(z, x, q, g);
            long gradients = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 2)
            {
                Assert.InRange(loss, n * 8, (n * 8) + (n * 8 / 2));
                Assert.InRange(mean, 0, n * 8 / 2);
                Assert.InRange(gradients, 2 * n * 8, (2 * n * 8) + (n * 8 / 2));
            }
        }
    }

    [Fact]
    public void Only_the_labels_or_only_the_logits_strided()
    {
        var random = new Random(12);
        const int rows = 3, cols = 6;
        var xData = Random(random, rows * cols, -9, 9);
        var zData = Random(random, rows * cols, 0, 1);
        var xs = Flatten(Transposed(xData, rows, cols));
        var zs = Flatten(Transposed(zData, rows, cols));
        var expected = Enumerable.Range(0, rows * cols).Select(i => Loss(xs[i], zs[i], 2)).ToArray();
        Close64(Values(Nn.WeightedCrossEntropyWithLogits(Transposed(zData, rows, cols), Make<double>(xs, [rows, cols]), 2.0)), expected);
        Close64(Values(Nn.WeightedCrossEntropyWithLogits(Make<double>(zs, [rows, cols]), Transposed(xData, rows, cols), 2.0)), expected);
    }

    [Fact]
    public void Sliced_views_of_a_4d_tensor_with_per_channel_weights()
    {
        var random = new Random(13);
        int[] full = [3, 4, 6, 5];
        var x = Make<double>(Random(random, Count(full), -7, 7), full);
        var z = Make<double>(Random(random, Count(full), 0, 1), full);
        NRange[] ranges = [new(1, 3), new(0, 3), new(2, 6), new(1, 4)];
        var xv = x.AsReadOnlyTensorSpan(ranges);
        var zv = z.AsReadOnlyTensorSpan(ranges);
        Assert.False(xv.IsDense);
        int[] shape = [2, 3, 4, 3];
        double[] q = [0.25, 1, 4];
        // Long runs need H·W ≥ 256, too big to read here; 4·3 runs take the expanded path, and a slice of a
        // [3, 1, 1] weight, taken from a bigger tensor, is itself strided.
        var qBig = Make<double>([0.25, 9, 1, 9, 4, 9], [3, 2, 1]);
        var qView = qBig.AsReadOnlyTensorSpan([new NRange(0, 3), new NRange(0, 1), new NRange(0, 1)]);
        var xs = Flatten(xv);
        var zs = Flatten(zv);
        var expected = Enumerable.Range(0, Count(shape)).Select(i => Loss(xs[i], zs[i], q[i / 12 % 3])).ToArray();
        Close64(Values(Nn.WeightedCrossEntropyWithLogits(zv, xv, Make<double>(q, [3, 1, 1]).AsReadOnlyTensorSpan())), expected);
        Close64(Values(Nn.WeightedCrossEntropyWithLogits(zv, xv, qView)), expected);
    }

    [Fact]
    public void A_strided_class_weight_vector()
    {
        // Every other element of an array: q = [1, 2, 3] out of [1, 0, 2, 0, 3, 0].
        var qView = new ReadOnlyTensorSpan<double>(new double[] { 1, 0, 2, 0, 3, 0 }, 0, [3], [2]);
        Assert.False(qView.IsDense);
        var random = new Random(14);
        var xs = Random(random, 12, -5, 5);
        var zs = Random(random, 12, 0, 1);
        var loss = Nn.WeightedCrossEntropyWithLogits<double>(Make<double>(zs, [4, 3]), Make<double>(xs, [4, 3]), qView);
        Close64(Values(loss), Enumerable.Range(0, 12).Select(i => Loss(xs[i], zs[i], 1 + (i % 3))).ToArray());
    }

    [Fact]
    public void Strided_inputs_and_upstream_in_the_gradients()
    {
        var random = new Random(15);
        const int rows = 4, cols = 3;
        var x = Transposed(Random(random, 12, -6, 6), rows, cols);
        var z = Transposed(Random(random, 12, 0, 1), rows, cols);
        var g = Transposed(Random(random, 12, -2, 2), rows, cols);
        var q = new ReadOnlyTensorSpan<double>(new double[] { 1.5, 0, 0.5, 0, 3, 0 }, 0, [3], [2]);
        var strided = Nn.WeightedCrossEntropyWithLogitsGradients(z, x, q, g);
        var dense = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Make<double>(Flatten(z), [rows, cols]), Make<double>(Flatten(x), [rows, cols]), Make<double>([1.5, 0.5, 3], [3]),
            Make<double>(Flatten(g), [rows, cols]));
        Assert.Equal(Values(dense.Labels), Values(strided.Labels));
        Assert.Equal(Values(dense.Logits), Values(strided.Logits));
        Assert.Equal(Values(dense.PosWeight), Values(strided.PosWeight));
        Assert.Equal([3], strided.PosWeight.Lengths.ToArray().Select(l => (int)l));
    }
}
