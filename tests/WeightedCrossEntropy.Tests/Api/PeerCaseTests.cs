using WeightedCrossEntropy.Tests.Properties;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Api;

/// <summary>
/// The span-relevant cases of <c>shared/reference/peer-cases.md</c> (sections A, C, D, E, F, H) through the public
/// span API, in float64 and float32. Expected values are the listed 10-digit values, or derived in the test where
/// the list gives none (each derivation is written next to it). Tolerances: see <see cref="Peer"/>.
/// </summary>
public sealed class PeerCaseTests
{
    private static readonly double[] DocstringLabels = [1, 0.5, 0];
    private static readonly double[] DocstringLogits = [1.5, -0.1, -10];

    // ---- A. Scalar pos_weight ----

    [Fact]
    public void A1_tf_docstring_with_pos_weight_1_5()
    {
        // TF float32 prints 4.5776367e-05 for the last element (cancellation); the exact value is 4.539889922e-05.
        Peer.Elementwise(Op.Loss, DocstringLabels, DocstringLogits, [1.5], [0.3021199170, 0.8804958251, 4.539889922e-05]);
    }

    [Fact]
    public void A1_float32_last_element_is_not_tf_cancelled_value()
    {
        var destination = new float[3];
        Nn.WeightedCrossEntropyWithLogits<float>([1f, 0.5f, 0f], [1.5f, -0.1f, -10f], [1.5f], destination);
        // x = −10 and z = 0 are exact in float: the result must be within 2 ULP of the exact 4.539889922e-05.
        Assert.InRange(System.Math.Abs(destination[2] - 4.539889922e-05), 0, (2 * Ulp.Unit(4.539889922e-05, true)) + 5e-15);
        Assert.NotEqual(4.5776367e-05f, destination[2]);
    }

    [Fact]
    public void A2_tf_docstring_with_pos_weight_0_5()
    {
        Peer.Elementwise(Op.Loss, DocstringLabels, DocstringLogits, [0.5], [0.1007066390, 0.5082974951, 4.539889922e-05]);
    }

    private static readonly double[] A3Logits = [1, -1, 0, 1, -1, 0, 0];
    private static readonly double[] A3Labels = [0, 0, 0, 1, 1, 1, 0.5];
    private static readonly double[] A3Expected =
        [1.313261688, 0.3132616875, 0.6931471806, 0.3132616875, 1.313261688, 0.6931471806, 0.6931471806];

    [Fact]
    public void A3_pos_weight_1_is_plain_sigmoid_cross_entropy()
    {
        Peer.Elementwise(Op.Loss, A3Labels, A3Logits, [1], A3Expected);
    }

    [Fact]
    public void A3_sigmoid_cross_entropy_matches_tf_sigmoid_docstring()
    {
        var failures = new System.Text.StringBuilder();
        var d64 = new double[A3Logits.Length];
        Nn.SigmoidCrossEntropyWithLogits<double>(A3Labels, A3Logits, d64);
        Peer.Collect(failures, Op.Loss, A3Labels, A3Logits, [1], A3Expected, d64, Peer.Tolerance64, "float64 sigmoid");
        var d32 = new float[A3Logits.Length];
        Nn.SigmoidCrossEntropyWithLogits<float>(Inputs.To<float>(A3Labels), Inputs.To<float>(A3Logits), d32);
        Peer.Collect(failures, Op.Loss, A3Labels, A3Logits, [1], A3Expected, Inputs.Widen(d32), Peer.Tolerance32, "float32 sigmoid");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static readonly double[] A4Logits = [-100, -2, -2, 0, 2, 2, 2, 100];
    private static readonly double[] A4Labels = [0, 0, 1, 0, 0, 1, 0.5, 1];

    [Fact]
    public void A4_tf_test_vector_loss_with_pos_weight_3()
    {
        // TF gives 0 for the first element, in float64 too.
        Peer.Elementwise(Op.Loss, A4Labels, A4Logits, [3],
            [3.720075976e-44, 0.1269280110, 6.380784033, 0.6931471806, 2.126928011, 0.3807840331, 1.253856022, 1.116022793e-43]);
    }

    [Fact]
    public void A4_tf_test_vector_logits_gradient_with_pos_weight_3()
    {
        // Listed as 0 for the last element (x = 100, z = 1): the exact value is −q·σ(−100) = −3·e^−100/(1 + e^−100),
        // which equals −q·sp(−100) = −(that element's loss, 1.116022793e-43) to a relative e^−100.
        Peer.Elementwise(Op.LogitsGradient, A4Labels, A4Logits, [3],
            [3.720075976e-44, 0.1192029220, -2.642391234, 0.5, 0.8807970780, -0.3576087661, 0.2615941560, -1.116022793e-43]);
    }

    private static readonly double[] A5Logits = [-1, 0, 1, 3];
    private static readonly double[] A5Labels = [1, 1, 0, 1];
    private static readonly double[] A5Gradient = [-1.462117157, -1, 0.7310585786, -0.09485174636];

    [Fact]
    public void A5_reduction_none()
    {
        Peer.Elementwise(Op.Loss, A5Labels, A5Logits, [2], [2.626523375, 1.386294361, 1.313261688, 0.09717470315]);
        Peer.Elementwise(Op.LogitsGradient, A5Labels, A5Logits, [2], A5Gradient);
    }

    [Fact]
    public void A5_fused_sum_and_its_gradient()
    {
        Peer.Fused(A5Labels, A5Logits, [2], Reduction.Sum, 5.423254127, A5Gradient);
    }

    [Fact]
    public void A5_fused_mean_and_its_gradient()
    {
        // The listed gradients divided by 4 (exact in binary); their uncertainty, half a unit of the listed 10th
        // digit, is divided by 4 with them.
        Peer.Fused(A5Labels, A5Logits, [2], Reduction.Mean, 1.355813532, A5Gradient.Select(g => g / 4).ToArray(),
            g => Peer.Tolerance64(g * 4) / 4);
    }

    [Fact]
    public void A5_fused_mean_is_the_default_reduction()
    {
        var gradient = new double[4];
        double mean = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(A5Labels, A5Logits, [2], gradient);
        Assert.True(Peer.Within(mean, 1.355813532, Peer.Tolerance64(1.355813532)), $"mean = {mean:R}");
    }

    [Fact]
    public void A6_pytorch_docs_example_for_shape_10_by_64_with_every_reduction()
    {
        const int n = 640;
        var labels = Peer.Fill(n, 1.0);
        var logits = Peer.Fill(n, 1.5);
        Peer.Elementwise(Op.Loss, labels, logits, [1], Peer.Fill(n, 0.2014132780));

        // ∂/∂x = σ(1.5) − 1 = −1/(1 + e^1.5), derived here.
        double dx = -1 / (1 + System.Math.Exp(1.5));
        Peer.Fused(labels, logits, [1], Reduction.Mean, 0.2014132780, Peer.Fill(n, dx / n), Peer.ToleranceDerived);
        // The sum is 640 times the 10-digit value: its uncertainty, 640 · 5e-11, stays below half a unit of the
        // sum's 10th digit (5e-8).
        Peer.Fused(labels, logits, [1], Reduction.Sum, n * 0.2014132780, Peer.Fill(n, dx), Peer.ToleranceDerived);
    }

    // ---- C. Soft labels ----

    private static readonly double[] C10Logits = [0.3, -0.7, 1.2, -2.5];
    private static readonly double[] C10Labels = [0.25, 0.75, 0.9, 0.1];
    private static readonly double[] C10PosWeight = [2, 0.5];

    [Fact]
    public void C10_soft_labels_per_class_weight_loss()
    {
        Peer.Elementwise(Op.Loss, C10Labels, C10Logits, C10PosWeight, [0.9179440556, 0.5144912806, 0.6202366879, 0.1999452476]);
    }

    [Fact]
    public void C10_soft_labels_logits_gradient()
    {
        Peer.Elementwise(Op.LogitsGradient, C10Labels, C10Logits, C10PosWeight, [0.2180531460, -0.1676173576, -0.3398029114, 0.02206527102]);
    }

    [Fact]
    public void C10_soft_labels_labels_gradient()
    {
        Peer.Elementwise(Op.LabelsGradient, C10Labels, C10Logits, C10PosWeight, [0.2543552445, 0.1484069756, -0.9367175327, 1.210555133]);
    }

    [Fact]
    public void C10_soft_labels_pos_weight_gradient()
    {
        Peer.Elementwise(Op.PosWeightGradient, C10Labels, C10Logits, C10PosWeight, [0.1385888111, 0.8273895367, 0.2369542206, 0.2578889734]);
    }

    [Fact]
    public void C11_keras_label_smoothing_mean_over_last_axis()
    {
        // Keras: y_smoothed = y·(1 − 0.1) + 0.5·0.1, loss from logits with pos_weight 1, mean over the last axis.
        double[] y = [1, 0, 1];
        double[] logits = [10, -10, -10];
        var smoothed = y.Select(v => (v * (1 - 0.1)) + (0.5 * 0.1)).ToArray();
        const double expected = 3.500045399;

        double mean64 = Inputs.ExactSum(Peer.Loss64(smoothed, logits, [1])) / 3;
        double mean32 = Inputs.ExactSum(Peer.Loss32(smoothed, logits, [1])) / 3;
        Assert.True(Peer.Within(mean64, expected, Peer.Tolerance64(expected)), $"float64 mean = {mean64:R}");
        Assert.True(Peer.Within(mean32, expected, Peer.Tolerance32(expected)), $"float32 mean = {mean32:R}");

        // One row: the fused Mean is the same number.
        double fused = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(smoothed, logits, [1], new double[3], Reduction.Mean);
        Assert.True(Peer.Within(fused, expected, Peer.Tolerance64(expected)), $"fused mean = {fused:R}");
    }

    [Fact]
    public void C12_keras_reductions_and_sample_weights()
    {
        // y [[1,0,1],[0,1,1]], logits [[10,−10,10],[10,10,−10]]; Keras' per-sample loss is the mean over the last axis.
        double[] y = [1, 0, 1, 0, 1, 1];
        double[] logits = [10, -10, 10, 10, 10, -10];
        foreach (var (losses, tolerance, what) in new[]
                 {
                     (Peer.Loss64(y, logits, [1]), (Func<double, double>)Peer.Tolerance64, "float64"),
                     (Peer.Loss32(y, logits, [1]), Peer.Tolerance32, "float32"),
                 })
        {
            double row0 = Inputs.ExactSum(losses.Take(3)) / 3;
            double row1 = Inputs.ExactSum(losses.Skip(3)) / 3;
            void Expect(double actual, double expected, string name) =>
                Assert.True(Peer.Within(actual, expected, tolerance(expected)), $"{what} {name} = {actual:R}, expected {expected:R}");

            Expect(row0, 4.539889922e-05, "none[0]");
            Expect(row1, 6.666712066, "none[1]");
            Expect((row0 + row1) / 2, 3.333378732, "sum_over_batch_size");
            Expect(row0 + row1, 6.666757464, "sum");
            Expect(((2.3 * row0) + (2.3 * row1)) / 2, 7.666771084, "sample_weight=2.3");
            Expect(((4 * row0) + (3 * row1)) / 2, 10.00015890, "sample_weight=[4,3]");
        }
    }

    // ---- D. Large logits and cancellation ----

    [Fact]
    public void D13_logit_plus_100_with_pos_weight_2()
    {
        double[] z = [0, 1, 0.5];
        double[] x = [100, 100, 100];
        Peer.Elementwise(Op.Loss, z, x, [2], [100, 7.440151952e-44, 50]);
        // Listed as 1, 0, 0.5; the middle one is −2·σ(−100) = −7.440151952e-44 (= −the loss, to a relative e^−100).
        Peer.Elementwise(Op.LogitsGradient, z, x, [2], [1, -7.440151952e-44, 0.5]);
    }

    [Fact]
    public void D13_logit_minus_100_with_pos_weight_2()
    {
        double[] z = [0, 1, 0.5];
        double[] x = [-100, -100, -100];
        Peer.Elementwise(Op.Loss, z, x, [2], [3.720075976e-44, 200, 100]);
        // Listed as 3.7e-44, −2, −1; σ(−100) = 3.720075976e-44 (A4's first gradient).
        Peer.Elementwise(Op.LogitsGradient, z, x, [2], [3.720075976e-44, -2, -1]);
    }

    [Fact]
    public void D13_logits_plus_and_minus_ten_thousand()
    {
        double[] z = [0, 1, 0.5, 0, 1, 0.5];
        double[] x = [1e4, 1e4, 1e4, -1e4, -1e4, -1e4];
        Peer.Elementwise(Op.Loss, z, x, [2], [1e4, 0, 5000, 0, 2e4, 1e4]);
        // Not listed; derived: (1 − z)·σ(x) − q·z·σ(−x) with σ(1e4) = 1 and σ(−1e4) = e^−1e4, which is 0 in both
        // float64 and float32.
        Peer.Elementwise(Op.LogitsGradient, z, x, [2], [1, 0, 0.5, 0, -2, -1]);
    }

    /// <remarks>
    /// peer-cases.md lists 2.061153622e-09 for x = −20, which is e^−20, the leading term only: the exact value is
    /// sp(−20) = log1p(e^−20) = e^−20 − e^−40/2 + e^−60/3 − … = 2.0611536203e-09 (golden.csv agrees:
    /// 2.061153620314381e-09), off from the listed value in the 10th digit. The test derives it from the series
    /// (relative error of the truncation e^−60 ≈ 1e-26; of the arithmetic, a few 1e-16). For x = −10 the listed
    /// 4.539889922e-05 is right.
    /// </remarks>
    [Theory]
    [InlineData(-10)]
    [InlineData(-20)]
    public void D14_cancellation_probes_keep_relative_accuracy(double x)
    {
        // TF and PyTorch in float32 give 4.577636719e-05 and 0. Required here: relative accuracy, in float64 to the
        // 10 listed digits (x = −10) or the derivation (x = −20) and in float32 to 2 ULP of the exact value
        // (x = −10, −20 and z = 0 are exact in float).
        double e = System.Math.Exp(x);
        double series = e - (e * e / 2) + (e * e * e / 3);
        double expected = x == -10 ? 4.539889922e-05 : series;
        double tolerance = x == -10 ? Peer.Tolerance64(expected) : 1e-15 * expected;
        Assert.True(x != -10 || System.Math.Abs(series - expected) <= tolerance, "the series agrees with the listed value");

        var d64 = new double[1];
        Nn.WeightedCrossEntropyWithLogits<double>([0.0], [x], [1.0], d64);
        Assert.True(Peer.Within(d64[0], expected, tolerance), $"float64: {d64[0]:R}, expected {expected:R}");

        var d32 = new float[1];
        Nn.WeightedCrossEntropyWithLogits<float>([0f], [(float)x], [1f], d32);
        double error = System.Math.Abs(d32[0] - expected);
        Assert.True(error <= (2 * Ulp.Unit(expected, true)) + (5e-10 * expected),
            $"float32: {d32[0]:R}, relative error {error / expected:G3}");

        var sigmoid32 = new float[1];
        Nn.SigmoidCrossEntropyWithLogits<float>([0f], [(float)x], sigmoid32);
        Assert.Equal(d32[0], sigmoid32[0]);
    }

    [Fact]
    public void D15_pytorch_stability_regression()
    {
        double[] x = [0, -120];
        double[] z = [0, 1];
        Peer.Elementwise(Op.Loss, z, x, [1, 1], [0.6931471806, 120]);
        // Gradient derived: σ(0) = 0.5 and −σ(120) = −1 (to a relative e^−120), each divided by 2 for the mean.
        Peer.Fused(z, x, [1, 1], Reduction.Mean, 60.34657359, [0.25, -0.5]);
        var gradient = new float[2];
        float mean = Nn.WeightedCrossEntropyWithLogitsAndGradient<float>([0f, 1f], [0f, -120f], [1f, 1f], gradient, Reduction.Mean);
        Assert.True(float.IsFinite(mean) && float.IsFinite(gradient[0]) && float.IsFinite(gradient[1]));
    }

    [Fact]
    public void D16_optax_extreme_logits()
    {
        double[] logits = [-1e9, -1e-9];
        Peer.Elementwise(Op.Loss, [1, 0], logits, [1], [1e9, 0.6931471801]);

        // Gradients derived: label 1 at x = −1e9 gives −σ(1e9) = −1; label 0 at x = −1e−9 gives σ(−1e−9).
        double sigmoidOfMinusTiny = 1 / (1 + System.Math.Exp(1e-9));
        Peer.Fused([1, 0], logits, [1], Reduction.Mean, 500000000.3, [-0.5, sigmoidOfMinusTiny / 2], Peer.ToleranceDerived);
        // Labels [0, 1]: σ(−1e9) = 0 and −σ(1e−9).
        Peer.Fused([0, 1], logits, [1], Reduction.Mean, 0.3465735905, [0, -(1 - sigmoidOfMinusTiny) / 2], Peer.ToleranceDerived);
        Peer.Fused([1, 0], [0, 0], [1], Reduction.Mean, 0.6931471806, [-0.25, 0.25]);
    }

    // ---- E. Infinite and NaN logits (q = 2) ----

    private static readonly double[] InfiniteLogits =
        [double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity];

    private static readonly double[] InfiniteLabels = [0, 1, 0.5, 0, 1, 0.5];

    [Fact]
    public void E17_E18_infinite_logits_give_the_limit_loss()
    {
        // TF gives NaN for (+∞, 1), (−∞, 0), (−∞, 1), (−∞, 0.5).
        const double inf = double.PositiveInfinity;
        Peer.Elementwise(Op.Loss, InfiniteLabels, InfiniteLogits, [2], [inf, 0, inf, 0, inf, inf]);
    }

    [Fact]
    public void E17_E18_infinite_logits_give_the_limit_gradients()
    {
        // Limits, derived: ∂/∂x → 1 − z at +∞ and −q·z at −∞; ∂/∂z = q·sp(−x) − sp(x) → −∞ at +∞ and +∞ at −∞
        // (q > 0); ∂/∂q = z·sp(−x) → 0 at +∞, and at −∞ +∞ for z > 0 and 0 for z = 0.
        const double inf = double.PositiveInfinity;
        Peer.Elementwise(Op.LogitsGradient, InfiniteLabels, InfiniteLogits, [2], [1, 0, 0.5, 0, -2, -1]);
        Peer.Elementwise(Op.LabelsGradient, InfiniteLabels, InfiniteLogits, [2], [-inf, -inf, -inf, inf, inf, inf]);
        Peer.Elementwise(Op.PosWeightGradient, InfiniteLabels, InfiniteLogits, [2], [0, 0, 0, 0, inf, inf]);
    }

    [Fact]
    public void E19_nan_logit_gives_nan_for_every_label_and_every_result()
    {
        double[] z = [0, 1, 0.5];
        double[] x = [double.NaN, double.NaN, double.NaN];
        foreach (var op in Ops.All)
        {
            Peer.Elementwise(op, z, x, [2], [double.NaN, double.NaN, double.NaN]);
        }
    }

    [Fact]
    public void E19_nan_label_or_weight_gives_nan_in_every_result()
    {
        // shared/reference/README.md: any NaN input gives NaN in every column.
        foreach (var op in Ops.All)
        {
            Peer.Elementwise(op, [double.NaN, double.NaN], [1.0, -1.0], [2], [double.NaN, double.NaN]);
            Peer.Elementwise(op, [0.5, 0.0], [1.0, -1.0], [double.NaN], [double.NaN, double.NaN]);
        }
    }

    [Fact]
    public void E19_nan_propagates_to_fused_sum_and_mean()
    {
        double[] z = [1, 0.5, 0, 1, 0.25];
        double[] x = [1.5, double.NaN, -3, 2, 0.5];
        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
        {
            var g64 = new double[5];
            double loss64 = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, [2], g64, reduction);
            Assert.True(double.IsNaN(loss64), $"float64 {reduction}: {loss64:R}");
            Assert.True(double.IsNaN(g64[1]));
            Assert.All(new[] { 0, 2, 3, 4 }, i => Assert.True(double.IsFinite(g64[i])));

            var g32 = new float[5];
            float loss32 = Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
                Inputs.To<float>(z), Inputs.To<float>(x), [2f], g32, reduction);
            Assert.True(float.IsNaN(loss32), $"float32 {reduction}: {loss32:R}");
            Assert.True(float.IsNaN(g32[1]));
        }
    }

    [Fact]
    public void E17_infinite_element_loss_makes_fused_sum_and_mean_infinite()
    {
        // x = +∞ with z = 0 has loss +∞ and gradient 1 (÷N for the mean); x = +∞ with z = 1 has loss 0.
        double[] z = [0, 1, 0.5];
        double[] x = [double.PositiveInfinity, double.PositiveInfinity, 0];
        // At (0, 0.5, q = 2) the gradient is 0.5·0.5 − 2·0.5·0.5 = −0.25.
        Peer.Fused(z, x, [2], Reduction.Sum, double.PositiveInfinity, [1, 0, -0.25]);
        Peer.Fused(z, x, [2], Reduction.Mean, double.PositiveInfinity, [1.0 / 3, 0, -0.25 / 3]);

        // Without the +∞ element the sum is finite: (+∞, z = 1) contributes exactly 0, and (0, 0.5, q = 2) gives
        // 0.5·ln 2 + ln 2 (derived).
        double expected = 1.5 * System.Math.Log(2);
        Peer.Fused([1, 0.5], [double.PositiveInfinity, 0], [2], Reduction.Sum, expected, [0, -0.25], Peer.ToleranceDerived);
    }

    // ---- F. pos_weight 0 and negative ----

    [Fact]
    public void F20_pos_weight_zero()
    {
        double[] x = [2, -2, 2, 0.5];
        double[] z = [1, 1, 0, 0.5];
        Peer.Elementwise(Op.Loss, z, x, [0], [0, 0, 2.126928011, 0.4870384921]);
        // (−2, 1) not listed; derived: (1 − 1)·σ(−2) − 0 = 0.
        Peer.Elementwise(Op.LogitsGradient, z, x, [0], [0, 0, 0.8807970780, 0.3112296656]);
    }

    [Fact]
    public void F20_pos_weight_zero_at_infinite_logits()
    {
        // TF gives NaN at (+∞, z = 1). The limit is 0; at (−∞, z = 1) a zero weight times sp(+∞) counts as 0.
        Peer.Elementwise(Op.Loss, [1, 1], [double.PositiveInfinity, double.NegativeInfinity], [0], [0, 0]);
    }

    [Fact]
    public void F21_negative_pos_weight()
    {
        double[] x = [2, -2, 0.5];
        double[] z = [1, 1, 0.5];
        Peer.Elementwise(Op.Loss, z, x, [-1], [-0.1269280110, -2.126928011, 0.25]);
        Peer.Elementwise(Op.LogitsGradient, z, x, [-1], [0.1192029220, 0.8807970780, 0.5]);
    }

    // ---- H. Gradients ----

    [Fact]
    public void H26_gradient_at_zero_is_the_true_derivative()
    {
        // (1 − z)/2 − q·z/2, exact in binary: no tolerance. Autodiff through abs/relu would give 1, 0, 0, 0.5.
        double[] z = [0, 0, 0, 1, 1, 0.5];
        double[] q = [1, 3, 0, 1, 3, 3];
        double[] expected = [0.5, 0.5, 0.5, -0.5, -1.5, -0.5];
        var x = new double[6];
        Peer.Elementwise(Op.LogitsGradient, z, x, q, expected, float32: true, tolerance64: _ => 0);

        var d32 = new float[6];
        Nn.WeightedCrossEntropyWithLogitsGradient<float>(Inputs.To<float>(z), new float[6], Inputs.To<float>(q), d32);
        Assert.Equal(Inputs.To<float>(expected), d32);
    }

    [Fact]
    public void H26_pytorch_sum_reduction_at_zero_logits()
    {
        // zeros(3, 1) logits and targets, pos_weight ones: loss 3·ln 2, gradient 0.5 each (derived).
        var gradient = new double[3];
        double sum = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(new double[3], new double[3], [1.0], gradient, Reduction.Sum);
        Assert.Equal([0.5, 0.5, 0.5], gradient);
        Assert.True(Peer.Within(sum, 3 * System.Math.Log(2), Peer.ToleranceDerived(3 * System.Math.Log(2))), $"sum = {sum:R}");
    }

    [Fact]
    public void H27_labels_and_pos_weight_gradients_at_zero()
    {
        Peer.Elementwise(Op.LabelsGradient, [0.5], [0], [3], [1.386294361]);
        Peer.Elementwise(Op.PosWeightGradient, [0.5], [0], [3], [0.3465735903]);
    }

    [Fact]
    public void H28_finite_differences_on_a_fixed_grid()
    {
        // The random version is FiniteDifferenceProperties; this grid includes x = 0 exactly.
        var points =
            from x in new[] { -5, -1.3, -0.2, 0, 1e-3, 0.7, 2.9, 5 }
            from z in new[] { 0, 0.3, 1 }
            from q in new[] { 0.1, 1, 3.7, 10 }
            select (x, z, q);
        foreach (var (x, z, q) in points)
        {
            FiniteDifferences.Check(x, z, q);
        }
    }
}
