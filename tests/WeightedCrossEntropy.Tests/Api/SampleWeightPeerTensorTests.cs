using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using CsCheck;
using WeightedCrossEntropy.Tests.Properties;
using Xunit;
using static WeightedCrossEntropy.Tests.Tensors.TensorReference;

namespace WeightedCrossEntropy.Tests.Api;

/// <summary>
/// The peers' tests of sample weights and label smoothing whose weights have a shape (TensorFlow's [2, 1] and
/// [3, 3] weights, Keras' per-sample [N] weights as [N, 1], PyTorch's [C] and [N, 1] weights, the OpInfo weight
/// shapes) through the tensor API, float64 and float32, including the gradients with respect to the sample weight,
/// summed to its shape. Sources, tolerances and the derivation as in <see cref="SampleWeightPeerTests"/> and
/// <see cref="SampleWeightPeer"/>.
/// </summary>
public sealed class SampleWeightPeerTensorTests
{
    public static TheoryData<string> Types => new() { "float64", "float32" };

    private static void Run(string type, Action float64, Action float32) => (type == "float32" ? float32 : float64)();

    /// <summary>Values with a shape; the span of double values is rounded to T when a call is made.</summary>
    private sealed record Shaped(double[] Values, int[] Shape)
    {
        public Tensor<T> AsTensor<T>()
            where T : IFloatingPointIeee754<T> => Make<T>(Values, Shape);

        /// <summary>The values broadcast right-aligned to <paramref name="shape"/>, written out.</summary>
        public double[] ExpandTo(int[] shape) => Expand(Values, Shape, shape);

        public static Shaped Of(double[] values, params int[] shape) => new(values, shape);
    }

    private static double[] Loss<T>(Shaped labels, Shaped logits, Shaped posWeight, Shaped sampleWeight, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T> =>
        Values(Nn.WeightedCrossEntropyWithLogits<T>(
            labels.AsTensor<T>(), logits.AsTensor<T>(), posWeight.AsTensor<T>(), sampleWeight.AsTensor<T>(), labelSmoothing));

    private static double Reduced<T>(
        Shaped labels, Shaped logits, Shaped posWeight, Shaped sampleWeight, Reduction reduction, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T> =>
        double.CreateTruncating(Nn.WeightedCrossEntropyWithLogits<T>(
            labels.AsTensor<T>(), logits.AsTensor<T>(), posWeight.AsTensor<T>(), sampleWeight.AsTensor<T>(), reduction, labelSmoothing));

    private static WeightedCrossEntropyGradients<T> Gradients<T>(
        Shaped labels, Shaped logits, Shaped posWeight, Shaped sampleWeight, Reduction reduction, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T> =>
        Nn.WeightedCrossEntropyWithLogitsGradients<T>(
            labels.AsTensor<T>(), logits.AsTensor<T>(), posWeight.AsTensor<T>(), sampleWeight.AsTensor<T>(), reduction, labelSmoothing);

    private static double[] SampleWeightGradient<T>(WeightedCrossEntropyGradients<T> gradients, int[] shape)
        where T : IFloatingPointIeee754<T>
    {
        Assert.NotNull(gradients.SampleWeight);
        Assert.Equal(shape, gradients.SampleWeight.Lengths.ToArray().Select(l => (int)l));
        return Values(gradients.SampleWeight);
    }

    /// <summary>∂(Σ or Mean)/∂w in w's shape, derived: the unweighted smoothed loss of every element summed into the
    /// weight it uses (all terms are ≥ 0 here, so the value is its own scale), divided by N for the Mean.</summary>
    private static double[] DerivedSampleWeightGradient(
        double[] x, double[] z, double[] q, Shaped sampleWeight, int[] shape, double divisor, double labelSmoothing = 0)
    {
        var sums = new List<double>[sampleWeight.Values.Length];
        for (int k = 0; k < sums.Length; k++)
        {
            sums[k] = [];
        }

        var qs = q.Length == x.Length ? q : SampleWeightPeer.Cycle(q, x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            sums[BroadcastIndex(Unravel(i, shape), sampleWeight.Shape)].Add(SampleWeightPeer.Loss(x[i], z[i], qs[i], 1, labelSmoothing));
        }

        return sums.Select(s => Inputs.ExactSum(s) / divisor).ToArray();
    }

    // =====================================================================================================
    // TensorFlow: tensorflow/tensorflow, tensorflow/python/kernel_tests/nn_ops/losses_test.py,
    // SigmoidCrossEntropyLossTest and the weight patterns of LogLossTest, with their weight shapes. TF1's
    // SUM_BY_NONZERO_WEIGHTS = Reduction.Sum / (number of nonzero weights after broadcasting to the loss's shape),
    // 0 if none (TF's safe division): computed here, the library has no such reduction.
    // =====================================================================================================

    private static double Tf1<T>(Shaped labels, Shaped logits, Shaped sampleWeight, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        int count = sampleWeight.ExpandTo(logits.Shape).Count(w => w != 0);
        double sum = Reduced<T>(labels, logits, Shaped.Of([1], 1), sampleWeight, Reduction.Sum, labelSmoothing);
        return count == 0 ? 0 : sum / count;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testAllWrongSigmoidWithMeasurementSpecificWeights(string type) => Run(type, MeasurementSpecific<double>, MeasurementSpecific<float>);

    private static void MeasurementSpecific<T>()
        where T : IFloatingPointIeee754<T>
    {
        var logits = Shaped.Of([100, -100, -100, -100, 100, -100, -100, -100, 100], 3, 3);
        var labels = Shaped.Of([0, 0, 1, 1, 0, 0, 0, 1, 0], 3, 3);
        var weights = Shaped.Of([3, 4, 5, 2, 6, 0, 8, 0, 1], 3, 3);
        var f = new StringBuilder();
        double loss = Tf1<T>(labels, logits, weights);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, 1700.0 / 7.0);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, 1700.0 / 7.0, SampleWeightPeer.Exact<T>(1700.0 / 7.0));

        // ∂Σ/∂w: each element's unweighted loss, 100 where wrong and sp(−100) = e^−100 where right, in w's [3, 3].
        var gradient = SampleWeightGradient(Gradients<T>(labels, logits, Shaped.Of([1], 1), weights, Reduction.Sum), [3, 3]);
        var expected = labels.Values.Select((z, i) => (z == 1) == (logits.Values[i] > 0) ? System.Math.Exp(-100) : 100).ToArray();
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} ∂/∂w", gradient, expected, i => SampleWeightPeer.Exact<T>(expected[i]));
        SampleWeightPeer.Pass(f);
    }

    private static readonly double[] LogLossPredictions = [0.9, 0.2, 0.2, 0.8, 0.4, 0.6];
    private static readonly double[] LogLossLabels = [1, 0, 1, 1, 0, 0];

    public static TheoryData<string, string, double[], int[], int> LogLossWeightPatterns()
    {
        var data = new TheoryData<string, string, double[], int[], int>();
        foreach (string type in new[] { "float64", "float32" })
        {
            data.Add(type, "testNonZeroLossWithPythonScalarWeight", [2.3], [1], 6);
            data.Add(type, "testNonZeroLossWithScalarTensorWeight", [2.3], [1, 1], 6);
            data.Add(type, "testNonZeroLossWithOneDimBatchSpecificWeights", [1.2, 3.4], [2, 1], 6);
            data.Add(type, "testNonZeroLossWithOneDimBatchSpecificWeightsSomeZero", [1.2, 0], [2, 1], 3);
            data.Add(type, "testNonZeroLossWithTwoDimBatchSpecificWeightsSomeZero", [1.2, 0], [2, 1], 3);
            data.Add(type, "testNonZeroLossWithMeasurementSpecificWeights", [3, 6, 5, 0, 4, 2], [2, 3], 5);
            data.Add(type, "testNonZeroLossWithSampleSpecificWeightsMostZero", [0, 0, 0, 0, 0, 2], [2, 3], 1);
            data.Add(type, "testLossWithSampleSpecificWeightsAllZero", [0, 0, 0, 0, 0, 0], [2, 3], 0);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LogLossWeightPatterns))]
    public void Tf_LogLossTest_weight_patterns_on_the_sigmoid_loss(string type, string tfTest, double[] weights, int[] weightShape, int tfCount) =>
        Run(type, () => LogLossPattern<double>(tfTest, weights, weightShape, tfCount), () => LogLossPattern<float>(tfTest, weights, weightShape, tfCount));

    private static void LogLossPattern<T>(string tfTest, double[] weights, int[] weightShape, int tfCount)
        where T : IFloatingPointIeee754<T>
    {
        // As SampleWeightPeerTests.Tf_LogLossTest_weight_patterns_on_the_sigmoid_loss, with the weights' own shapes,
        // and ∂Σ/∂w summed to that shape.
        var logitValues = LogLossPredictions.Select(p => System.Math.Log(p / (1 - p))).ToArray();
        var logits = Shaped.Of(logitValues, 2, 3);
        var labels = Shaped.Of(LogLossLabels, 2, 3);
        var w = Shaped.Of(weights, weightShape);
        var expanded = w.ExpandTo([2, 3]);
        Assert.Equal(tfCount, expanded.Count(v => v != 0));

        double tfSum = -Enumerable.Range(0, 6).Sum(i => expanded[i] * ((LogLossLabels[i] * System.Math.Log(LogLossPredictions[i] + 1e-7)) +
            ((1 - LogLossLabels[i]) * System.Math.Log(1 - LogLossPredictions[i] + 1e-7))));
        double tfExpected = tfCount == 0 ? 0 : tfSum / tfCount;

        var x = SampleWeightPeer.Seen<T>(logitValues);
        var seenW = SampleWeightPeer.Seen<T>(expanded);
        double derivedSum = Inputs.ExactSum(SampleWeightPeer.Losses(x, LogLossLabels, [1], seenW));
        double scale = Inputs.ExactSum(SampleWeightPeer.LossScales(x, LogLossLabels, [1], seenW));

        var f = new StringBuilder();
        string what = $"{SampleWeightPeer.Name<T>()} {tfTest}";
        double loss = Tf1<T>(labels, logits, w);
        SampleWeightPeer.TfPlaces3(f, what, loss, tfExpected);
        SampleWeightPeer.Expect(f, $"{what} derived", loss, tfCount == 0 ? 0 : derivedSum / tfCount,
            SampleWeightPeer.Derived<T>(tfCount == 0 ? 0 : scale / tfCount));

        var gradient = SampleWeightGradient(Gradients<T>(labels, logits, Shaped.Of([1], 1), w, Reduction.Sum), weightShape);
        var expectedGradient = DerivedSampleWeightGradient(x, LogLossLabels, [1], w, [2, 3], 1);
        SampleWeightPeer.Expect(f, $"{what} ∂/∂w", gradient, expectedGradient, i => SampleWeightPeer.Derived<T>(expectedGradient[i]));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testSigmoidLabelSmoothingCorrect(string type) => Run(type, LabelSmoothingCorrect<double>, LabelSmoothingCorrect<float>);

    private static void LabelSmoothingCorrect<T>()
        where T : IFloatingPointIeee754<T>
    {
        // [[100, −100, −100]], [[1, 0, 1]], L = 0.1: (100 + 50·L)/3 (TF's derivation). The gradients of the Sum,
        // derived (contract of the new API): ∂/∂z = w·(1 − L)·(q·sp(−x) − sp(x)) with respect to the unsmoothed label,
        // ∂/∂q = w·z'·sp(−x) summed to q's [1], ∂/∂w = the unweighted smoothed loss.
        const double smoothing = 0.1;
        var logits = Shaped.Of([100, -100, -100], 1, 3);
        var labels = Shaped.Of([1, 0, 1], 1, 3);
        var one = Shaped.Of([1], 1);
        double expected = (100.0 + (50.0 * smoothing)) / 3.0;
        var f = new StringBuilder();
        double loss = Tf1<T>(labels, logits, one, smoothing);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, expected);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, expected, SampleWeightPeer.Exact<T>(expected));

        var g = Gradients<T>(labels, logits, one, one, Reduction.Sum, smoothing);
        double[] x = logits.Values, z = labels.Values;
        var dz = Enumerable.Range(0, 3).Select(i => (1 - smoothing) * (Softplus(-x[i]) - Softplus(x[i]))).ToArray();
        var dx = Enumerable.Range(0, 3).Select(i => SampleWeightPeer.Dx(x[i], z[i], 1, 1, smoothing)).ToArray();
        var dxScale = Enumerable.Range(0, 3).Select(i => SampleWeightPeer.DxScale(x[i], z[i], 1, 1, smoothing)).ToArray();
        double dq = Inputs.ExactSum(Enumerable.Range(0, 3).Select(i => SampleWeightPeer.Smoothed(z[i], smoothing) * Softplus(-x[i])));
        double dw = Inputs.ExactSum(Enumerable.Range(0, 3).Select(i => SampleWeightPeer.Loss(x[i], z[i], 1, 1, smoothing)));
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} ∂/∂z", Values(g.Labels), dz, i => SampleWeightPeer.Derived<T>(dz[i]));
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} ∂/∂x", Values(g.Logits), dx, i => SampleWeightPeer.Derived<T>(dxScale[i]));
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} ∂/∂q", Values(g.PosWeight), [dq], _ => SampleWeightPeer.Derived<T>(dq));
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} ∂/∂w", SampleWeightGradient(g, [1]), [dw], _ => SampleWeightPeer.Derived<T>(dw));
        SampleWeightPeer.Pass(f);
    }

    // =====================================================================================================
    // Keras: keras-team/keras, keras/src/losses/losses_test.py, BinaryCrossentropyTest (from_logits=True). Keras'
    // per-sample weight [N] against the per-sample losses is a [N, 1] weight against the [N, C] elements; the
    // mapping of its reductions is written out in SampleWeightPeerTests (sum_over_batch_size = Reduction.Mean,
    // sum = Reduction.Sum / C, mean_with_sample_weight = Reduction.WeightedMean).
    // =====================================================================================================

    private static readonly Shaped KerasLabels = Shaped.Of([1, 0, 1, 0, 1, 1], 2, 3);
    private static readonly Shaped KerasLogits = Shaped.Of([10, -10, 10, 10, 10, -10], 2, 3);
    private static readonly Shaped One = Shaped.Of([1], 1);

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_test_scalar_weighted(string type) => Run(type, KerasScalarWeighted<double>, KerasScalarWeighted<float>);

    private static void KerasScalarWeighted<T>()
        where T : IFloatingPointIeee754<T>
    {
        var f = new StringBuilder();
        foreach (var weight in new[] { Shaped.Of([2.3], 1), Shaped.Of([2.3], 1, 1) })
        {
            double loss = Reduced<T>(KerasLabels, KerasLogits, One, weight, Reduction.Mean);
            string what = $"{SampleWeightPeer.Name<T>()} weight of rank {weight.Shape.Length}";
            SampleWeightPeer.KerasDecimal3(f, what, loss, 7.666);
            SampleWeightPeer.Expect(f, $"{what} 10 digits", loss, 7.666771084, SampleWeightPeer.TenDigits<T>(7.666771084));
        }

        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_test_sample_weighted(string type) => Run(type, KerasSampleWeighted<double>, KerasSampleWeighted<float>);

    private static void KerasSampleWeighted<T>()
        where T : IFloatingPointIeee754<T>
    {
        // sample_weight [4, 3] as a [2, 1] weight: the Mean is 10.0 (Keras) = 10.00015890 (10 digits). Its gradients,
        // derived: ∂/∂x = w·∂ℓ/∂x / 6, ∂/∂w = Σ_c ℓ_nc / 6 in [2, 1].
        var weight = Shaped.Of([4, 3], 2, 1);
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        double loss = Reduced<T>(KerasLabels, KerasLogits, One, weight, Reduction.Mean);
        SampleWeightPeer.KerasDecimal3(f, name, loss, 10.0);
        SampleWeightPeer.Expect(f, $"{name} 10 digits", loss, 10.00015890, SampleWeightPeer.TenDigits<T>(10.00015890));

        var g = Gradients<T>(KerasLabels, KerasLogits, One, weight, Reduction.Mean);
        var w = weight.ExpandTo([2, 3]);
        double[] x = KerasLogits.Values, z = KerasLabels.Values;
        var dx = Enumerable.Range(0, 6).Select(i => SampleWeightPeer.Dx(x[i], z[i], 1, w[i]) / 6).ToArray();
        var dxScale = Enumerable.Range(0, 6).Select(i => SampleWeightPeer.DxScale(x[i], z[i], 1, w[i]) / 6).ToArray();
        SampleWeightPeer.Expect(f, $"{name} ∂/∂x", Values(g.Logits), dx, i => SampleWeightPeer.Derived<T>(dxScale[i]));
        var dw = DerivedSampleWeightGradient(x, z, [1], weight, [2, 3], 6);
        SampleWeightPeer.Expect(f, $"{name} ∂/∂w", SampleWeightGradient(g, [2, 1]), dw, i => SampleWeightPeer.Derived<T>(dw[i]));

        // mean_with_sample_weight: Σ w·ℓ / Σ w with Σ w = 3·(4 + 3) = 21 over the expanded elements; its ∂/∂x is
        // w·∂ℓ/∂x / 21.
        double sum = Inputs.ExactSum(SampleWeightPeer.Losses(x, z, [1], w));
        double weighted = Reduced<T>(KerasLabels, KerasLogits, One, weight, Reduction.WeightedMean);
        SampleWeightPeer.Expect(f, $"{name} WeightedMean", weighted, sum / 21, SampleWeightPeer.Derived<T>(sum / 21));
        var gw = Gradients<T>(KerasLabels, KerasLogits, One, weight, Reduction.WeightedMean);
        SampleWeightPeer.Expect(f, $"{name} WeightedMean ∂/∂x", Values(gw.Logits), dx.Select(v => v * 6 / 21).ToArray(),
            i => SampleWeightPeer.Derived<T>(dxScale[i] * 6 / 21));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_test_label_smoothing(string type) => Run(type, KerasLabelSmoothing<double>, KerasLabelSmoothing<float>);

    private static void KerasLabelSmoothing<T>()
        where T : IFloatingPointIeee754<T>
    {
        var f = new StringBuilder();
        double loss = Reduced<T>(Shaped.Of([1, 0, 1], 1, 3), Shaped.Of([10, -10, -10], 1, 3), One, One, Reduction.Mean, 0.1);
        SampleWeightPeer.KerasDecimal3(f, SampleWeightPeer.Name<T>(), loss, (10.0 + (5.0 * 0.1)) / 3.0);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} 10 digits", loss, 3.500045399, SampleWeightPeer.TenDigits<T>(3.500045399));
        SampleWeightPeer.Pass(f);
    }

    // =====================================================================================================
    // PyTorch: pytorch/pytorch, test/test_nn.py (TestNN). torch.rand inputs from a seeded Random.
    // =====================================================================================================

    private static double[] Rand(Random random, int n, double shift = 0) =>
        Enumerable.Range(0, n).Select(_ => random.NextDouble() + shift).ToArray();

    private static void SameBits(StringBuilder f, string what, double[] a, double[] b) => SampleWeightPeer.SameBits(f, what, a, b);

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_broadcasts_weights(string type) => Run(type, BroadcastsWeights<double>, BroadcastsWeights<float>);

    private static void BroadcastsWeights<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Weight [4] and [16, 1] against the same weight expanded to [16, 4] (contiguous): the same bits for the
        // elementwise loss, the reductions, and ∂/∂x of the reductions (why bits: see
        // SampleWeightPeerTests.Torch_test_bce_with_logits_broadcasts_weights). ∂/∂w of the broadcast weight is the
        // expanded one's summed over the broadcast axis: both against the derivation (Σ of unweighted losses).
        var random = new Random(16_4);
        var target = Shaped.Of(Rand(random, 64), 16, 4);
        var output = Shaped.Of(Rand(random, 64, -0.5), 16, 4);
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        var x = SampleWeightPeer.Seen<T>(output.Values);
        var z = SampleWeightPeer.Seen<T>(target.Values);
        foreach (var weight in new[] { Shaped.Of(Rand(random, 4), 4), Shaped.Of(Rand(random, 16), 16, 1) })
        {
            var expanded = Shaped.Of(weight.ExpandTo([16, 4]), 16, 4);
            string what = $"{name} [{string.Join(", ", weight.Shape)}]";
            SameBits(f, $"{what} loss", Loss<T>(target, output, One, weight), Loss<T>(target, output, One, expanded));
            foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean, Reduction.WeightedMean })
            {
                SameBits(f, $"{what} {reduction}", [Reduced<T>(target, output, One, weight, reduction)],
                    [Reduced<T>(target, output, One, expanded, reduction)]);
                var g1 = Gradients<T>(target, output, One, weight, reduction);
                var g2 = Gradients<T>(target, output, One, expanded, reduction);
                SameBits(f, $"{what} {reduction} ∂/∂x", Values(g1.Logits), Values(g2.Logits));
            }

            // PyTorch's 'mean' against the derivation, and ∂mean/∂w in both shapes.
            var w = SampleWeightPeer.Seen<T>(expanded.Values);
            var terms = SampleWeightPeer.Losses(x, z, [1], w);
            double mean = Inputs.ExactSum(terms) / 64;
            SampleWeightPeer.Expect(f, $"{what} mean", Reduced<T>(target, output, One, weight, Reduction.Mean), mean, SampleWeightPeer.Derived<T>(mean));
            var dw = DerivedSampleWeightGradient(x, z, [1], weight, [16, 4], 64);
            SampleWeightPeer.Expect(f, $"{what} ∂mean/∂w", SampleWeightGradient(Gradients<T>(target, output, One, weight, Reduction.Mean), weight.Shape),
                dw, i => SampleWeightPeer.Derived<T>(dw[i]));
            var dwExpanded = DerivedSampleWeightGradient(x, z, [1], expanded, [16, 4], 64);
            SampleWeightPeer.Expect(f, $"{what} expanded ∂mean/∂w",
                SampleWeightGradient(Gradients<T>(target, output, One, expanded, Reduction.Mean), [16, 4]), dwExpanded,
                i => SampleWeightPeer.Derived<T>(dwExpanded[i]));
        }

        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_broadcasts_pos_weights(string type) => Run(type, BroadcastsPosWeights<double>, BroadcastsPosWeights<float>);

    private static void BroadcastsPosWeights<T>()
        where T : IFloatingPointIeee754<T>
    {
        // pos_weight [4], expanded to [1, 4] and to [64, 4]: the same bits (loss and mean), with sample weight [1] and
        // with a per-class sample weight [4].
        var random = new Random(64_4);
        var target = Shaped.Of(Rand(random, 256), 64, 4);
        var output = Shaped.Of(Rand(random, 256, -0.5), 64, 4);
        var q = Rand(random, 4);
        var forms = new[] { Shaped.Of(q, 4), Shaped.Of(q, 1, 4), Shaped.Of(Shaped.Of(q, 4).ExpandTo([64, 4]), 64, 4) };
        var f = new StringBuilder();
        foreach (var sampleWeight in new[] { One, Shaped.Of(Rand(random, 4), 4) })
        {
            string what = $"{SampleWeightPeer.Name<T>()} sample weight [{string.Join(", ", sampleWeight.Shape)}]";
            var loss = Loss<T>(target, output, forms[0], sampleWeight);
            double mean = Reduced<T>(target, output, forms[0], sampleWeight, Reduction.Mean);
            foreach (var form in forms.Skip(1))
            {
                SameBits(f, $"{what} pos_weight [{string.Join(", ", form.Shape)}] loss", Loss<T>(target, output, form, sampleWeight), loss);
                SameBits(f, $"{what} pos_weight [{string.Join(", ", form.Shape)}] mean", [Reduced<T>(target, output, form, sampleWeight, Reduction.Mean)], [mean]);
            }
        }

        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_ones_in_pos_weights_are_the_same_as_none(string type) =>
        Run(type, OnesAreNoneWithinPromise<double>, OnesAreNoneWithinPromise<float>);

    private static void OnesAreNoneWithinPromise<T>()
        where T : IFloatingPointIeee754<T>
    {
        // pos_weight ones(64, 4), sample weight ones(64, 4), sample weight [1], and the overloads without a sample
        // weight: each within the accuracy promise of the same derivation (loss, mean, ∂/∂x, ∂/∂z and ∂/∂w of the
        // mean, ∂/∂x and ∂/∂z of an upstream gradient). The same bits: the _bit_for_bit test below.
        var random = new Random(64_1);
        var target = Shaped.Of(Rand(random, 256), 64, 4);
        var output = Shaped.Of(Rand(random, 256, -0.5), 64, 4);
        var upstream = Shaped.Of(Rand(random, 256), 64, 4);
        var ones = Shaped.Of(Peer.Fill(256, 1.0), 64, 4);
        var x = SampleWeightPeer.Seen<T>(output.Values);
        var z = SampleWeightPeer.Seen<T>(target.Values);
        var u = SampleWeightPeer.Seen<T>(upstream.Values);
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        double[] Of(Op op, double factor = 1, bool scale = false, double[]? by = null) =>
            Enumerable.Range(0, 256).Select(i => (scale ? SampleWeightPeer.ScaleOf(op, x[i], z[i], 1, 1) : SampleWeightPeer.Of(op, x[i], z[i], 1, 1)) *
                (by?[i] ?? 1) * factor).ToArray();
        var loss = Of(Op.Loss);
        double mean = Inputs.ExactSum(loss) / 256;

        var forms = new[] { (ones, One, "pos_weight ones"), (One, ones, "sample weight ones"), (One, One, "sample weight [1]") };
        foreach (var (q, w, what) in forms)
        {
            SampleWeightPeer.Expect(f, $"{name} {what} loss", Loss<T>(target, output, q, w), loss, i => SampleWeightPeer.Derived<T>(loss[i]));
            SampleWeightPeer.Expect(f, $"{name} {what} mean", Reduced<T>(target, output, q, w, Reduction.Mean), mean, SampleWeightPeer.Derived<T>(mean));
            var g = Gradients<T>(target, output, q, w, Reduction.Mean);
            var gu = Nn.WeightedCrossEntropyWithLogitsGradients<T>(
                target.AsTensor<T>(), output.AsTensor<T>(), q.AsTensor<T>(), w.AsTensor<T>(), upstream.AsTensor<T>());
            foreach (var (actual, op, factor, by, grad) in new[]
                     {
                         (Values(g.Logits), Op.LogitsGradient, 1.0 / 256, (double[]?)null, "mean ∂/∂x"),
                         (Values(g.Labels), Op.LabelsGradient, 1.0 / 256, null, "mean ∂/∂z"),
                         (Values(gu.Logits), Op.LogitsGradient, 1.0, u, "upstream ∂/∂x"),
                         (Values(gu.Labels), Op.LabelsGradient, 1.0, u, "upstream ∂/∂z"),
                     })
            {
                var expected = Of(op, factor, false, by);
                var scale = Of(op, factor, true, by);
                SampleWeightPeer.Expect(f, $"{name} {what} {grad}", actual, expected, i => SampleWeightPeer.Derived<T>(scale[i]));
            }

            var dw = DerivedSampleWeightGradient(x, z, [1], w, [64, 4], 256);
            SampleWeightPeer.Expect(f, $"{name} {what} mean ∂/∂w", SampleWeightGradient(g, w.Shape), dw, i => SampleWeightPeer.Derived<T>(dw[i]));
            if (q.Shape.Length == 1)
            {
                // ∂mean/∂q summed to q's [1]: Σ z·sp(−x) / 256, terms ≥ 0.
                double dq = Inputs.ExactSum(Of(Op.PosWeightGradient)) / 256;
                SampleWeightPeer.Expect(f, $"{name} {what} mean ∂/∂q", Values(g.PosWeight), [dq], _ => SampleWeightPeer.Derived<T>(dq));
            }
        }

        var z0 = target.AsTensor<T>();
        var x0 = output.AsTensor<T>();
        SampleWeightPeer.Expect(f, $"{name} no sample weight loss", Values(Nn.WeightedCrossEntropyWithLogits<T>(z0, x0, One.AsTensor<T>())), loss,
            i => SampleWeightPeer.Derived<T>(loss[i]));
        SampleWeightPeer.Expect(f, $"{name} no sample weight mean",
            double.CreateTruncating(Nn.WeightedCrossEntropyWithLogits<T>(z0, x0, One.AsTensor<T>(), Reduction.Mean)), mean, SampleWeightPeer.Derived<T>(mean));
        double dqNone = Inputs.ExactSum(Of(Op.PosWeightGradient)) / 256;
        SampleWeightPeer.Expect(f, $"{name} no sample weight mean ∂/∂q",
            Values(Nn.WeightedCrossEntropyWithLogitsGradients<T>(z0, x0, One.AsTensor<T>(), Reduction.Mean).PosWeight), [dqNone],
            _ => SampleWeightPeer.Derived<T>(dqNone));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_ones_in_pos_weights_are_the_same_as_none_bit_for_bit(string type) =>
        Run(type, OnesAreNone<double>, OnesAreNone<float>);

    private static void OnesAreNone<T>()
        where T : IFloatingPointIeee754<T>
    {
        // pos_weight ones(64, 4) against none, and the same for the sample weight: ones(64, 4) and [1] against the
        // overloads without a sample weight, the same bits for the loss, the mean, and every gradient of the mean
        // and of an upstream gradient (w = 1: w·ℓ is ℓ exactly; see the span version for why bits).
        var random = new Random(64_1);
        var target = Shaped.Of(Rand(random, 256), 64, 4);
        var output = Shaped.Of(Rand(random, 256, -0.5), 64, 4);
        var upstream = Shaped.Of(Rand(random, 256), 64, 4);
        var ones = Shaped.Of(Peer.Fill(256, 1.0), 64, 4);
        var z = target.AsTensor<T>();
        var x = output.AsTensor<T>();
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();

        var none = Values(Nn.WeightedCrossEntropyWithLogits<T>(z, x, One.AsTensor<T>()));
        double noneMean = double.CreateTruncating(Nn.WeightedCrossEntropyWithLogits<T>(z, x, One.AsTensor<T>(), Reduction.Mean));
        var noneGradients = Nn.WeightedCrossEntropyWithLogitsGradients<T>(z, x, One.AsTensor<T>(), Reduction.Mean);
        var noneUpstream = Nn.WeightedCrossEntropyWithLogitsGradients<T>(z, x, One.AsTensor<T>(), upstream.AsTensor<T>());
        Assert.Null(noneGradients.SampleWeight);

        foreach (var (q, w, what) in new[] { (ones, One, "pos_weight ones"), (One, ones, "sample weight ones"), (One, One, "sample weight [1]") })
        {
            SameBits(f, $"{name} {what} loss", Loss<T>(target, output, q, w), none);
            SameBits(f, $"{name} {what} mean", [Reduced<T>(target, output, q, w, Reduction.Mean)], [noneMean]);
            var g = Gradients<T>(target, output, q, w, Reduction.Mean);
            SameBits(f, $"{name} {what} mean ∂/∂x", Values(g.Logits), Values(noneGradients.Logits));
            SameBits(f, $"{name} {what} mean ∂/∂z", Values(g.Labels), Values(noneGradients.Labels));
            var u = Nn.WeightedCrossEntropyWithLogitsGradients<T>(z, x, q.AsTensor<T>(), w.AsTensor<T>(), upstream.AsTensor<T>());
            SameBits(f, $"{name} {what} upstream ∂/∂x", Values(u.Logits), Values(noneUpstream.Logits));
            SameBits(f, $"{name} {what} upstream ∂/∂z", Values(u.Labels), Values(noneUpstream.Labels));
            if (q.Shape.Length == 1)
            {
                SameBits(f, $"{name} {what} mean ∂/∂q", Values(g.PosWeight), Values(noneGradients.PosWeight));
            }
        }

        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_loss_broadcasts_weights(string type) => Run(type, BceLossBroadcasts<double>, BceLossBroadcasts<float>);

    private static void BceLossBroadcasts<T>()
        where T : IFloatingPointIeee754<T>
    {
        // BCELoss(weight)(sigmoid(output), target) written out in probability space (see the span version), with the
        // weight [4] and [16, 1] broadcast by the tensor API, elementwise and 'mean'.
        var random = new Random(16_4_1);
        var target = Shaped.Of(Rand(random, 64), 16, 4);
        var output = Shaped.Of(Rand(random, 64, -0.5), 16, 4);
        var x = SampleWeightPeer.Seen<T>(output.Values);
        var z = SampleWeightPeer.Seen<T>(target.Values);
        var f = new StringBuilder();
        foreach (var weight in new[] { Shaped.Of(Rand(random, 4), 4), Shaped.Of(Rand(random, 16), 16, 1) })
        {
            var w = SampleWeightPeer.Seen<T>(weight.ExpandTo([16, 4]));
            var bce = Enumerable.Range(0, 64)
                .Select(i => -w[i] * ((z[i] * System.Math.Log(Sigmoid(x[i]))) + ((1 - z[i]) * System.Math.Log(Sigmoid(-x[i])))))
                .ToArray();
            string what = $"{SampleWeightPeer.Name<T>()} [{string.Join(", ", weight.Shape)}]";
            SampleWeightPeer.Expect(f, $"{what} elementwise", Loss<T>(target, output, One, weight), bce, i => SampleWeightPeer.Derived<T>(bce[i]));
            double mean = Inputs.ExactSum(bce) / 64;
            SampleWeightPeer.Expect(f, $"{what} mean", Reduced<T>(target, output, One, weight, Reduction.Mean), mean, SampleWeightPeer.Derived<T>(mean));
        }

        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_gives_same_result_as_sigmoid_and_bce_loss_large_tensors_with_grad(string type) =>
        Run(type, LargeWithGrad<double>, LargeWithGrad<float>);

    private static void LargeWithGrad<T>()
        where T : IFloatingPointIeee754<T>
    {
        // [1024, 256] with weight rand(256), for 'none', 'mean' and 'sum': BCEWithLogitsLoss(weight) equals
        // BCELoss(weight)(sigmoid(x)) in value and in ∂/∂x (PyTorch backpropagates rand(1024, 256) for 'none').
        // Here against BCELoss written out: −w·(z·log σ(x) + (1 − z)·log σ(−x)), and its ∂/∂x = w·(σ(x) − z)
        // (scaled by the upstream gradient, or by 1/N for the mean).
        const int rows = 1024, columns = 256, n = rows * columns;
        var random = new Random(1024_256);
        var target = Shaped.Of(Rand(random, n), rows, columns);
        var output = Shaped.Of(Rand(random, n, -0.5), rows, columns);
        var weight = Shaped.Of(Rand(random, columns), columns);
        var upstream = Shaped.Of(Rand(random, n), rows, columns);
        var x = SampleWeightPeer.Seen<T>(output.Values);
        var z = SampleWeightPeer.Seen<T>(target.Values);
        var w = SampleWeightPeer.Seen<T>(weight.ExpandTo([rows, columns]));
        var u = SampleWeightPeer.Seen<T>(upstream.Values);
        var bce = new double[n];
        var dx = new double[n];
        var dxScale = new double[n];
        for (int i = 0; i < n; i++)
        {
            bce[i] = -w[i] * ((z[i] * System.Math.Log(Sigmoid(x[i]))) + ((1 - z[i]) * System.Math.Log(Sigmoid(-x[i]))));
            dx[i] = w[i] * (Sigmoid(x[i]) - z[i]);
            dxScale[i] = SampleWeightPeer.DxScale(x[i], z[i], 1, w[i]);
        }

        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        SampleWeightPeer.Expect(f, $"{name} none", Loss<T>(target, output, One, weight), bce, i => SampleWeightPeer.Derived<T>(bce[i]));
        var g = Nn.WeightedCrossEntropyWithLogitsGradients<T>(
            target.AsTensor<T>(), output.AsTensor<T>(), One.AsTensor<T>(), weight.AsTensor<T>(), upstream.AsTensor<T>());
        SampleWeightPeer.Expect(f, $"{name} none ∂/∂x", Values(g.Logits), dx.Select((v, i) => v * u[i]).ToArray(),
            i => SampleWeightPeer.Derived<T>(dxScale[i] * u[i]));

        double sum = Inputs.ExactSum(bce);
        foreach (var (reduction, divisor) in new[] { (Reduction.Mean, (double)n), (Reduction.Sum, 1.0) })
        {
            SampleWeightPeer.Expect(f, $"{name} {reduction}", Reduced<T>(target, output, One, weight, reduction), sum / divisor,
                SampleWeightPeer.Derived<T>(sum / divisor));
            var gr = Gradients<T>(target, output, One, weight, reduction);
            SampleWeightPeer.Expect(f, $"{name} {reduction} ∂/∂x", Values(gr.Logits), dx.Select(v => v / divisor).ToArray(),
                i => SampleWeightPeer.Derived<T>(dxScale[i] / divisor));
        }

        SampleWeightPeer.Pass(f);
    }

    // ---- PyTorch OpInfo: pytorch/pytorch, torch/testing/_internal/common_methods_invocations.py,
    // sample_inputs_binary_cross_entropy_with_logits, with the real shapes (S = 5): inputs (1,), (S,), (S, S),
    // (S, S, S) with no kwargs (the 0-d shape () is the span test's length-1 case); (S, S) with each reduction; weight
    // (1,), (1, S), (S,), (S, S) with each reduction; pos_weight (S,); weight (S, S) with pos_weight (S,). Logits and
    // weights U(−9, 9), pos_weight U(0, 9), targets U(0, 1). Checked against the derivation: the loss ('none'), the
    // reduced loss, ∂/∂x and ∂/∂w of the reduction (∂/∂w summed to the weight's shape; its terms are the unweighted
    // losses, ≥ 0, so each sum is its own scale). ----

    public sealed record OpInfoCase(string Name, int[] Shape, int[]? WeightShape, bool PosWeight, Reduction Reduction);

    private const int S = 5;

    public static IEnumerable<OpInfoCase> OpInfoCases()
    {
        foreach (var shape in new[] { new[] { 1 }, new[] { S }, new[] { S, S }, new[] { S, S, S } })
        {
            yield return new OpInfoCase($"({string.Join(", ", shape)}), no kwargs", shape, null, false, Reduction.Mean);
        }

        foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
        {
            yield return new OpInfoCase($"(S, S), reduction {reduction}", [S, S], null, false, reduction);
            foreach (var weightShape in new[] { new[] { 1 }, new[] { 1, S }, new[] { S }, new[] { S, S } })
            {
                yield return new OpInfoCase($"(S, S), weight ({string.Join(", ", weightShape)}), reduction {reduction}", [S, S], weightShape, false, reduction);
            }

            yield return new OpInfoCase($"(S, S), pos_weight (S,), reduction {reduction}", [S, S], null, true, reduction);
            yield return new OpInfoCase($"(S, S), weight (S, S), pos_weight (S,), reduction {reduction}", [S, S], [S, S], true, reduction);
        }
    }

    public static TheoryData<string, string> OpInfoNames()
    {
        var data = new TheoryData<string, string>();
        foreach (string type in new[] { "float64", "float32" })
        {
            foreach (var c in OpInfoCases())
            {
                data.Add(type, c.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OpInfoNames))]
    public void Torch_OpInfo_sample_inputs_binary_cross_entropy_with_logits(string type, string name)
    {
        var c = OpInfoCases().First(o => o.Name == name);
        Run(type, () => OpInfoProperty<double>(c), () => OpInfoProperty<float>(c));
    }

    private static void OpInfoProperty<T>(OpInfoCase c)
        where T : IFloatingPointIeee754<T>
    {
        int n = Count(c.Shape);
        int[] weightShape = c.WeightShape ?? [1];
        int[] posWeightShape = c.PosWeight ? [S] : [1];
        var gen =
            from x in Gen.Double[-9, 9].Array[n]
            from z in Gen.Double[0, 1].Array[n]
            from w in Gen.Double[-9, 9].Array[Count(weightShape)]
            from q in Gen.Double[0, 9].Array[Count(posWeightShape)]
            select (X: x, Z: z, W: c.WeightShape is null ? new double[] { 1 } : w, Q: c.PosWeight ? q : new double[] { 1 });
        gen.Sample(t => OpInfoCheck<T>(c, Shaped.Of(t.X, c.Shape), Shaped.Of(t.Z, c.Shape), Shaped.Of(t.W, weightShape), Shaped.Of(t.Q, posWeightShape)),
            iter: 25, print: t => $"x=[{Inputs.Print(t.X)}]\nz=[{Inputs.Print(t.Z)}]\nw=[{Inputs.Print(t.W)}]\nq=[{Inputs.Print(t.Q)}]");
    }

    private static void OpInfoCheck<T>(OpInfoCase c, Shaped logits, Shaped labels, Shaped weight, Shaped posWeight)
        where T : IFloatingPointIeee754<T>
    {
        int n = Count(c.Shape);
        var x = SampleWeightPeer.Seen<T>(logits.Values);
        var z = SampleWeightPeer.Seen<T>(labels.Values);
        var w = SampleWeightPeer.Seen<T>(weight.ExpandTo(c.Shape));
        var q = SampleWeightPeer.Seen<T>(posWeight.ExpandTo(c.Shape));
        var terms = SampleWeightPeer.Losses(x, z, q, w);
        var scales = SampleWeightPeer.LossScales(x, z, q, w);
        var f = new StringBuilder();
        string name = $"{SampleWeightPeer.Name<T>()} {c.Name}";
        if (c.Reduction == Reduction.None)
        {
            SampleWeightPeer.Expect(f, $"{name} loss", Loss<T>(labels, logits, posWeight, weight), terms, i => SampleWeightPeer.Derived<T>(scales[i]));
        }
        else
        {
            double divisor = c.Reduction == Reduction.Mean ? n : 1;
            double expected = Inputs.ExactSum(terms) / divisor;
            double scale = Inputs.ExactSum(scales) / divisor;
            SampleWeightPeer.Expect(f, $"{name} reduced", Reduced<T>(labels, logits, posWeight, weight, c.Reduction), expected,
                SampleWeightPeer.Derived<T>(scale));
            var g = Gradients<T>(labels, logits, posWeight, weight, c.Reduction);
            var dx = Enumerable.Range(0, n).Select(i => SampleWeightPeer.Dx(x[i], z[i], q[i], w[i]) / divisor).ToArray();
            var dxScale = Enumerable.Range(0, n).Select(i => SampleWeightPeer.DxScale(x[i], z[i], q[i], w[i]) / divisor).ToArray();
            SampleWeightPeer.Expect(f, $"{name} ∂/∂x", Values(g.Logits), dx, i => SampleWeightPeer.Derived<T>(dxScale[i]));
            var dw = DerivedSampleWeightGradient(x, z, q, weight, c.Shape, divisor);
            SampleWeightPeer.Expect(f, $"{name} ∂/∂w", SampleWeightGradient(g, weight.Shape), dw, i => SampleWeightPeer.Derived<T>(dw[i]));
        }

        SampleWeightPeer.Pass(f);
    }

    // =====================================================================================================
    // Argument errors: a sample weight that cannot broadcast to the logits' shape, or would enlarge the result
    // (TF's testWeightsWithSameNumDimsButWrongShapeThrowsException: (2, 4) against (2, 3)) -> ArgumentException
    // naming sampleWeight and both shapes; labelSmoothing outside [0, 1] or NaN -> ArgumentOutOfRangeException
    // ("labelSmoothing").
    // =====================================================================================================

    public enum Entry
    {
        Loss,
        Reduced,
        GradientsOfUpstream,
        GradientsOfReduction,
    }

    private static void Call(Entry entry, int[] shape, int[] weightShape, double labelSmoothing)
    {
        var x = Tensor.CreateFromShape<double>(Lengths(shape), false);
        var w = Tensor.Create(Peer.Fill(Count(weightShape), 1.0), Lengths(weightShape));
        var q = Tensor.Create(new double[] { 1 }, [1]);
        switch (entry)
        {
            case Entry.Loss:
                _ = Nn.WeightedCrossEntropyWithLogits<double>(x, x, q, w, labelSmoothing);
                break;
            case Entry.Reduced:
                _ = Nn.WeightedCrossEntropyWithLogits<double>(x, x, q, w, Reduction.Mean, labelSmoothing);
                break;
            case Entry.GradientsOfUpstream:
                _ = Nn.WeightedCrossEntropyWithLogitsGradients<double>(x, x, q, w, x, labelSmoothing);
                break;
            default:
                _ = Nn.WeightedCrossEntropyWithLogitsGradients<double>(x, x, q, w, Reduction.Sum, labelSmoothing);
                break;
        }
    }

    /// <summary>A shape as TF prints it, "(2, 3)" / "(3,)", or as a list, "[2, 3]" / "[3]".</summary>
    private static bool NamesShape(string message, int[] shape)
    {
        string inner = string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string tf = shape.Length == 1 ? $"({inner},)" : $"({inner})";
        return message.Contains(tf, StringComparison.Ordinal) || message.Contains($"[{inner}]", StringComparison.Ordinal);
    }

    public static TheoryData<Entry, int[], int[]> WrongShapes()
    {
        var data = new TheoryData<Entry, int[], int[]>();
        foreach (var entry in Enum.GetValues<Entry>())
        {
            data.Add(entry, [2, 3], [2, 4]);
            data.Add(entry, [2, 2], [3]);
            data.Add(entry, [2, 2], [4, 2]);
            data.Add(entry, [4, 3], [2, 4, 3]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public void Tf_testWeightsWithSameNumDimsButWrongShapeThrowsException_a_sample_weight_of_a_wrong_shape(Entry entry, int[] shape, int[] weightShape)
    {
        var error = Assert.Throws<ArgumentException>(() => Call(entry, shape, weightShape, 0));
        Assert.IsNotType<ArgumentOutOfRangeException>(error);
        Assert.Contains("sampleWeight", error.Message, StringComparison.Ordinal);
        Assert.True(NamesShape(error.Message, shape), $"the logits' shape is not named: {error.Message}");
        Assert.True(NamesShape(error.Message, weightShape), $"the sample weight's shape is not named: {error.Message}");
    }

    public static TheoryData<Entry, double> BadSmoothings()
    {
        var data = new TheoryData<Entry, double>();
        foreach (var entry in Enum.GetValues<Entry>())
        {
            foreach (double smoothing in new[] { -0.1, 1.5, double.NaN })
            {
                data.Add(entry, smoothing);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadSmoothings))]
    public void Label_smoothing_outside_0_1_or_NaN_is_out_of_range(Entry entry, double labelSmoothing)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Call(entry, [2, 3], [3], labelSmoothing));
        Assert.Equal("labelSmoothing", error.ParamName);
    }

    [Fact]
    public void The_shape_helper_finds_both_notations_and_only_the_shape_asked_for()
    {
        // Guards NamesShape itself, so that the shape assertions above can fail.
        Assert.True(NamesShape("shapes (2, 4) and (2, 3)", [2, 4]));
        Assert.True(NamesShape("shape [3] vs [2, 2]", [3]));
        Assert.False(NamesShape("shape (2, 4)", [2, 3]));
        Assert.False(NamesShape("shape (2, 3)", [3]));
    }
}
