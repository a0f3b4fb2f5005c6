using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using WeightedCrossEntropy.Tests.Properties;
using Xunit;
using static WeightedCrossEntropy.Tests.Tensors.TensorReference;

namespace WeightedCrossEntropy.Tests.Api;

/// <summary>
/// Calls of the span API with a sample weight and label smoothing, the derivation they are checked against, and the
/// tolerances, shared by <see cref="SampleWeightPeerTests"/> and <see cref="SampleWeightPeerTensorTests"/>.
/// </summary>
/// <remarks>
/// <para><b>Derivation.</b> <c>w·((1 − z')·sp(x) + q·z'·sp(−x))</c> with <c>z' = z·(1 − ε) + ε/2</c> and
/// <c>∂/∂x = w·((1 − z')·σ(x) − q·z'·σ(−x))</c>, evaluated in double with <see cref="Softplus"/> and
/// <see cref="Sigmoid"/> of <c>TensorReference</c> (relative error of a few 1e-16 per term). Float32 calls are
/// derived from their inputs rounded to float, as the call sees them.</para>
/// <para><b>Tolerances.</b> <see cref="Exact{T}"/>, against a value known exactly (or to far below one ULP): the
/// library promises each element within 3 ULP (float64) or 2 ULP (float32) of the exact <c>w·loss</c>, and a reduced
/// value within 4 ULP (float64) or 2 ULP (float32) of the correctly rounded sum of its elements. Measured against
/// <c>scale</c> = Σ|element| (the value itself where every element has one sign), that is at most
/// 3 + 4 (+ ½ for a division in the test) = 7.5 units of 2^−52, so 8·2^−52·scale, and 2 + 2 units of 2^−23 (+ 2^−52
/// for a division in double), so (4·2^−23 + 2^−52)·scale, in float32. Subnormal results are counted as the
/// reference README counts them: the smallest normal number is the unit below it (4 of them, 8 in float64).
/// <see cref="Derived{T}"/> adds the derivation's own error, 1e-13·scale (the bound <c>TensorReference.Close64</c>
/// uses for the same formulas).</para>
/// </remarks>
internal static class SampleWeightPeer
{
    private const double MinNormal32 = 1.1754943508222875e-38;
    private const double MinNormal64 = 2.2250738585072014e-308;
    private static readonly double Epsilon32 = System.Math.ScaleB(1.0, -23);
    private static readonly double Epsilon64 = System.Math.ScaleB(1.0, -52);

    public static bool IsFloat32<T>() => typeof(T) == typeof(float);

    public static string Name<T>() => IsFloat32<T>() ? "float32" : "float64";

    /// <summary>The values as a call of type <typeparamref name="T"/> sees them (rounded to float for float32).</summary>
    public static double[] Seen<T>(double[] values)
        where T : IFloatingPointIeee754<T> => Inputs.Widen(Inputs.To<T>(values));

    public static double Exact<T>(double scale) =>
        IsFloat32<T>()
            ? (((4 * Epsilon32) + Epsilon64) * System.Math.Abs(scale)) + (4 * MinNormal32)
            : (8 * Epsilon64 * System.Math.Abs(scale)) + (8 * MinNormal64);

    public static double Derived<T>(double scale) => Exact<T>(scale) + (1e-13 * System.Math.Abs(scale));

    // ---- the derivation ----

    public static double Smoothed(double z, double labelSmoothing) => (z * (1 - labelSmoothing)) + (labelSmoothing / 2);

    public static double Loss(double x, double z, double q, double w, double labelSmoothing = 0)
    {
        double s = Smoothed(z, labelSmoothing);
        return w * (((1 - s) * Softplus(x)) + (q * s * Softplus(-x)));
    }

    public static double LossScale(double x, double z, double q, double w, double labelSmoothing = 0)
    {
        double s = Smoothed(z, labelSmoothing);
        return System.Math.Abs(w) * (System.Math.Abs((1 - s) * Softplus(x)) + System.Math.Abs(q * s * Softplus(-x)));
    }

    public static double Dx(double x, double z, double q, double w, double labelSmoothing = 0)
    {
        double s = Smoothed(z, labelSmoothing);
        return w * (((1 - s) * Sigmoid(x)) - (q * s * Sigmoid(-x)));
    }

    public static double DxScale(double x, double z, double q, double w, double labelSmoothing = 0)
    {
        double s = Smoothed(z, labelSmoothing);
        return System.Math.Abs(w) * (System.Math.Abs((1 - s) * Sigmoid(x)) + System.Math.Abs(q * s * Sigmoid(-x)));
    }

    /// <summary>Each elementwise result of the contract, derived: ∂/∂z = w·(1 − ε)·(q·sp(−x) − sp(x)) (with respect
    /// to the unsmoothed label), ∂/∂q = w·z'·sp(−x).</summary>
    public static double Of(Op op, double x, double z, double q, double w, double labelSmoothing = 0) => op switch
    {
        Op.Loss => Loss(x, z, q, w, labelSmoothing),
        Op.LogitsGradient => Dx(x, z, q, w, labelSmoothing),
        Op.LabelsGradient => w * (1 - labelSmoothing) * ((q * Softplus(-x)) - Softplus(x)),
        _ => w * Smoothed(z, labelSmoothing) * Softplus(-x),
    };

    /// <summary>The size of the terms of <see cref="Of"/>, the scale its error is measured against.</summary>
    public static double ScaleOf(Op op, double x, double z, double q, double w, double labelSmoothing = 0) => op switch
    {
        Op.Loss => LossScale(x, z, q, w, labelSmoothing),
        Op.LogitsGradient => DxScale(x, z, q, w, labelSmoothing),
        Op.LabelsGradient => System.Math.Abs(w * (1 - labelSmoothing)) * (System.Math.Abs(q * Softplus(-x)) + Softplus(x)),
        _ => System.Math.Abs(w * Smoothed(z, labelSmoothing) * Softplus(-x)),
    };

    /// <summary>Element i uses values[i % values.Length] (the span API's broadcast), written out.</summary>
    public static double[] Cycle(double[] values, int n) => Enumerable.Range(0, n).Select(i => values[i % values.Length]).ToArray();

    /// <summary>One weight per row of <paramref name="columns"/> elements, expanded to every element.</summary>
    public static double[] PerRow(double[] rowWeights, int columns) =>
        rowWeights.SelectMany(w => Enumerable.Repeat(w, columns)).ToArray();

    public static double[] Losses(double[] x, double[] z, double[] q, double[] w, double labelSmoothing = 0) =>
        Enumerable.Range(0, x.Length)
            .Select(i => Loss(x[i], z[i], q[i % q.Length], w[i % w.Length], labelSmoothing)).ToArray();

    public static double[] LossScales(double[] x, double[] z, double[] q, double[] w, double labelSmoothing = 0) =>
        Enumerable.Range(0, x.Length)
            .Select(i => LossScale(x[i], z[i], q[i % q.Length], w[i % w.Length], labelSmoothing)).ToArray();

    // ---- the library through the span API, as double ----

    public static double[] Elementwise<T>(
        Op op, double[] labels, double[] logits, double[] posWeight, double[] sampleWeight, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        var z = Inputs.To<T>(labels);
        var x = Inputs.To<T>(logits);
        var q = Inputs.To<T>(posWeight);
        var w = Inputs.To<T>(sampleWeight);
        var d = new T[x.Length];
        switch (op)
        {
            case Op.Loss:
                Nn.WeightedCrossEntropyWithLogits<T>(z, x, q, w, d, labelSmoothing);
                break;
            case Op.LogitsGradient:
                Nn.WeightedCrossEntropyWithLogitsGradient<T>(z, x, q, w, d, labelSmoothing);
                break;
            case Op.LabelsGradient:
                Nn.WeightedCrossEntropyWithLogitsLabelsGradient<T>(z, x, q, w, d, labelSmoothing);
                break;
            default:
                Nn.WeightedCrossEntropyWithLogitsPosWeightGradient<T>(z, x, q, w, d, labelSmoothing);
                break;
        }

        return Inputs.Widen(d);
    }

    public static double[] Losses<T>(double[] labels, double[] logits, double[] posWeight, double[] sampleWeight, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T> => Elementwise<T>(Op.Loss, labels, logits, posWeight, sampleWeight, labelSmoothing);

    public static double Reduced<T>(
        double[] labels, double[] logits, double[] posWeight, double[] sampleWeight, Reduction reduction, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T> =>
        double.CreateTruncating(Nn.WeightedCrossEntropyWithLogits<T>(
            Inputs.To<T>(labels), Inputs.To<T>(logits), Inputs.To<T>(posWeight), Inputs.To<T>(sampleWeight), reduction, labelSmoothing));

    public static (double Loss, double[] Gradient) Fused<T>(
        double[] labels, double[] logits, double[] posWeight, double[] sampleWeight, Reduction reduction, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        var gradient = new T[logits.Length];
        T loss = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(
            Inputs.To<T>(labels), Inputs.To<T>(logits), Inputs.To<T>(posWeight), Inputs.To<T>(sampleWeight), gradient, reduction, labelSmoothing);
        return (double.CreateTruncating(loss), Inputs.Widen(gradient));
    }

    public static byte[] Bytes(double[] labels) => labels.Select(z => z == 1 ? (byte)1 : (byte)0).ToArray();

    public static double[] LossesBytes<T>(byte[] labels, double[] logits, double[] posWeight, double[] sampleWeight, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        var d = new T[logits.Length];
        Nn.WeightedCrossEntropyWithLogits<T>(labels, Inputs.To<T>(logits), Inputs.To<T>(posWeight), Inputs.To<T>(sampleWeight), d, labelSmoothing);
        return Inputs.Widen(d);
    }

    public static double ReducedBytes<T>(
        byte[] labels, double[] logits, double[] posWeight, double[] sampleWeight, Reduction reduction, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T> =>
        double.CreateTruncating(Nn.WeightedCrossEntropyWithLogits<T>(
            labels, Inputs.To<T>(logits), Inputs.To<T>(posWeight), Inputs.To<T>(sampleWeight), reduction, labelSmoothing));

    public static (double Loss, double[] Gradient) FusedBytes<T>(
        byte[] labels, double[] logits, double[] posWeight, double[] sampleWeight, Reduction reduction, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        var gradient = new T[logits.Length];
        T loss = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(
            labels, Inputs.To<T>(logits), Inputs.To<T>(posWeight), Inputs.To<T>(sampleWeight), gradient, reduction, labelSmoothing);
        return (double.CreateTruncating(loss), Inputs.Widen(gradient));
    }

    // ---- assertions ----

    public static void Expect(StringBuilder failures, string what, double actual, double expected, double tolerance)
    {
        if (!Peer.Within(actual, expected, tolerance))
        {
            failures.AppendLine(CultureInfo.InvariantCulture,
                $"{what} = {actual:R}, expected {expected:R} ± {tolerance:G3} (off by {actual - expected:G3})");
        }
    }

    public static void Expect(
        StringBuilder failures, string what, double[] actual, double[] expected, Func<int, double> tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Expect(failures, $"{what}[{i}]", actual[i], expected[i], tolerance(i));
        }
    }

    /// <summary>Same bits, element by element (NaN payloads aside: any NaN matches any NaN).</summary>
    public static void SameBits(StringBuilder failures, string what, double[] a, double[] b)
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            bool same = double.IsNaN(a[i]) ? double.IsNaN(b[i]) : BitConverter.DoubleToInt64Bits(a[i]) == BitConverter.DoubleToInt64Bits(b[i]);
            if (!same)
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"{what}[{i}]: {a[i]:R} and {b[i]:R} differ");
                return;
            }
        }
    }

    public static void Pass(StringBuilder failures) => Assert.True(failures.Length == 0, failures.ToString());

    /// <summary>TensorFlow's <c>assertAlmostEqual(a, b, 3)</c> (unittest: <c>round(a − b, 3) == 0</c>).</summary>
    public static void TfPlaces3(StringBuilder failures, string what, double actual, double literal) =>
        Expect(failures, $"{what} (TF's literal, 3 places)", actual, literal, 5e-4);

    /// <summary>Keras' <c>assertAlmostEqual(a, b)</c>: numpy's <c>assert_almost_equal(decimal=3)</c>,
    /// |a − b| &lt; 1.5·10^−3.</summary>
    public static void KerasDecimal3(StringBuilder failures, string what, double actual, double literal) =>
        Expect(failures, $"{what} (Keras' literal, decimal=3)", actual, literal, 1.5e-3);

    /// <summary>The 10-digit values of peer-cases.md (see <see cref="Peer"/>).</summary>
    public static double TenDigits<T>(double expected) =>
        IsFloat32<T>() ? Peer.Tolerance32(expected) : Peer.Tolerance64(expected);
}

/// <summary>
/// The peers' own tests of sample weights and label smoothing (TensorFlow's <c>SigmoidCrossEntropyLossTest</c> and
/// the weight patterns of its <c>LogLossTest</c>, Keras' <c>BinaryCrossentropyTest</c>, PyTorch's
/// <c>test_bce_with_logits_*</c> and the OpInfo samples of <c>binary_cross_entropy_with_logits</c>) through the span
/// API, float64 and float32, each named after the peer's test. Expected values: the peer's literal with the tolerance
/// its assertion uses, and the exact value or a derivation written here with the tolerances of
/// <see cref="SampleWeightPeer"/>; where the peer asserts that two computations agree, the same agreement.
/// </summary>
public sealed class SampleWeightPeerTests
{
    public static TheoryData<string> Types => new() { "float64", "float32" };

    private static void Run(string type, Action float64, Action float32) => (type == "float32" ? float32 : float64)();

    // =====================================================================================================
    // TensorFlow: tensorflow/tensorflow, tensorflow/python/kernel_tests/nn_ops/losses_test.py,
    // class SigmoidCrossEntropyLossTest (the same cases in tensorflow/python/kernel_tests/losses_test.py of TF 1.x).
    // tf.compat.v1.losses.sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
    // reduction=SUM_BY_NONZERO_WEIGHTS): labels smoothed as z·(1 − L) + 0.5·L, the loss times the weights, and
    // SUM_BY_NONZERO_WEIGHTS = Σ w·loss / (the number of nonzero weights, the weights broadcast to the loss's shape;
    // 0 where there are none: TF's safe division). The library has no such reduction: it is computed here from
    // Reduction.Sum divided by that count.
    // =====================================================================================================

    private static double Tf1SumByNonzeroWeights<T>(
        double[] labels, double[] logits, double[] sampleWeight, double labelSmoothing = 0)
        where T : IFloatingPointIeee754<T>
    {
        int count = SampleWeightPeer.Cycle(sampleWeight, logits.Length).Count(w => w != 0);
        double sum = SampleWeightPeer.Reduced<T>(labels, logits, [1], sampleWeight, Reduction.Sum, labelSmoothing);
        return count == 0 ? 0 : sum / count;
    }

    private static readonly double[] TfLogits = [100, -100, -100, -100, 100, -100, -100, -100, 100];
    private static readonly double[] TfCorrectLabels = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    private static readonly double[] TfWrongLabels = [0, 0, 1, 1, 0, 0, 0, 1, 0];

    /// <summary>sp(−100) = log1p(e^−100) = e^−100 to a relative e^−100: the loss of a correct ±100 logit.</summary>
    private static readonly double Sp100 = System.Math.Exp(-100);

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testAllCorrectSigmoid(string type) => Run(type, AllCorrect<double>, AllCorrect<float>);

    private static void AllCorrect<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Default weights 1.0: nine nonzero weights. Every element's loss is sp(−100).
        var f = new StringBuilder();
        double loss = Tf1SumByNonzeroWeights<T>(TfCorrectLabels, TfLogits, [1]);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, 0.0);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, Sp100, SampleWeightPeer.Exact<T>(Sp100));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [InlineData("float64", 1)]
    [InlineData("float32", 1)]
    [InlineData("float64", 2)]
    [InlineData("float32", 2)]
    public void Tf_testLossWithSingleDimPlaceholderForLogitsAndWeights(string type, int columns) =>
        Run(type, () => SingleDim<double>(columns), () => SingleDim<float>(columns));

    private static void SingleDim<T>(int columns)
        where T : IFloatingPointIeee754<T>
    {
        // Logits and labels ones of shape (32, columns) (testLossWithSingleDimPlaceholderForLogitsAndWeights1 and 2),
        // weights ones_like(logits): every element weighs 1, so the loss is sp(−1) = 0.3132616875...
        int n = 32 * columns;
        var ones = Peer.Fill(n, 1.0);
        var f = new StringBuilder();
        double loss = Tf1SumByNonzeroWeights<T>(ones, ones, ones);
        double expected = Softplus(-1);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, 0.313);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} derived", loss, expected, SampleWeightPeer.Derived<T>(expected));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testAllWrongSigmoid(string type) => Run(type, AllWrong<double>, AllWrong<float>);

    private static void AllWrong<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Six wrong elements of loss sp(100) = 100 (+ e^−100), three right ones of sp(−100): 600/9 to far below an ULP.
        var f = new StringBuilder();
        double loss = Tf1SumByNonzeroWeights<T>(TfWrongLabels, TfLogits, [1]);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, 600.0 / 9.0);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, 600.0 / 9.0, SampleWeightPeer.Exact<T>(600.0 / 9.0));
        SampleWeightPeer.Pass(f);
    }

    private static readonly double[] TfMeasurementWeights = [3, 4, 5, 2, 6, 0, 8, 0, 1];

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testAllWrongSigmoidWithMeasurementSpecificWeights(string type) =>
        Run(type, MeasurementSpecific<double>, MeasurementSpecific<float>);

    private static void MeasurementSpecific<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Wrong elements (0,0), (0,2), (1,0), (1,1), (2,2) weigh 3, 5, 2, 6, 1: 100·17 = 1700; seven nonzero weights.
        var f = new StringBuilder();
        double loss = Tf1SumByNonzeroWeights<T>(TfWrongLabels, TfLogits, TfMeasurementWeights);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, 1700.0 / 7.0);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, 1700.0 / 7.0, SampleWeightPeer.Exact<T>(1700.0 / 7.0));

        // The elementwise weighted losses: w·100 at the wrong elements, w·sp(−100) at the right ones.
        var elements = SampleWeightPeer.Losses<T>(TfWrongLabels, TfLogits, [1], TfMeasurementWeights);
        var expected = TfWrongLabels.Select((z, i) => TfMeasurementWeights[i] * ((z == 1) == (TfLogits[i] > 0) ? Sp100 : 100)).ToArray();
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} elementwise", elements, expected, i => SampleWeightPeer.Exact<T>(expected[i]));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testMultiCorrectSigmoid(string type) => Run(type, MultiCorrect<double>, MultiCorrect<float>);

    private static void MultiCorrect<T>()
        where T : IFloatingPointIeee754<T>
    {
        double[] logits = [100, -100, 100, 100, 100, -100, -100, 100, 100];
        double[] labels = [1, 0, 1, 1, 1, 0, 0, 1, 1];
        var f = new StringBuilder();
        double loss = Tf1SumByNonzeroWeights<T>(labels, logits, [1]);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, 0.0);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, Sp100, SampleWeightPeer.Exact<T>(Sp100));
        SampleWeightPeer.Pass(f);
    }

    private static readonly double[] TfFloat64Logits = [100, -100, 100, 100, -100, 100, 100, 100, -100];
    private static readonly double[] TfFloat64Labels = [1, 0, 1, 1, 1, 0, 0, 1, 1];

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testSigmoidFloat64(string type) => Run(type, SigmoidFloat64<double>, SigmoidFloat64<float>);

    private static void SigmoidFloat64<T>()
        where T : IFloatingPointIeee754<T>
    {
        // TF runs this one in float64 only; four wrong elements: 400/9 = 44.444...
        var f = new StringBuilder();
        double loss = Tf1SumByNonzeroWeights<T>(TfFloat64Labels, TfFloat64Logits, [1]);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, 44.444);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, 400.0 / 9.0, SampleWeightPeer.Exact<T>(400.0 / 9.0));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testSigmoidNoReduction(string type) => Run(type, NoReduction<double>, NoReduction<float>);

    private static void NoReduction<T>()
        where T : IFloatingPointIeee754<T>
    {
        // TF: ((0, 0, 0), (0, 100, 100), (100, 0, 100)) with assertAllClose(..., 3), whose third argument is rtol = 3
        // (no check at all). Here: the "0" elements are sp(−100) (the 10-digit 3.720075976e-44) and the "100" ones
        // sp(100) = 100 + e^−100, which is 100 in both precisions.
        double[] expected = [Sp100, Sp100, Sp100, Sp100, 100, 100, 100, Sp100, 100];
        var f = new StringBuilder();
        var loss = SampleWeightPeer.Losses<T>(TfFloat64Labels, TfFloat64Logits, [1], [1]);
        SampleWeightPeer.Expect(f, SampleWeightPeer.Name<T>(), loss, expected, i => SampleWeightPeer.TenDigits<T>(expected[i]));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testSigmoidLabelSmoothingCorrect(string type) => Run(type, LabelSmoothingCorrect<double>, LabelSmoothingCorrect<float>);

    private static void LabelSmoothingCorrect<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Logits [[100, −100, −100]], labels [[1, 0, 1]], L = 0.1: z' = [1 − L/2, L/2, 1 − L/2] and the losses
        // 100·L/2, 100·L/2, 100·(1 − L/2) (+ multiples of e^−100): (100 + 50·L)/3, TF's own derivation.
        const double smoothing = 0.1;
        double[] logits = [100, -100, -100];
        double[] labels = [1, 0, 1];
        double expected = (100.0 + (50.0 * smoothing)) / 3.0;
        var f = new StringBuilder();
        double loss = Tf1SumByNonzeroWeights<T>(labels, logits, [1], smoothing);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, expected);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, expected, SampleWeightPeer.Exact<T>(expected));

        // The same with byte labels, and elementwise.
        double bytes = SampleWeightPeer.ReducedBytes<T>(SampleWeightPeer.Bytes(labels), logits, [1], [1], Reduction.Sum, smoothing) / 3;
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} byte labels", bytes, expected, SampleWeightPeer.Exact<T>(expected));
        double[] elements = [100 * smoothing / 2, 100 * smoothing / 2, 100 * (1 - (smoothing / 2))];
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} elementwise", SampleWeightPeer.Losses<T>(labels, logits, [1], [1], smoothing),
            elements, i => SampleWeightPeer.Derived<T>(elements[i]));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Tf_testSigmoidLabelSmoothingEqualsSoftmaxTwoLabel(string type) =>
        Run(type, SmoothingEqualsSoftmax<double>, SmoothingEqualsSoftmax<float>);

    private static void SmoothingEqualsSoftmax<T>()
        where T : IFloatingPointIeee754<T>
    {
        // TF compares the smoothed sigmoid loss of logits [[100, −100, −100]], labels [[1, 0, 1]] with the smoothed
        // softmax loss of two-class logits [[0, 100], [100, 0], [100, 0]], labels [[0, 1], [1, 0], [0, 1]]
        // (softmax smoothing: labels·(1 − L) + L/2 for two classes). The softmax side is derived here:
        // −Σ_k p_k·(a_k − logsumexp(a)), logsumexp(a) = max(a) + log1p(e^(min − max)), averaged over the 3 rows
        // (weights 1.0: three nonzero weights).
        const double smoothing = 0.1;
        double[][] softmaxLogits = [[0, 100], [100, 0], [100, 0]];
        double[][] softmaxLabels = [[0, 1], [1, 0], [0, 1]];
        double softmax = 0;
        for (int r = 0; r < 3; r++)
        {
            double[] a = softmaxLogits[r];
            double max = a.Max();
            double logSumExp = max + Log1p(System.Math.Exp(a.Min() - max));
            for (int k = 0; k < 2; k++)
            {
                double p = (softmaxLabels[r][k] * (1 - smoothing)) + (smoothing / 2);
                softmax -= p * (a[k] - logSumExp);
            }
        }

        softmax /= 3;
        var f = new StringBuilder();
        double sigmoid = Tf1SumByNonzeroWeights<T>([1, 0, 1], [100, -100, -100], [1], smoothing);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} sigmoid vs softmax", sigmoid, softmax, SampleWeightPeer.Derived<T>(softmax));
        SampleWeightPeer.Pass(f);
    }

    // ---- TF's weight patterns (scalar, per sample, per element, zeros): LogLossTest, same file ----
    // LogLossTest weighs log_loss(labels, predictions) with predictions p = [[.9, .2, .2], [.8, .4, .6]] and labels
    // [[1, 0, 1], [1, 0, 0]]; its expected values are −Σ w·(z·log(p + 1e-7) + (1 − z)·log(1 − p + 1e-7)) / count
    // with the count written in each test. Here the same weights and counts weigh the sigmoid loss at the logits
    // x = log(p/(1 − p)), for which −(z·log p + (1 − z)·log(1 − p)) is the loss exactly: TF's expected value (its
    // 1e-7 moves it by less than 1e-6) within TF's 3 places, and the derivation within the tolerance of a derivation.

    private static readonly double[] LogLossPredictions = [0.9, 0.2, 0.2, 0.8, 0.4, 0.6];
    private static readonly double[] LogLossLabels = [1, 0, 1, 1, 0, 0];

    public static TheoryData<string, string, double[], int> LogLossWeightPatterns()
    {
        var data = new TheoryData<string, string, double[], int>();
        foreach (string type in new[] { "float64", "float32" })
        {
            data.Add(type, "testNonZeroLossWithPythonScalarWeight", [2.3], 6);
            data.Add(type, "testNonZeroLossWithOneDimBatchSpecificWeights", SampleWeightPeer.PerRow([1.2, 3.4], 3), 6);
            data.Add(type, "testNonZeroLossWithOneDimBatchSpecificWeightsSomeZero", SampleWeightPeer.PerRow([1.2, 0], 3), 3);
            data.Add(type, "testNonZeroLossWithMeasurementSpecificWeights", [3, 6, 5, 0, 4, 2], 5);
            data.Add(type, "testNonZeroLossWithSampleSpecificWeightsMostZero", [0, 0, 0, 0, 0, 2], 1);
            data.Add(type, "testLossWithSampleSpecificWeightsAllZero", [0, 0, 0, 0, 0, 0], 0);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LogLossWeightPatterns))]
    public void Tf_LogLossTest_weight_patterns_on_the_sigmoid_loss(string type, string tfTest, double[] weights, int tfCount) =>
        Run(type, () => LogLossPattern<double>(tfTest, weights, tfCount), () => LogLossPattern<float>(tfTest, weights, tfCount));

    private static void LogLossPattern<T>(string tfTest, double[] weights, int tfCount)
        where T : IFloatingPointIeee754<T>
    {
        var logits = LogLossPredictions.Select(p => System.Math.Log(p / (1 - p))).ToArray();
        var expanded = SampleWeightPeer.Cycle(weights, 6);
        Assert.Equal(tfCount, expanded.Count(w => w != 0));

        double tfSum = -Enumerable.Range(0, 6).Sum(i => expanded[i] * ((LogLossLabels[i] * System.Math.Log(LogLossPredictions[i] + 1e-7)) +
            ((1 - LogLossLabels[i]) * System.Math.Log(1 - LogLossPredictions[i] + 1e-7))));
        double tfExpected = tfCount == 0 ? 0 : tfSum / tfCount;

        var seenX = SampleWeightPeer.Seen<T>(logits);
        var seenW = SampleWeightPeer.Seen<T>(weights);
        double derivedSum = Inputs.ExactSum(SampleWeightPeer.Losses(seenX, LogLossLabels, [1], seenW));
        double scale = Inputs.ExactSum(SampleWeightPeer.LossScales(seenX, LogLossLabels, [1], seenW));
        double derived = tfCount == 0 ? 0 : derivedSum / tfCount;

        var f = new StringBuilder();
        string what = $"{SampleWeightPeer.Name<T>()} {tfTest}";
        double loss = Tf1SumByNonzeroWeights<T>(LogLossLabels, logits, weights);
        SampleWeightPeer.TfPlaces3(f, what, loss, tfExpected);
        SampleWeightPeer.Expect(f, $"{what} derived", loss, derived, SampleWeightPeer.Derived<T>(tfCount == 0 ? 0 : scale / tfCount));

        // Byte labels weigh the same.
        double bytes = SampleWeightPeer.ReducedBytes<T>(SampleWeightPeer.Bytes(LogLossLabels), logits, [1], weights, Reduction.Sum);
        SampleWeightPeer.Expect(f, $"{what} byte-label sum", bytes, derivedSum, SampleWeightPeer.Derived<T>(scale));

        if (tfCount == 0)
        {
            // All weights zero: the sum is 0 (TF's safe division gives 0), and WeightedMean is 0/0 = NaN.
            SampleWeightPeer.Expect(f, $"{what} WeightedMean", SampleWeightPeer.Reduced<T>(LogLossLabels, logits, [1], weights, Reduction.WeightedMean),
                double.NaN, 0);
            var (fusedLoss, fusedGradient) = SampleWeightPeer.Fused<T>(LogLossLabels, logits, [1], weights, Reduction.Sum);
            SampleWeightPeer.Expect(f, $"{what} fused sum", fusedLoss, 0, 0);
            SampleWeightPeer.Expect(f, $"{what} fused gradient", fusedGradient, new double[6], _ => 0);
        }

        SampleWeightPeer.Pass(f);
    }

    // =====================================================================================================
    // Keras: keras-team/keras, keras/src/losses/losses_test.py, class BinaryCrossentropyTest (the from_logits=True
    // cases). Keras' BinaryCrossentropy computes the elementwise loss on smoothed labels y·(1 − L) + 0.5·L, averages
    // it over the last axis (C elements) into one loss per sample, multiplies by sample_weight (one per sample, shape
    // [N]) and reduces over the N samples. So, over the N·C elements with w_n on every element of row n:
    //   "sum_over_batch_size" (the default) = Σ_n w_n·mean_c ℓ / N = Σ w·ℓ / (N·C) = Reduction.Mean;
    //   "sum"                               = Σ_n w_n·mean_c ℓ     = Reduction.Sum / C;
    //   "mean_with_sample_weight"           = Σ_n w_n·mean_c ℓ / Σ_n w_n = Reduction.WeightedMean (Σ w over the N·C
    //                                         expanded elements is C·Σ_n w_n);
    //   None                                = the row means of the elementwise result.
    // The span API broadcasts a weight per class (i % C), not per row: a per-sample weight is passed expanded to every
    // element (the tensor tests pass it as [N, 1]). keras' assertAlmostEqual is numpy's decimal=3, |a − b| < 1.5e-3.
    // =====================================================================================================

    private static readonly double[] KerasLabels = [1, 0, 1, 0, 1, 1];
    private static readonly double[] KerasLogits = [10, -10, 10, 10, 10, -10];

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_test_all_correct_unweighted(string type) => Run(type, KerasAllCorrect<double>, KerasAllCorrect<float>);

    private static void KerasAllCorrect<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Logits ±10 on the identity: every element's loss is sp(−10) = 4.539889922e-05.
        double[] labels = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        double[] logits = [10, -10, -10, -10, 10, -10, -10, -10, 10];
        var f = new StringBuilder();
        double loss = SampleWeightPeer.Reduced<T>(labels, logits, [1], [1], Reduction.Mean);
        SampleWeightPeer.KerasDecimal3(f, SampleWeightPeer.Name<T>(), loss, 0.0);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} 10 digits", loss, 4.539889922e-05, SampleWeightPeer.TenDigits<T>(4.539889922e-05));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_test_unweighted(string type) => Run(type, KerasUnweighted<double>, KerasUnweighted<float>);

    private static void KerasUnweighted<T>()
        where T : IFloatingPointIeee754<T>
    {
        var f = new StringBuilder();
        double loss = SampleWeightPeer.Reduced<T>(KerasLabels, KerasLogits, [1], [1], Reduction.Mean);
        SampleWeightPeer.KerasDecimal3(f, SampleWeightPeer.Name<T>(), loss, 3.3333);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} 10 digits", loss, 3.333378732, SampleWeightPeer.TenDigits<T>(3.333378732));
        double bytes = SampleWeightPeer.ReducedBytes<T>(SampleWeightPeer.Bytes(KerasLabels), KerasLogits, [1], [1], Reduction.Mean);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} byte labels", bytes, 3.333378732, SampleWeightPeer.TenDigits<T>(3.333378732));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_test_scalar_weighted(string type) => Run(type, KerasScalarWeighted<double>, KerasScalarWeighted<float>);

    private static void KerasScalarWeighted<T>()
        where T : IFloatingPointIeee754<T>
    {
        // sample_weight=2.3 scales every sample: Reduction.Mean with sampleWeight [2.3].
        var f = new StringBuilder();
        double loss = SampleWeightPeer.Reduced<T>(KerasLabels, KerasLogits, [1], [2.3], Reduction.Mean);
        SampleWeightPeer.KerasDecimal3(f, SampleWeightPeer.Name<T>(), loss, 7.666);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} 10 digits", loss, 7.666771084, SampleWeightPeer.TenDigits<T>(7.666771084));
        var (fused, _) = SampleWeightPeer.Fused<T>(KerasLabels, KerasLogits, [1], [2.3], Reduction.Mean);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} fused", fused, 7.666771084, SampleWeightPeer.TenDigits<T>(7.666771084));
        double bytes = SampleWeightPeer.ReducedBytes<T>(SampleWeightPeer.Bytes(KerasLabels), KerasLogits, [1], [2.3], Reduction.Mean);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} byte labels", bytes, 7.666771084, SampleWeightPeer.TenDigits<T>(7.666771084));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_test_sample_weighted(string type) => Run(type, KerasSampleWeighted<double>, KerasSampleWeighted<float>);

    private static void KerasSampleWeighted<T>()
        where T : IFloatingPointIeee754<T>
    {
        // sample_weight [4, 3], one per row: expanded to [4, 4, 4, 3, 3, 3] for the span API.
        var weights = SampleWeightPeer.PerRow([4, 3], 3);
        var f = new StringBuilder();
        double loss = SampleWeightPeer.Reduced<T>(KerasLabels, KerasLogits, [1], weights, Reduction.Mean);
        SampleWeightPeer.KerasDecimal3(f, SampleWeightPeer.Name<T>(), loss, 10.0);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} 10 digits", loss, 10.00015890, SampleWeightPeer.TenDigits<T>(10.00015890));
        double bytes = SampleWeightPeer.ReducedBytes<T>(SampleWeightPeer.Bytes(KerasLabels), KerasLogits, [1], weights, Reduction.Mean);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} byte labels", bytes, 10.00015890, SampleWeightPeer.TenDigits<T>(10.00015890));

        // The fused gradient of the Mean: w·∂ℓ/∂x / 6, derived.
        var (fused, gradient) = SampleWeightPeer.Fused<T>(KerasLabels, KerasLogits, [1], weights, Reduction.Mean);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} fused", fused, 10.00015890, SampleWeightPeer.TenDigits<T>(10.00015890));
        var expected = Enumerable.Range(0, 6).Select(i => SampleWeightPeer.Dx(KerasLogits[i], KerasLabels[i], 1, weights[i]) / 6).ToArray();
        var scale = Enumerable.Range(0, 6).Select(i => SampleWeightPeer.DxScale(KerasLogits[i], KerasLabels[i], 1, weights[i]) / 6).ToArray();
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} fused gradient", gradient, expected, i => SampleWeightPeer.Derived<T>(scale[i]));
        var (_, byteGradient) = SampleWeightPeer.FusedBytes<T>(SampleWeightPeer.Bytes(KerasLabels), KerasLogits, [1], weights, Reduction.Mean);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} byte-label fused gradient", byteGradient, expected, i => SampleWeightPeer.Derived<T>(scale[i]));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_mean_with_sample_weight_is_WeightedMean(string type) => Run(type, KerasWeightedMean<double>, KerasWeightedMean<float>);

    private static void KerasWeightedMean<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Keras 3's reduction="mean_with_sample_weight" (losses/loss.py reduce_values: Σ values / Σ sample_weight) on
        // test_sample_weighted's inputs: (4·row0 + 3·row1) / 7, derived. WeightedMean's fused gradient is
        // w·∂ℓ/∂x / Σw with Σw = 21 over the six elements.
        var weights = SampleWeightPeer.PerRow([4, 3], 3);
        double sum = Inputs.ExactSum(SampleWeightPeer.Losses(KerasLogits, KerasLabels, [1], weights));
        double scale = Inputs.ExactSum(SampleWeightPeer.LossScales(KerasLogits, KerasLabels, [1], weights));
        double expected = sum / 21;
        var f = new StringBuilder();
        double loss = SampleWeightPeer.Reduced<T>(KerasLabels, KerasLogits, [1], weights, Reduction.WeightedMean);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} WeightedMean", loss, expected, SampleWeightPeer.Derived<T>(scale / 21));
        var (fused, gradient) = SampleWeightPeer.Fused<T>(KerasLabels, KerasLogits, [1], weights, Reduction.WeightedMean);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} fused WeightedMean", fused, expected, SampleWeightPeer.Derived<T>(scale / 21));
        var expectedGradient = Enumerable.Range(0, 6).Select(i => SampleWeightPeer.Dx(KerasLogits[i], KerasLabels[i], 1, weights[i]) / 21).ToArray();
        var gradientScale = Enumerable.Range(0, 6).Select(i => SampleWeightPeer.DxScale(KerasLogits[i], KerasLabels[i], 1, weights[i]) / 21).ToArray();
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} fused WeightedMean gradient", gradient, expectedGradient,
            i => SampleWeightPeer.Derived<T>(gradientScale[i]));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_test_no_reduction(string type) => Run(type, KerasNoReduction<double>, KerasNoReduction<float>);

    private static void KerasNoReduction<T>()
        where T : IFloatingPointIeee754<T>
    {
        // reduction=None: the per-sample losses, here the row means of the elementwise result. Keras:
        // assertAllClose(loss, [0.0, 6.666], atol=1e-3) (rtol 1e-6).
        var elements = SampleWeightPeer.Losses<T>(KerasLabels, KerasLogits, [1], [1]);
        double row0 = Inputs.ExactSum(elements.Take(3)) / 3;
        double row1 = Inputs.ExactSum(elements.Skip(3)) / 3;
        var f = new StringBuilder();
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} row 0 (Keras' literal, atol 1e-3)", row0, 0.0, 1e-3);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} row 1 (Keras' literal, atol 1e-3)", row1, 6.666, 1e-3 + (1e-6 * 6.666));
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} row 0", row0, 4.539889922e-05, SampleWeightPeer.TenDigits<T>(4.539889922e-05));
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} row 1", row1, 6.666712066, SampleWeightPeer.TenDigits<T>(6.666712066));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras_test_label_smoothing(string type) => Run(type, KerasLabelSmoothing<double>, KerasLabelSmoothing<float>);

    private static void KerasLabelSmoothing<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Logits [[10, −10, −10]], y [[1, 0, 1]], L = 0.1. Keras expects (10 + 5·L)/3 (sp(±10) taken as 10 or 0);
        // the exact value is peer-cases.md C11's 3.500045399.
        const double smoothing = 0.1;
        double[] labels = [1, 0, 1];
        double[] logits = [10, -10, -10];
        double keras = (10.0 + (5.0 * smoothing)) / 3.0;
        var f = new StringBuilder();
        double loss = SampleWeightPeer.Reduced<T>(labels, logits, [1], [1], Reduction.Mean, smoothing);
        SampleWeightPeer.KerasDecimal3(f, SampleWeightPeer.Name<T>(), loss, keras);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} 10 digits", loss, 3.500045399, SampleWeightPeer.TenDigits<T>(3.500045399));
        double bytes = SampleWeightPeer.ReducedBytes<T>(SampleWeightPeer.Bytes(labels), logits, [1], [1], Reduction.Mean, smoothing);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} byte labels", bytes, 3.500045399, SampleWeightPeer.TenDigits<T>(3.500045399));

        // The fused gradient with smoothing: ((1 − z')·σ(x) − z'·σ(−x)) / 3, derived.
        var (fused, gradient) = SampleWeightPeer.Fused<T>(labels, logits, [1], [1], Reduction.Mean, smoothing);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} fused", fused, 3.500045399, SampleWeightPeer.TenDigits<T>(3.500045399));
        var expected = Enumerable.Range(0, 3).Select(i => SampleWeightPeer.Dx(logits[i], labels[i], 1, 1, smoothing) / 3).ToArray();
        var scale = Enumerable.Range(0, 3).Select(i => SampleWeightPeer.DxScale(logits[i], labels[i], 1, 1, smoothing) / 3).ToArray();
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} fused gradient", gradient, expected, i => SampleWeightPeer.Derived<T>(scale[i]));
        SampleWeightPeer.Pass(f);
    }

    // ---- tf.keras: keras-team/keras, keras/losses_test.py (Keras 2), BinaryCrossentropyTest, the from_logits cases
    // with logits ±100 (so every loss is 100 or sp(−100) = e^−100, and the expected values are exact to far below an
    // ULP). Its assertAlmostEqual(a, b, 3) is unittest's round(a − b, 3) == 0. Same mapping of the reductions. ----

    private static readonly double[] Keras2Logits = [100, -100, 100, 100, 100, -100];

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras2_test_all_correct_unweighted(string type) => Run(type, Keras2AllCorrect<double>, Keras2AllCorrect<float>);

    private static void Keras2AllCorrect<T>()
        where T : IFloatingPointIeee754<T>
    {
        var f = new StringBuilder();
        double loss = SampleWeightPeer.Reduced<T>(TfCorrectLabels, TfLogits, [1], [1], Reduction.Mean);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, 0.0);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, Sp100, SampleWeightPeer.Exact<T>(Sp100));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras2_test_unweighted_scalar_weighted_sample_weighted_no_reduction(string type) =>
        Run(type, Keras2Weighted<double>, Keras2Weighted<float>);

    private static void Keras2Weighted<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Rows: (0 + 0 + 0)/3 and (100 + 0 + 100)/3 (Keras' comments), i.e. row means e^−100 and 200/3 + e^−100/3.
        // test_unweighted: (0 + 200/3)/2 = 33.333; test_scalar_weighted (2.3): 76.667; test_sample_weighted
        // ([4, 3]): (4·0 + 3·200/3)/2 = 100; test_no_reduction: (0.0, 66.6666).
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        double w23 = SampleWeightPeer.Seen<T>([2.3])[0];

        double unweighted = SampleWeightPeer.Reduced<T>(KerasLabels, Keras2Logits, [1], [1], Reduction.Mean);
        SampleWeightPeer.TfPlaces3(f, $"{name} test_unweighted", unweighted, 33.333);
        SampleWeightPeer.Expect(f, $"{name} test_unweighted exact", unweighted, 100.0 / 3, SampleWeightPeer.Exact<T>(100.0 / 3));

        double scalar = SampleWeightPeer.Reduced<T>(KerasLabels, Keras2Logits, [1], [2.3], Reduction.Mean);
        SampleWeightPeer.TfPlaces3(f, $"{name} test_scalar_weighted", scalar, 76.667);
        SampleWeightPeer.Expect(f, $"{name} test_scalar_weighted exact", scalar, w23 * 100 / 3, SampleWeightPeer.Exact<T>(w23 * 100 / 3));

        double sample = SampleWeightPeer.Reduced<T>(KerasLabels, Keras2Logits, [1], SampleWeightPeer.PerRow([4, 3], 3), Reduction.Mean);
        SampleWeightPeer.TfPlaces3(f, $"{name} test_sample_weighted", sample, 100);
        SampleWeightPeer.Expect(f, $"{name} test_sample_weighted exact", sample, 100, SampleWeightPeer.Exact<T>(100));

        // reduction NONE; Keras asserts assertAllClose((0.0, 66.6666), loss, 3), whose third argument is rtol = 3.
        var elements = SampleWeightPeer.Losses<T>(KerasLabels, Keras2Logits, [1], [1]);
        double row0 = Inputs.ExactSum(elements.Take(3)) / 3;
        double row1 = Inputs.ExactSum(elements.Skip(3)) / 3;
        SampleWeightPeer.Expect(f, $"{name} test_no_reduction row 0", row0, Sp100, SampleWeightPeer.Exact<T>(Sp100));
        SampleWeightPeer.Expect(f, $"{name} test_no_reduction row 1", row1, 200.0 / 3, SampleWeightPeer.Exact<T>(200.0 / 3));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras2_test_label_smoothing(string type) => Run(type, Keras2LabelSmoothing<double>, Keras2LabelSmoothing<float>);

    private static void Keras2LabelSmoothing<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Also test_label_smoothing_ndarray (the same numbers): (100 + 50·L)/3 with L = 0.1, Reduction.Mean.
        double expected = (100.0 + (50.0 * 0.1)) / 3.0;
        var f = new StringBuilder();
        double loss = SampleWeightPeer.Reduced<T>([1, 0, 1], [100, -100, -100], [1], [1], Reduction.Mean, 0.1);
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, expected);
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, expected, SampleWeightPeer.Exact<T>(expected));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keras2_test_ragged_tensors(string type) => Run(type, Keras2Ragged<double>, Keras2Ragged<float>);

    private static void Keras2Ragged<T>()
        where T : IFloatingPointIeee754<T>
    {
        // Ragged rows [[100, −100, 100], [100, 100]] with labels [[1, 0, 1], [0, 1]] and sample_weight [4, 3]:
        // per-row means (0 + 0 + 0)/3 and (100 + 0)/2, weighted and averaged over the 2 rows: (4·0 + 3·50)/2 = 75.
        // Without ragged rows here: the five elements flat, each weighing w_n / C_n (4/3 in row 0, 3/2 in row 1),
        // and Reduction.Sum / 2.
        double[] labels = [1, 0, 1, 0, 1];
        double[] logits = [100, -100, 100, 100, 100];
        double[] weights = [4.0 / 3, 4.0 / 3, 4.0 / 3, 1.5, 1.5];
        var f = new StringBuilder();
        double loss = SampleWeightPeer.Reduced<T>(labels, logits, [1], weights, Reduction.Sum) / 2;
        SampleWeightPeer.TfPlaces3(f, SampleWeightPeer.Name<T>(), loss, 75.0);
        // 1.5·100/2 exactly, plus multiples of e^−100; 4/3 rounded in the weights only touches those.
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} exact", loss, 75, SampleWeightPeer.Exact<T>(75));
        SampleWeightPeer.Pass(f);
    }

    // ---- peer-cases.md C11–C12 (ported by derivation in PeerCaseTests), now through the new arguments ----

    [Theory]
    [MemberData(nameof(Types))]
    public void C11_keras_label_smoothing_through_the_labelSmoothing_argument(string type) => Run(type, C11<double>, C11<float>);

    private static void C11<T>()
        where T : IFloatingPointIeee754<T>
    {
        // One row: Keras' mean over the last axis is Reduction.Mean. Unsmoothed labels, labelSmoothing 0.1.
        var f = new StringBuilder();
        double mean = SampleWeightPeer.Reduced<T>([1, 0, 1], [10, -10, -10], [1], [1], Reduction.Mean, 0.1);
        SampleWeightPeer.Expect(f, SampleWeightPeer.Name<T>(), mean, 3.500045399, SampleWeightPeer.TenDigits<T>(3.500045399));

        // Elementwise, the smoothed labels [0.95, 0.05, 0.95] given directly must weigh the same (derivation of both).
        var smoothedLoss = SampleWeightPeer.Losses<T>([1, 0, 1], [10, -10, -10], [1], [1], 0.1);
        double[] smoothed = [0.95, 0.05, 0.95];
        var expected = Enumerable.Range(0, 3).Select(i => SampleWeightPeer.Loss(new double[] { 10, -10, -10 }[i], smoothed[i], 1, 1)).ToArray();
        SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} elementwise", smoothedLoss, expected, i => SampleWeightPeer.Derived<T>(expected[i]));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void C12_keras_reductions_and_sample_weights_through_the_sampleWeight_argument(string type) => Run(type, C12<double>, C12<float>);

    private static void C12<T>()
        where T : IFloatingPointIeee754<T>
    {
        var f = new StringBuilder();
        void Expect(string what, double actual, double expected) =>
            SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} {what}", actual, expected, SampleWeightPeer.TenDigits<T>(expected));

        Expect("sum_over_batch_size", SampleWeightPeer.Reduced<T>(KerasLabels, KerasLogits, [1], [1], Reduction.Mean), 3.333378732);
        // sum = Σ_n mean_c ℓ = Reduction.Sum / C; the division by 3 is one more rounding, well inside the tolerance.
        Expect("sum", SampleWeightPeer.Reduced<T>(KerasLabels, KerasLogits, [1], [1], Reduction.Sum) / 3, 6.666757464);
        Expect("sample_weight=2.3", SampleWeightPeer.Reduced<T>(KerasLabels, KerasLogits, [1], [2.3], Reduction.Mean), 7.666771084);
        Expect("sample_weight=[4,3]", SampleWeightPeer.Reduced<T>(KerasLabels, KerasLogits, [1], SampleWeightPeer.PerRow([4, 3], 3), Reduction.Mean),
            10.00015890);
        var weighted = SampleWeightPeer.Losses<T>(KerasLabels, KerasLogits, [1], SampleWeightPeer.PerRow([4, 3], 3));
        Expect("none with sample_weight=[4,3], row 0", Inputs.ExactSum(weighted.Take(3)) / 3, 4 * 4.539889922e-05);
        Expect("none with sample_weight=[4,3], row 1", Inputs.ExactSum(weighted.Skip(3)) / 3, 3 * 6.666712066);
        SampleWeightPeer.Pass(f);
    }

    // =====================================================================================================
    // PyTorch: pytorch/pytorch, test/test_nn.py (TestNN). PyTorch's `weight` is this library's sample weight,
    // broadcast against the input; reduction 'mean' is Σ w·ℓ / N (Reduction.Mean), 'sum' Reduction.Sum.
    // torch.rand inputs are drawn here from a seeded Random with the same ranges: targets U[0, 1), logits
    // U[0, 1) − 0.5, weights U[0, 1).
    // =====================================================================================================

    private static double[] Rand(Random random, int n, double shift = 0) =>
        Enumerable.Range(0, n).Select(_ => random.NextDouble() + shift).ToArray();

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_broadcasts_weights(string type) => Run(type, BroadcastsWeights<double>, BroadcastsWeights<float>);

    private static void BroadcastsWeights<T>()
        where T : IFloatingPointIeee754<T>
    {
        // PyTorch: BCEWithLogitsLoss(weight) with weight [4] equals it with the weight expanded to [16, 4]. In the
        // span API a [4] weight is a length-4 cycle. Equal bits: an element's result is a function of its own four
        // inputs only (the library's neighbour-independence, also asserted for pos_weight: a per-class weight gives
        // the bits of the expanded one), and a reduction sums those same element values in an order fixed by the
        // length. Both are also checked against the derivation w·ℓ. (The [16, 1] weight has no span form other than
        // the expanded one; the tensor tests compare the two.)
        var random = new Random(16_4);
        var target = Rand(random, 64);
        var output = Rand(random, 64, -0.5);
        var weight = Rand(random, 4);
        var expanded = SampleWeightPeer.Cycle(weight, 64);
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();

        foreach (var op in Ops.All)
        {
            SampleWeightPeer.SameBits(f, $"{name} {op}", SampleWeightPeer.Elementwise<T>(op, target, output, [1], weight),
                SampleWeightPeer.Elementwise<T>(op, target, output, [1], expanded));
        }

        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean, Reduction.WeightedMean })
        {
            SampleWeightPeer.SameBits(f, $"{name} {reduction}", [SampleWeightPeer.Reduced<T>(target, output, [1], weight, reduction)],
                [SampleWeightPeer.Reduced<T>(target, output, [1], expanded, reduction)]);
            var (l1, g1) = SampleWeightPeer.Fused<T>(target, output, [1], weight, reduction);
            var (l2, g2) = SampleWeightPeer.Fused<T>(target, output, [1], expanded, reduction);
            SampleWeightPeer.SameBits(f, $"{name} fused {reduction}", [l1], [l2]);
            SampleWeightPeer.SameBits(f, $"{name} fused {reduction} gradient", g1, g2);
        }

        // Against the derivation (PyTorch's default 'mean').
        var x = SampleWeightPeer.Seen<T>(output);
        var z = SampleWeightPeer.Seen<T>(target);
        var w = SampleWeightPeer.Seen<T>(weight);
        var terms = SampleWeightPeer.Losses(x, z, [1], w);
        SampleWeightPeer.Expect(f, $"{name} elementwise", SampleWeightPeer.Losses<T>(target, output, [1], weight), terms,
            i => SampleWeightPeer.Derived<T>(terms[i]));
        double mean = Inputs.ExactSum(terms) / 64;
        SampleWeightPeer.Expect(f, $"{name} mean", SampleWeightPeer.Reduced<T>(target, output, [1], weight, Reduction.Mean), mean,
            SampleWeightPeer.Derived<T>(mean));

        // The [16, 1] weight, expanded (its only span form), against the derivation.
        var rows = Rand(random, 16);
        var perRow = SampleWeightPeer.PerRow(rows, 4);
        var rowTerms = SampleWeightPeer.Losses(x, z, [1], SampleWeightPeer.Seen<T>(perRow));
        double rowMean = Inputs.ExactSum(rowTerms) / 64;
        SampleWeightPeer.Expect(f, $"{name} [16, 1] mean", SampleWeightPeer.Reduced<T>(target, output, [1], perRow, Reduction.Mean), rowMean,
            SampleWeightPeer.Derived<T>(rowMean));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_broadcasts_pos_weights(string type) =>
        Run(type, BroadcastsPosWeights<double>, BroadcastsPosWeights<float>);

    private static void BroadcastsPosWeights<T>()
        where T : IFloatingPointIeee754<T>
    {
        // PyTorch: pos_weight [4], expanded to [1, 4] and to [64, 4], give equal losses. Through the sample-weight
        // overloads (sample weight [1], and a per-class sample weight [4] beside it), the same bits (see
        // Torch_test_bce_with_logits_broadcasts_weights for why bits).
        var random = new Random(64_4);
        var target = Rand(random, 256);
        var output = Rand(random, 256, -0.5);
        var posWeight = Rand(random, 4);
        var expanded = SampleWeightPeer.Cycle(posWeight, 256);
        var classWeight = Rand(random, 4);
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        foreach (var sampleWeight in new[] { new double[] { 1 }, classWeight })
        {
            string what = $"{name} sampleWeight length {sampleWeight.Length}";
            SampleWeightPeer.SameBits(f, $"{what} loss", SampleWeightPeer.Losses<T>(target, output, posWeight, sampleWeight),
                SampleWeightPeer.Losses<T>(target, output, expanded, sampleWeight));
            SampleWeightPeer.SameBits(f, $"{what} mean", [SampleWeightPeer.Reduced<T>(target, output, posWeight, sampleWeight, Reduction.Mean)],
                [SampleWeightPeer.Reduced<T>(target, output, expanded, sampleWeight, Reduction.Mean)]);
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
        // PyTorch: pos_weight ones(64, 4) gives the loss without pos_weight (assertEqual, within its float
        // tolerance). Here: sample weight and pos_weight ones, sample weight and pos_weight [1], and the overloads
        // without a sample weight each within the accuracy promise of the same derivation (so within twice the
        // promise of each other), for every elementwise result, the reductions and the fused gradient. The stronger
        // claim, the same bits, is the _bit_for_bit test below.
        var random = new Random(64_1);
        var target = Rand(random, 256);
        var output = Rand(random, 256, -0.5);
        var ones = Peer.Fill(256, 1.0);
        var z = Inputs.To<T>(target);
        var x = Inputs.To<T>(output);
        var sx = SampleWeightPeer.Seen<T>(output);
        var sz = SampleWeightPeer.Seen<T>(target);
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        foreach (var op in Ops.All)
        {
            var expected = Enumerable.Range(0, 256).Select(i => SampleWeightPeer.Of(op, sx[i], sz[i], 1, 1)).ToArray();
            var scale = Enumerable.Range(0, 256).Select(i => SampleWeightPeer.ScaleOf(op, sx[i], sz[i], 1, 1)).ToArray();
            foreach (var (actual, form) in new[]
                     {
                         (SampleWeightPeer.Elementwise<T>(op, target, output, ones, ones), "ones"),
                         (SampleWeightPeer.Elementwise<T>(op, target, output, [1], [1]), "[1]"),
                         (Inputs.Widen(Ops.Public(op, z, x, [T.One])), "no sample weight"),
                     })
            {
                SampleWeightPeer.Expect(f, $"{name} {op} {form}", actual, expected, i => SampleWeightPeer.Derived<T>(scale[i]));
            }
        }

        var losses = Enumerable.Range(0, 256).Select(i => SampleWeightPeer.Loss(sx[i], sz[i], 1, 1)).ToArray();
        var dx = Enumerable.Range(0, 256).Select(i => SampleWeightPeer.Dx(sx[i], sz[i], 1, 1)).ToArray();
        var dxScale = Enumerable.Range(0, 256).Select(i => SampleWeightPeer.DxScale(sx[i], sz[i], 1, 1)).ToArray();
        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean, Reduction.WeightedMean })
        {
            double divisor = reduction == Reduction.Sum ? 1 : 256;
            double expected = Inputs.ExactSum(losses) / divisor;
            var gradient = new T[256];
            var forms = new List<(double Loss, double[]? Gradient, string Form)>
            {
                (SampleWeightPeer.Reduced<T>(target, output, ones, ones, reduction), null, "ones"),
                (SampleWeightPeer.Reduced<T>(target, output, [1], [1], reduction), null, "[1]"),
            };
            var (fused, fusedGradient) = SampleWeightPeer.Fused<T>(target, output, [1], ones, reduction);
            forms.Add((fused, fusedGradient, "fused ones"));
            if (reduction != Reduction.WeightedMean)
            {
                forms.Add((double.CreateTruncating(Nn.WeightedCrossEntropyWithLogits<T>(z, x, [T.One], reduction)), null, "no sample weight"));
                double fusedNone = double.CreateTruncating(Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, [T.One], gradient, reduction));
                forms.Add((fusedNone, Inputs.Widen(gradient), "fused, no sample weight"));
            }

            foreach (var (loss, g, form) in forms)
            {
                SampleWeightPeer.Expect(f, $"{name} {reduction} {form}", loss, expected, SampleWeightPeer.Derived<T>(expected));
                if (g is not null)
                {
                    SampleWeightPeer.Expect(f, $"{name} {reduction} {form} gradient", g, dx.Select(v => v / divisor).ToArray(),
                        i => SampleWeightPeer.Derived<T>(dxScale[i] / divisor));
                }
            }
        }

        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_ones_in_pos_weights_are_the_same_as_none_bit_for_bit(string type) =>
        Run(type, OnesAreNone<double>, OnesAreNone<float>);

    private static void OnesAreNone<T>()
        where T : IFloatingPointIeee754<T>
    {
        // The same bits for sample weight (and pos_weight) ones, [1], and the overloads without a sample weight, for
        // every elementwise result, the reductions and the fused gradient: w = 1 makes w·ℓ equal ℓ exactly, so each
        // call has the same exact value to round once; the library keeps this for its own scale (ScaleTests: a
        // call's scale s = 1 stores the bits of the unscaled kernels) and for pos_weight (per class = expanded).
        var random = new Random(64_1);
        var target = Rand(random, 256);
        var output = Rand(random, 256, -0.5);
        var ones = Peer.Fill(256, 1.0);
        var z = Inputs.To<T>(target);
        var x = Inputs.To<T>(output);
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        foreach (var op in Ops.All)
        {
            var none = Inputs.Widen(Ops.Public(op, z, x, [T.One]));
            SampleWeightPeer.SameBits(f, $"{name} {op} ones", SampleWeightPeer.Elementwise<T>(op, target, output, ones, ones), none);
            SampleWeightPeer.SameBits(f, $"{name} {op} [1]", SampleWeightPeer.Elementwise<T>(op, target, output, [1], [1]), none);
        }

        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
        {
            double none = double.CreateTruncating(Nn.WeightedCrossEntropyWithLogits<T>(z, x, [T.One], reduction));
            SampleWeightPeer.SameBits(f, $"{name} {reduction} ones", [SampleWeightPeer.Reduced<T>(target, output, ones, ones, reduction)], [none]);
            var gradient = new T[256];
            double fusedNone = double.CreateTruncating(Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, [T.One], gradient, reduction));
            var (fused, fusedGradient) = SampleWeightPeer.Fused<T>(target, output, [1], ones, reduction);
            SampleWeightPeer.SameBits(f, $"{name} fused {reduction}", [fused], [fusedNone]);
            SampleWeightPeer.SameBits(f, $"{name} fused {reduction} gradient", fusedGradient, Inputs.Widen(gradient));
        }

        // WeightedMean with unit weights is the Mean (Σw = N).
        SampleWeightPeer.SameBits(f, $"{name} WeightedMean of ones",
            [SampleWeightPeer.Reduced<T>(target, output, [1], ones, Reduction.WeightedMean)],
            [SampleWeightPeer.Reduced<T>(target, output, [1], ones, Reduction.Mean)]);
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_loss_broadcasts_weights(string type) => Run(type, BceLossBroadcasts<double>, BceLossBroadcasts<float>);

    private static void BceLossBroadcasts<T>()
        where T : IFloatingPointIeee754<T>
    {
        // PyTorch: BCELoss(weight)(sigmoid(output), target) with weight [4] and [16, 1] against their expanded forms.
        // Here the logits form of the library with that weight against BCELoss written out in probability space,
        // −w·(z·log σ(x) + (1 − z)·log(1 − σ(x))) (σ and 1 − σ = σ(−x) in double; both logs are of numbers in
        // (0.37, 0.63), so each term is accurate to a few ULP and every term is positive), 'mean' = Σ / 64.
        var random = new Random(16_4_1);
        var target = Rand(random, 64);
        var output = Rand(random, 64, -0.5);
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        var x = SampleWeightPeer.Seen<T>(output);
        var z = SampleWeightPeer.Seen<T>(target);
        var perClass = Rand(random, 4);
        var perRow = SampleWeightPeer.PerRow(Rand(random, 16), 4);
        foreach (var (weight, expanded, what) in new[]
                 {
                     (perClass, SampleWeightPeer.Cycle(perClass, 64), "[4]"),
                     (perRow, perRow, "[16, 1] expanded"),
                 })
        {
            var w = SampleWeightPeer.Seen<T>(expanded);
            var bce = Enumerable.Range(0, 64)
                .Select(i => -w[i] * ((z[i] * System.Math.Log(Sigmoid(x[i]))) + ((1 - z[i]) * System.Math.Log(Sigmoid(-x[i])))))
                .ToArray();
            SampleWeightPeer.Expect(f, $"{name} {what} elementwise", SampleWeightPeer.Losses<T>(target, output, [1], weight), bce,
                i => SampleWeightPeer.Derived<T>(bce[i]));
            double mean = Inputs.ExactSum(bce) / 64;
            SampleWeightPeer.Expect(f, $"{name} {what} mean", SampleWeightPeer.Reduced<T>(target, output, [1], weight, Reduction.Mean), mean,
                SampleWeightPeer.Derived<T>(mean));
        }

        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_gives_same_result_as_sigmoid_and_bce_loss(string type) =>
        Run(type, SameAsSigmoidAndBce<double>, SameAsSigmoidAndBce<float>);

    private static void SameAsSigmoidAndBce<T>()
        where T : IFloatingPointIeee754<T>
    {
        // The weighted parts: weight rand(4) on [64, 4], and weight rand(1) on logits −100 with targets 0 ([4, 1]),
        // whose BCELoss is w·(−log(1 − σ(−100))) = w·sp(−100) = w·e^−100 (to a relative e^−100; PyTorch's float32
        // BCELoss gives 0 there, as 1 − σ(−100) rounds to 1).
        var random = new Random(64_4_2);
        var target = Rand(random, 256);
        var output = Rand(random, 256, -0.5);
        var weight = Rand(random, 4);
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        var x = SampleWeightPeer.Seen<T>(output);
        var z = SampleWeightPeer.Seen<T>(target);
        var w = SampleWeightPeer.Seen<T>(SampleWeightPeer.Cycle(weight, 256));
        var bce = Enumerable.Range(0, 256)
            .Select(i => -w[i] * ((z[i] * System.Math.Log(Sigmoid(x[i]))) + ((1 - z[i]) * System.Math.Log(Sigmoid(-x[i])))))
            .ToArray();
        double mean = Inputs.ExactSum(bce) / 256;
        SampleWeightPeer.Expect(f, $"{name} weight [4] mean", SampleWeightPeer.Reduced<T>(target, output, [1], weight, Reduction.Mean), mean,
            SampleWeightPeer.Derived<T>(mean));

        double one = SampleWeightPeer.Seen<T>([random.NextDouble()])[0];
        double expected = one * System.Math.Exp(-100);
        double actual = SampleWeightPeer.Reduced<T>(new double[4], Peer.Fill(4, -100.0), [1], [one], Reduction.Mean);
        SampleWeightPeer.Expect(f, $"{name} weight [1] at x = −100", actual, expected, SampleWeightPeer.Exact<T>(expected));
        SampleWeightPeer.Pass(f);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Torch_test_bce_with_logits_has_correct_grad_at_zero(string type) => Run(type, GradAtZero<double>, GradAtZero<float>);

    private static void GradAtZero<T>()
        where T : IFloatingPointIeee754<T>
    {
        // zeros(3, 1) logits and targets, 'sum': gradient σ(0) = 0.5 each (and with pos_weight ones(3, 1), the
        // test_bce_with_logits_with_pos_weight_has_correct_grad_at_zero variant). With a sample weight w the gradient
        // is w·0.5 and the loss w·3·ln 2: w = 1 and w = 3 (products exact in binary, so no tolerance for the gradient).
        var f = new StringBuilder();
        string name = SampleWeightPeer.Name<T>();
        foreach (var (posWeight, sampleWeight) in new[] { (new double[] { 1 }, 1.0), (new double[] { 1, 1, 1 }, 1.0), (new double[] { 1 }, 3.0) })
        {
            var (loss, gradient) = SampleWeightPeer.Fused<T>(new double[3], new double[3], posWeight, [sampleWeight], Reduction.Sum);
            SampleWeightPeer.Expect(f, $"{name} w = {sampleWeight} gradient", gradient, Peer.Fill(3, 0.5 * sampleWeight), _ => 0);
            double expected = sampleWeight * 3 * System.Math.Log(2);
            SampleWeightPeer.Expect(f, $"{name} w = {sampleWeight} loss", loss, expected, SampleWeightPeer.Derived<T>(expected));
        }

        SampleWeightPeer.Pass(f);
    }

    // ---- PyTorch OpInfo: pytorch/pytorch, torch/testing/_internal/common_methods_invocations.py,
    // sample_inputs_binary_cross_entropy_with_logits. S = 5; make_tensor draws floats from U(−9, 9) (logits and
    // weight; pos_weight with low=0: U(0, 9)), targets make_prob U(0, 1). The combinations, with the span form of each
    // weight shape ((1,) → length 1; (1, S) and (S,) → a length-S cycle; (S, S) → one per element):
    //   shapes (), (1,), (S,), (S, S), (S, S, S) with no kwargs ('mean');
    //   (S, S) with each reduction; (S, S) with weight (1,), (1, S), (S,), (S, S) and each reduction;
    //   (S, S) with pos_weight (S,) and each reduction; (S, S) with weight (S, S) and pos_weight (S,), each reduction.
    // Each combination is checked as a property against the derivation: 'none' elementwise (loss and ∂/∂x), 'mean'
    // and 'sum' reduced and fused (loss and gradient). Weights may be negative: scales are Σ|terms|. ----

    public sealed record OpInfoCase(string Name, int N, int WeightLength, int PosWeightLength, Reduction Reduction);

    private const int S = 5;

    public static IEnumerable<OpInfoCase> OpInfoCases()
    {
        foreach (var (shape, n) in new[] { ("()", 1), ("(1,)", 1), ("(S,)", S), ("(S, S)", S * S), ("(S, S, S)", S * S * S) })
        {
            yield return new OpInfoCase($"{shape}, no kwargs", n, 0, 0, Reduction.Mean);
        }

        var reductions = new[] { Reduction.Mean, Reduction.Sum, Reduction.None };
        foreach (var reduction in reductions)
        {
            yield return new OpInfoCase($"(S, S), reduction {reduction}", S * S, 0, 0, reduction);
            foreach (var (length, shape) in new[] { (1, "(1,)"), (S, "(1, S)"), (S, "(S,)"), (S * S, "(S, S)") })
            {
                yield return new OpInfoCase($"(S, S), weight {shape}, reduction {reduction}", S * S, length, 0, reduction);
            }

            yield return new OpInfoCase($"(S, S), pos_weight (S,), reduction {reduction}", S * S, 0, S, reduction);
            yield return new OpInfoCase($"(S, S), weight (S, S), pos_weight (S,), reduction {reduction}", S * S, S * S, S, reduction);
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
        var gen =
            from x in Gen.Double[-9, 9].Array[c.N]
            from z in Gen.Double[0, 1].Array[c.N]
            from w in Gen.Double[-9, 9].Array[c.WeightLength]
            from q in Gen.Double[0, 9].Array[c.PosWeightLength]
            select (X: x, Z: z, W: c.WeightLength == 0 ? new double[] { 1 } : w, Q: c.PosWeightLength == 0 ? new double[] { 1 } : q);
        gen.Sample(t => OpInfoCheck<T>(c, t.X, t.Z, t.W, t.Q), iter: 25,
            print: t => $"x=[{Inputs.Print(t.X)}]\nz=[{Inputs.Print(t.Z)}]\nw=[{Inputs.Print(t.W)}]\nq=[{Inputs.Print(t.Q)}]");
    }

    private static void OpInfoCheck<T>(OpInfoCase c, double[] logits, double[] labels, double[] weight, double[] posWeight)
        where T : IFloatingPointIeee754<T>
    {
        var x = SampleWeightPeer.Seen<T>(logits);
        var z = SampleWeightPeer.Seen<T>(labels);
        var w = SampleWeightPeer.Seen<T>(weight);
        var q = SampleWeightPeer.Seen<T>(posWeight);
        var terms = SampleWeightPeer.Losses(x, z, q, w);
        var scales = SampleWeightPeer.LossScales(x, z, q, w);
        var f = new StringBuilder();
        string name = $"{SampleWeightPeer.Name<T>()} {c.Name}";
        if (c.Reduction == Reduction.None)
        {
            SampleWeightPeer.Expect(f, $"{name} loss", SampleWeightPeer.Losses<T>(labels, logits, posWeight, weight), terms,
                i => SampleWeightPeer.Derived<T>(scales[i]));
            var dx = Enumerable.Range(0, c.N).Select(i => SampleWeightPeer.Dx(x[i], z[i], q[i % q.Length], w[i % w.Length])).ToArray();
            var dxScale = Enumerable.Range(0, c.N).Select(i => SampleWeightPeer.DxScale(x[i], z[i], q[i % q.Length], w[i % w.Length])).ToArray();
            SampleWeightPeer.Expect(f, $"{name} ∂/∂x", SampleWeightPeer.Elementwise<T>(Op.LogitsGradient, labels, logits, posWeight, weight), dx,
                i => SampleWeightPeer.Derived<T>(dxScale[i]));
        }
        else
        {
            double divisor = c.Reduction == Reduction.Mean ? c.N : 1;
            double expected = Inputs.ExactSum(terms) / divisor;
            double scale = Inputs.ExactSum(scales) / divisor;
            SampleWeightPeer.Expect(f, $"{name} reduced", SampleWeightPeer.Reduced<T>(labels, logits, posWeight, weight, c.Reduction), expected,
                SampleWeightPeer.Derived<T>(scale));
            var (fused, gradient) = SampleWeightPeer.Fused<T>(labels, logits, posWeight, weight, c.Reduction);
            SampleWeightPeer.Expect(f, $"{name} fused", fused, expected, SampleWeightPeer.Derived<T>(scale));
            var dx = Enumerable.Range(0, c.N).Select(i => SampleWeightPeer.Dx(x[i], z[i], q[i % q.Length], w[i % w.Length]) / divisor).ToArray();
            var dxScale = Enumerable.Range(0, c.N)
                .Select(i => SampleWeightPeer.DxScale(x[i], z[i], q[i % q.Length], w[i % w.Length]) / divisor).ToArray();
            SampleWeightPeer.Expect(f, $"{name} fused gradient", gradient, dx, i => SampleWeightPeer.Derived<T>(dxScale[i]));
        }

        SampleWeightPeer.Pass(f);
    }

    // =====================================================================================================
    // Argument errors (the peers raise ValueError: TF's LogLossTest.testWeightsWithSameNumDimsButWrongShapeThrowsException,
    // weights (2, 4) against losses (2, 3); PyTorch's "weight ... must be broadcastable"). Here: ArgumentException whose
    // message names sampleWeight and both lengths; labelSmoothing outside [0, 1] or NaN: ArgumentOutOfRangeException
    // with ParamName "labelSmoothing".
    // =====================================================================================================

    /// <summary>Every span entry that takes a sample weight and label smoothing.</summary>
    public enum Entry
    {
        Loss,
        LogitsGradient,
        LabelsGradient,
        PosWeightGradient,
        Fused,
        Reduced,
        ByteLoss,
        ByteLogitsGradient,
        ByteFused,
        ByteReduced,
    }

    private static void Call(Entry entry, double[] sampleWeight, double labelSmoothing, int n = 6)
    {
        var z = new double[n];
        var x = new double[n];
        var b = new byte[n];
        var d = new double[n];
        double[] q = [1];
        switch (entry)
        {
            case Entry.Loss:
                Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, sampleWeight, d, labelSmoothing);
                break;
            case Entry.LogitsGradient:
                Nn.WeightedCrossEntropyWithLogitsGradient<double>(z, x, q, sampleWeight, d, labelSmoothing);
                break;
            case Entry.LabelsGradient:
                Nn.WeightedCrossEntropyWithLogitsLabelsGradient<double>(z, x, q, sampleWeight, d, labelSmoothing);
                break;
            case Entry.PosWeightGradient:
                Nn.WeightedCrossEntropyWithLogitsPosWeightGradient<double>(z, x, q, sampleWeight, d, labelSmoothing);
                break;
            case Entry.Fused:
                _ = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, q, sampleWeight, d, Reduction.Mean, labelSmoothing);
                break;
            case Entry.Reduced:
                _ = Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, sampleWeight, Reduction.Sum, labelSmoothing);
                break;
            case Entry.ByteLoss:
                Nn.WeightedCrossEntropyWithLogits<double>(b, x, q, sampleWeight, d, labelSmoothing);
                break;
            case Entry.ByteLogitsGradient:
                Nn.WeightedCrossEntropyWithLogitsGradient<double>(b, x, q, sampleWeight, d, labelSmoothing);
                break;
            case Entry.ByteFused:
                _ = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(b, x, q, sampleWeight, d, Reduction.Sum, labelSmoothing);
                break;
            default:
                _ = Nn.WeightedCrossEntropyWithLogits<double>(b, x, q, sampleWeight, Reduction.Mean, labelSmoothing);
                break;
        }
    }

    public static TheoryData<Entry, int> WrongLengths()
    {
        var data = new TheoryData<Entry, int>();
        foreach (var entry in Enum.GetValues<Entry>())
        {
            // 4 (does not divide 6), 8 (TF's (2, 4) weights against (2, 3) losses), 12 (longer than N); the empty
            // weight is the next test.
            foreach (int length in new[] { 4, 8, 12 })
            {
                data.Add(entry, length);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WrongLengths))]
    public void Tf_testWeightsWithSameNumDimsButWrongShapeThrowsException_a_sample_weight_of_a_wrong_length(Entry entry, int length)
    {
        var error = Assert.Throws<ArgumentException>(() => Call(entry, Peer.Fill(length, 1.0), 0));
        Assert.IsNotType<ArgumentOutOfRangeException>(error);
        Assert.Contains("sampleWeight", error.Message, StringComparison.Ordinal);
        // Each length as a whole number (not part of another number; a full stop may follow).
        Assert.Matches($@"(?<![\w.]){length}(?!\w|\.\d)", error.Message);
        Assert.Matches(@"(?<![\w.])6(?!\w|\.\d)", error.Message);
    }

    public static TheoryData<Entry> Entries() => new(Enum.GetValues<Entry>());

    [Theory]
    [MemberData(nameof(Entries))]
    public void An_empty_sample_weight_names_sampleWeight_and_both_lengths(Entry entry)
    {
        // A wrong length like any other (API16: the message names sampleWeight and both lengths): "empty" or 0, and
        // the logits' 6.
        var error = Assert.Throws<ArgumentException>(() => Call(entry, [], 0));
        Assert.IsNotType<ArgumentOutOfRangeException>(error);
        Assert.Contains("sampleWeight", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("empty", StringComparison.Ordinal) || Regex.IsMatch(error.Message, @"(?<![\w.])0(?!\w|\.\d)"),
            $"the length 0 is not named: {error.Message}");
        Assert.Matches(@"(?<![\w.])6(?!\w|\.\d)", error.Message);
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
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Call(entry, [1], labelSmoothing));
        Assert.Equal("labelSmoothing", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Label_smoothing_0_and_1_are_accepted(string type) => Run(type, SmoothingBounds<double>, SmoothingBounds<float>);

    private static void SmoothingBounds<T>()
        where T : IFloatingPointIeee754<T>
    {
        // ε = 1 smooths every label to ½ (TF: z·(1 − 1) + 0.5): the loss of labels ½; ε = 0 leaves them as they are.
        double[] labels = [0, 1, 0.25, 1, 0];
        double[] logits = [-3, 2, 0.5, -0.25, 7];
        double[] q = [2.5];
        double[] w = [0.5, 2, 1, 3, 0.75];
        var f = new StringBuilder();
        foreach (double smoothing in new[] { 0.0, 1.0 })
        {
            var x = SampleWeightPeer.Seen<T>(logits);
            var z = SampleWeightPeer.Seen<T>(labels);
            var expected = SampleWeightPeer.Losses(x, z, q, w, smoothing);
            SampleWeightPeer.Expect(f, $"{SampleWeightPeer.Name<T>()} ε = {smoothing}", SampleWeightPeer.Losses<T>(labels, logits, q, w, smoothing),
                expected, i => SampleWeightPeer.Derived<T>(expected[i]));
        }

        SampleWeightPeer.Pass(f);
    }
}
