using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Text;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;
using WeightedCrossEntropy.Tests.Properties;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Api;

/// <summary>
/// Properties of the sample weight and label smoothing on every lane width and kernel family: a weight of 1 without
/// smoothing gives the very bits of the call without a weight; a weight w gives w times the unweighted value, rounded
/// once (float32 against the float64 result of the same float inputs times w); special weights follow the documented
/// rules; smoothing with ε = 0.5 on hard labels equals the unsmoothed call on the labels 0.25 and 0.75, which are
/// exact. Exact reference values for weights and smoothing are in Math/WeightedReferenceTests.
/// </summary>
public sealed class SampleWeightTests
{
    public enum Kernel { Loss, Dx, Dz, Dq, FusedGradient, SummedLoss }

    private static readonly string[] Widths = ["Best", "Scalar", "Vector128", "Vector256", "Vector512"];

    public static TheoryData<Kernel, string> Cases()
    {
        var data = new TheoryData<Kernel, string>();
        foreach (var op in Enum.GetValues<Kernel>())
        {
            foreach (var width in Widths)
            {
                data.Add(op, width);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_weight_of_one_gives_the_bits_of_the_call_without_one(Kernel op, string lanes)
    {
        var width = Width(lanes);
        var (z, x, q) = Inputs(70_001, seed: 3);
        var failures = new StringBuilder();
        Compare(failures, "float64", op, width, z, x, q);
        Compare(failures, "float32", op, width, ToSingle(z), ToSingle(x), ToSingle(q));
        var zb = z.Select(v => v == 1.0 ? (byte)1 : (byte)0).ToArray();
        var hard = zb.Select(v => (double)v).ToArray();
        Compare(failures, "float32 bytes", op, width, ToSingle(hard), ToSingle(x), ToSingle(q), zb);
        Assert.True(failures.Length == 0, failures.ToString());

        static void Compare<T>(StringBuilder failures, string what, Kernel op, LaneWidth width, T[] z, T[] x, T[] q, byte[]? bytes = null)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var plain = new T[x.Length];
            double s0 = Run(op, width, z, x, q, default, plain, bytes);
            // One weight 1 for every element (folded into the scale) and a weight 1 per element (the per-lane path).
            var ones = Enumerable.Repeat(T.One, x.Length).ToArray();
            foreach (var (name, w) in new[] { ("[1]", new[] { T.One }), ("ones per element", ones) })
            {
                var weighted = new T[x.Length];
                double s1 = Run(op, width, z, x, q, w, weighted, bytes);
                for (int i = 0; i < x.Length; i++)
                {
                    if (!plain[i].Equals(weighted[i]))
                    {
                        failures.AppendLine($"{what} {op} {width} w = {name} element {i}: {weighted[i]} weighted, {plain[i]} without");
                        return;
                    }
                }

                if (!s0.Equals(s1))
                {
                    failures.AppendLine($"{what} {op} {width} w = {name}: sum {s1:R} weighted, {s0:R} without");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_weight_multiplies_the_value_before_its_one_rounding(Kernel op, string lanes)
    {
        var width = Width(lanes);
        var (z, x, q) = Inputs(70_001, seed: 4);
        var rng = new Random(11);
        // Weights of every kind the loops treat apart: 0, ordinary, tiny and huge (outside the hard kernels' range),
        // negative; per class (cycling) and per element.
        double[] special = [0, 1, 0.3, 3, 1e-30, 1e12, -2, 2.5e-20];
        foreach (int c in new[] { 7, x.Length })
        {
            var w = new double[c];
            for (int j = 0; j < c; j++)
            {
                w[j] = j < special.Length && c == 7 ? special[j] : rng.Next(5) == 0 ? special[rng.Next(special.Length)] : rng.NextDouble() * 4;
            }

            var failures = new StringBuilder();
            double worst = 0;
            var zf = ToSingle(z);
            var xf = ToSingle(x);
            var qf = ToSingle(q);
            var wf = ToSingle(w);
            var weighted = new float[x.Length];
            double sum = Run(op, width, zf, xf, qf, wf, weighted, null);

            // The reference: the same float inputs in float64, unweighted, times w in double (3 double ULP: far below
            // a float ULP).
            var zd = Widen(zf);
            var xd = Widen(xf);
            var qd = Widen(qf);
            var plain = new double[x.Length];
            double plainSum = Run(op, width, zd, xd, qd, default, plain, null);
            double expectedSum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double wi = wf[i % c];
                // The limits rule: a zero weight times an infinite value is 0.
                double expected = wi == 0 && double.IsInfinity(plain[i]) ? 0 : wi * plain[i];
                expectedSum += expected;
                double terms = System.Math.Abs(wi) * Magnitude(op, xd[i], zd[i], qd[i % qd.Length]);
                double error = Ulp.Error(weighted[i], expected, terms, isFloat32: true);
                worst = System.Math.Max(worst, error);
                if (!(error <= 2.0))
                {
                    failures.AppendLine($"C = {c} element {i}: x = {xf[i]:R} z = {zf[i]:R} q = {qd[i % qd.Length]:R} w = {wi:R}: {weighted[i]:R}, expected {expected:R} ({error:F2} ULP)");
                    if (failures.Length > 2000)
                    {
                        break;
                    }
                }
            }

            if (op == Kernel.SummedLoss)
            {
                // Σ w·loss in double: each term rounded to float once, so within 2^−23 of the sum of |terms|.
                double bound = Enumerable.Range(0, x.Length).Sum(i => wf[i % c] == 0 ? 0 : System.Math.Abs(wf[i % c] * plain[i])) * 1.2e-7;
                Assert.True(sum.Equals(expectedSum) || System.Math.Abs(sum - expectedSum) <= bound, $"C = {c}: sum {sum:R}, expected {expectedSum:R}");
            }

            _ = plainSum;
            Assert.True(failures.Length == 0, $"{op} {width} worst {worst:F2} ULP\n{failures}");
        }
    }

    [Fact]
    public void Special_weights_follow_the_limits_rule()
    {
        double inf = double.PositiveInfinity;
        // z = 0 at x = +∞ has an infinite loss; z = 1 there has loss 0; z = 0.5 at x = 0 has log 2.
        double[] z = [0, 0, 0, 1, 1, 0.5, 0.5, 0];
        double[] x = [inf, inf, 2, inf, inf, 0, 0, -inf];
        double[] w = [0, 2, double.NaN, inf, 0, inf, -1, 0];
        foreach (var lanes in Widths.Where(IsAccelerated))
        {
            var width = Enum.Parse<LaneWidth>(lanes);
            var d = new double[z.Length];
            Dispatch.Apply<LossOperator, double>(z, x, [1.0], 0, d, Scale.One, width, w);
            Assert.Equal(0.0, d[0]);                  // 0·∞ counts as 0
            Assert.Equal(inf, d[1]);
            Assert.True(double.IsNaN(d[2]));           // a NaN weight gives NaN
            Assert.True(double.IsNaN(d[3]));           // ∞·0 (IEEE)
            Assert.Equal(0.0, d[4]);
            Assert.Equal(inf, d[5]);
            Assert.Equal(-System.Math.Log(2), d[6], 15);
            Assert.Equal(0.0, d[7]);                   // z = 0 at x = −∞: loss 0, weight 0

            var f = new float[z.Length];
            Dispatch.Apply<LossOperator, float>(ToSingle(z), ToSingle(x), [1f], 0, f, Scale.One, width, ToSingle(w));
            Assert.Equal(0f, f[0]);
            Assert.Equal(float.PositiveInfinity, f[1]);
            Assert.True(float.IsNaN(f[2]));
            Assert.True(float.IsNaN(f[3]));
            Assert.Equal(0f, f[4]);

            // The gradient of a zero weight at an infinite logit is 0; the fused sum skips it.
            var g = new double[z.Length];
            double[] finiteW = [0, 2, 1, 1, 0, 1, -1, 0];
            double sum = Dispatch.Apply<LossAndLogitsGradientOperator, double>(z, x, [1.0], 0, g, Scale.One, width, finiteW);
            Assert.Equal(0.0, g[0]);
            Assert.Equal(2.0, g[1]);
            Assert.Equal(inf, sum);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Smoothed_hard_labels_are_the_labels_one_quarter_and_three_quarters(Kernel op, string lanes)
    {
        // With ε = 0.5 the smoothed hard labels are 0.25 and 0.75, exact in float: the smoothed call (hard-label
        // kernels) against the float64 call on those soft labels (double lanes, within 3 double ULP of exact).
        var width = Width(lanes);
        var (z, x, q) = Inputs(20_004, seed: 5);
        var hard = z.Select(v => v == 1.0 ? 1.0 : 0.0).ToArray();
        var smoothed = hard.Select(v => (v * 0.5) + 0.25).ToArray();
        var xf = ToSingle(x);
        var qf = ToSingle(q);
        var xd = Widen(xf);
        var qd = Widen(qf);
        var bytes = hard.Select(v => (byte)v).ToArray();
        var smoothing = new Smoothing(0.5);
        foreach (var fromBytes in new[] { false, true })
        {
            var actual = new float[x.Length];
            double sum = RunSmoothed(op, width, ToSingle(hard), xf, qf, actual, fromBytes ? bytes : null, smoothing);
            var expected = new double[x.Length];
            double expectedSum = Run<double>(op, LaneWidth.Scalar, smoothed, xd, qd, default, expected, null);
            // ∂/∂z is with respect to the unsmoothed label: 1 − ε = 0.5 times the derivative at z'.
            double factor = op == Kernel.Dz ? 0.5 : 1.0;
            double worst = 0;
            for (int i = 0; i < x.Length; i++)
            {
                expected[i] *= factor;
                double error = Ulp.Error(
                    actual[i], expected[i], factor * Magnitude(op, xd[i], smoothed[i], qd[i % qd.Length]), isFloat32: true);
                worst = System.Math.Max(worst, error);
                Assert.True(error <= 2.0,
                    $"{op} {width} bytes {fromBytes} element {i}: x = {xf[i]:R} z' = {smoothed[i]} q = {qd[i % 3]}: {actual[i]:R}, expected {expected[i]:R} ({error:F2} ULP)");
            }

            if (op == Kernel.SummedLoss)
            {
                Assert.True(System.Math.Abs(sum - expectedSum) <= System.Math.Abs(expectedSum) * 1.2e-7 || sum.Equals(expectedSum),
                    $"sum {sum:R}, expected {expectedSum:R}");
            }
        }
    }

    [Fact]
    public void Smoothing_scales_the_labels_gradient_by_one_minus_epsilon()
    {
        var (z, x, q) = Inputs(20_004, seed: 5);
        var hard = z.Select(v => v == 1.0 ? 1.0 : 0.0).ToArray();
        var xf = ToSingle(x);
        var qf = ToSingle(q);
        var expected = new float[x.Length];
        var actual = new float[x.Length];
        CallOp(Op.LabelsGradient, ToSingle(hard), xf, qf, [1f], expected, 0);
        CallOp(Op.LabelsGradient, ToSingle(hard), xf, qf, [1f], actual, 0.5);
        for (int i = 0; i < x.Length; i++)
        {
            // ∂/∂z of the smoothed loss is (1 − ε) times the unsmoothed one: exactly half here.
            Assert.True((expected[i] * 0.5f).Equals(actual[i]), $"element {i}: {actual[i]:R}, expected {expected[i] * 0.5f:R}");
        }
    }

    private static double RunSmoothed(
        Kernel op, LaneWidth width, float[] z, float[] x, float[] q, float[] d, byte[]? bytes, Smoothing smoothing)
    {
        var scale = op == Kernel.FusedGradient ? Scale.Reciprocal(x.Length) : Scale.One;
        if (bytes is not null)
        {
            return op switch
            {
                Kernel.Loss => Dispatch.ApplyByteLabels<LossOperator, float>(bytes, x, q, d, scale, width, default, smoothing),
                Kernel.Dx => Dispatch.ApplyByteLabels<LogitsGradientOperator, float>(bytes, x, q, d, scale, width, default, smoothing),
                Kernel.Dz => Dispatch.ApplyByteLabels<LabelsGradientOperator, float>(bytes, x, q, d, scale, width, default, smoothing),
                Kernel.Dq => Dispatch.ApplyByteLabels<PosWeightGradientOperator, float>(bytes, x, q, d, scale, width, default, smoothing),
                Kernel.FusedGradient => Dispatch.ApplyByteLabels<LossAndLogitsGradientOperator, float>(bytes, x, q, d, scale, width, default, smoothing),
                _ => Dispatch.ApplyByteLabels<Summed<LossOperator>, float>(bytes, x, q, d, scale, width, default, smoothing),
            };
        }

        return op switch
        {
            Kernel.Loss => Dispatch.Apply<LossOperator, float>(z, x, q, 0, d, scale, width, default, smoothing),
            Kernel.Dx => Dispatch.Apply<LogitsGradientOperator, float>(z, x, q, 0, d, scale, width, default, smoothing),
            Kernel.Dz => Dispatch.Apply<LabelsGradientOperator, float>(z, x, q, 0, d, scale, width, default, smoothing),
            Kernel.Dq => Dispatch.Apply<PosWeightGradientOperator, float>(z, x, q, 0, d, scale, width, default, smoothing),
            Kernel.FusedGradient => Dispatch.Apply<LossAndLogitsGradientOperator, float>(z, x, q, 0, d, scale, width, default, smoothing),
            _ => Dispatch.Apply<Summed<LossOperator>, float>(z, x, q, 0, d, scale, width, default, smoothing),
        };
    }

    [Fact]
    public void Weighted_mean_divides_by_the_sum_of_the_broadcast_weights()
    {
        var (z, x, q) = Inputs(5_001 * 3, seed: 6);
        double[] w = [0.5, 2, 0];
        var gSum = new double[x.Length];
        var gWeighted = new double[x.Length];
        double sum = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, q, w, gSum, Reduction.Sum);
        double weighted = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, q, w, gWeighted, Reduction.WeightedMean);
        double totalWeight = 2.5 * 5_001;
        Assert.Equal(sum / totalWeight, weighted, 14);
        for (int i = 0; i < x.Length; i++)
        {
            // w·g/W rounded once against (w·g rounded)/W: within one ULP of each other.
            Assert.True(System.Math.Abs(gWeighted[i] - (gSum[i] / totalWeight)) <= Ulp.Unit(gWeighted[i], false) * 1.5,
                $"element {i}: {gWeighted[i]:R} vs {gSum[i] / totalWeight:R}");
        }

        double mean = Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, w, Reduction.Mean);
        Assert.Equal(sum / x.Length, mean, 14);
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, [0.0], Reduction.WeightedMean)));
    }

    [Fact]
    public void Bad_sample_weights_and_smoothing_are_named()
    {
        var d = new float[6];
        var e1 = Assert.Throws<ArgumentException>(() =>
            Nn.WeightedCrossEntropyWithLogits<float>(new float[6], new float[6], [1f], new float[4], d));
        Assert.Equal("sampleWeight", e1.ParamName);
        Assert.Contains("4", e1.Message);
        Assert.Contains("6", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() =>
            Nn.WeightedCrossEntropyWithLogits<float>(new float[6], new float[6], [1f], ReadOnlySpan<float>.Empty, d));
        Assert.Equal("sampleWeight", e2.ParamName);
        foreach (double eps in new[] { -0.1, 1.5, double.NaN })
        {
            var e3 = Assert.Throws<ArgumentOutOfRangeException>(() =>
                Nn.WeightedCrossEntropyWithLogits<float>(new float[6], new float[6], [1f], [1f], d, eps));
            Assert.Equal("labelSmoothing", e3.ParamName);
        }

        var logits = Tensor.Create(new float[6], [2, 3]);
        var e4 = Assert.Throws<ArgumentException>(() =>
            Nn.WeightedCrossEntropyWithLogits<float>(logits, logits, Tensor.Create([1f], [1]), Tensor.Create(new float[2], [2])));
        Assert.Equal("sampleWeight", e4.ParamName);
        Assert.Contains("(2,)", e4.Message);
        Assert.Contains("(2, 3)", e4.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tensor_gradients_match_finite_differences_for_every_reduction(bool scalarWeights)
    {
        // Per-class pos_weight and per-row sample weight, or one of each (a sample weight folded into the scale, the
        // pos_weight gradient summed over every element).
        var x = Tensor.Create(new double[] { 0.3, -0.7, 1.2, -2.5, 4, 0.1 }, [3, 2]);
        var z = Tensor.Create(new double[] { 1, 0, 0.9, 0.1, 0, 1 }, [3, 2]);
        double[] q0 = scalarWeights ? [2] : [2, 0.5];
        double[] w0 = scalarWeights ? [1.5] : [1.5, 0, 3];
        nint[] qShape = [q0.Length];
        nint[] wShape = scalarWeights ? [1] : [3, 1];
        const double eps = 0.2;
        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean, Reduction.WeightedMean })
        {
            var g = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
                z, x, Tensor.Create(q0, qShape), Tensor.Create(w0, wShape), reduction, eps);
            double F(double[] xv, double[] zv, double[] qv, double[] wv) => Nn.WeightedCrossEntropyWithLogits<double>(
                Tensor.Create(zv, [3, 2]), Tensor.Create(xv, [3, 2]), Tensor.Create(qv, qShape), Tensor.Create(wv, wShape),
                reduction, eps);
            double[] xs = x.ToArray(), zs = z.ToArray();
            Check(g.Logits.ToArray(), xs, v => F(v, zs, q0, w0));
            Check(g.Labels.ToArray(), zs, v => F(xs, v, q0, w0));
            Check(g.PosWeight.ToArray(), q0, v => F(xs, zs, v, w0));
            Check(g.SampleWeight!.ToArray(), w0, v => F(xs, zs, q0, v));
        }

        static void Check(double[] analytic, double[] at, Func<double[], double> f)
        {
            for (int k = 0; k < at.Length; k++)
            {
                const double h = 1e-5;
                var plus = (double[])at.Clone();
                var minus = (double[])at.Clone();
                plus[k] += h;
                minus[k] -= h;
                double numeric = (f(plus) - f(minus)) / (2 * h);
                Assert.True(
                    double.IsFinite(analytic[k])
                    && System.Math.Abs(numeric - analytic[k]) <= 1e-7 * (1 + System.Math.Abs(analytic[k])),
                    $"element {k}: analytic {analytic[k]:R}, central difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void Channel_weights_with_an_upstream_gradient_or_a_weighted_mean_match_finite_differences()
    {
        // pos_weight and sample weight [C, 1, 1] against [N, C, H, W]: weights expanded over one period (repeated past
        // the element count), a weighted mean over them, and an upstream gradient against F = Σ g·loss.
        var rng = new Random(12);
        double[] Draw(int count, double low, double high) =>
            Enumerable.Range(0, count).Select(_ => low + ((high - low) * rng.NextDouble())).ToArray();
        nint[] shape = [2, 3, 2, 2];
        nint[] perClass = [3, 1, 1];
        double[] x0 = Draw(24, -3, 3), z0 = Draw(24, 0, 1), g0 = Draw(24, -1, 1);
        double[] q0 = [1.5, 2, 0.5], w0 = [0.5, 2, 1.25];
        const double eps = 0.1;
        double Upstream(double[] x, double[] z, double[] q, double[] w)
        {
            var loss = Nn.WeightedCrossEntropyWithLogits<double>(
                Tensor.Create(z, shape), Tensor.Create(x, shape), Tensor.Create(q, perClass), Tensor.Create(w, perClass), eps)
                .ToArray();
            return loss.Select((v, i) => v * g0[i]).Sum();
        }

        double Weighted(double[] x, double[] z, double[] q, double[] w) => Nn.WeightedCrossEntropyWithLogits<double>(
            Tensor.Create(z, shape), Tensor.Create(x, shape), Tensor.Create(q, perClass), Tensor.Create(w, perClass),
            Reduction.WeightedMean, eps);

        var withUpstream = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Tensor.Create(z0, shape), Tensor.Create(x0, shape), Tensor.Create(q0, perClass), Tensor.Create(w0, perClass),
            Tensor.Create(g0, shape), eps);
        var mean = Nn.WeightedCrossEntropyWithLogitsGradients<double>(
            Tensor.Create(z0, shape), Tensor.Create(x0, shape), Tensor.Create(q0, perClass), Tensor.Create(w0, perClass),
            Reduction.WeightedMean, eps);
        foreach (var (grads, f) in new[] { (withUpstream, (Func<double[], double[], double[], double[], double>)Upstream), (mean, Weighted) })
        {
            Central(grads.Logits.ToArray(), x0, v => f(v, z0, q0, w0));
            Central(grads.Labels.ToArray(), z0, v => f(x0, v, q0, w0));
            Central(grads.PosWeight.ToArray(), q0, v => f(x0, z0, v, w0));
            Central(grads.SampleWeight!.ToArray(), w0, v => f(x0, z0, q0, v));
        }

        double totalWeight = 8 * w0.Sum();
        double sum = Nn.WeightedCrossEntropyWithLogits<double>(
            Tensor.Create(z0, shape), Tensor.Create(x0, shape), Tensor.Create(q0, perClass), Tensor.Create(w0, perClass),
            Reduction.Sum, eps);
        Assert.Equal(sum / totalWeight, Weighted(x0, z0, q0, w0), 14);

        static void Central(double[] analytic, double[] at, Func<double[], double> f)
        {
            for (int k = 0; k < at.Length; k++)
            {
                const double h = 1e-5;
                var plus = (double[])at.Clone();
                var minus = (double[])at.Clone();
                plus[k] += h;
                minus[k] -= h;
                double numeric = (f(plus) - f(minus)) / (2 * h);
                Assert.True(
                    double.IsFinite(analytic[k])
                    && System.Math.Abs(numeric - analytic[k]) <= 1e-7 * (1 + System.Math.Abs(analytic[k])),
                    $"element {k}: analytic {analytic[k]:R}, central difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void The_upstream_gradient_scales_the_logits_gradient_before_its_one_rounding()
    {
        // Tensor gradients with an upstream gradient g: ∂/∂logits is g times the local derivative rounded once (as a
        // per-element sample weight g gives in the span call); ∂/∂labels keeps TensorFlow's 0·∞ = NaN at x = +∞.
        const int rows = 4_001, classes = 5;
        var (z, x, _) = Inputs(rows * classes, seed: 9);
        var rng = new Random(10);
        var g = Enumerable.Range(0, x.Length).Select(i => i % 97 == 0 ? 0.0 : (rng.NextDouble() * 4) - 1).ToArray();
        x[7] = double.PositiveInfinity;
        g[7] = 0;
        float[] q = [1.5f, 0.3f, 7f, 1f, 0f];
        var xf = ToSingle(x);
        var zf = ToSingle(z);
        var gf = ToSingle(g);
        nint[] shape = [rows, classes];
        var grads = Nn.WeightedCrossEntropyWithLogitsGradients<float>(
            Tensor.Create(zf, shape), Tensor.Create(xf, shape), Tensor.Create(q, [classes]), Tensor.Create(gf, shape));
        var expected = new float[x.Length];
        Nn.WeightedCrossEntropyWithLogitsGradient<float>(zf, xf, q, gf, expected);
        var dx = grads.Logits.ToArray();
        var local = new double[x.Length];
        Nn.WeightedCrossEntropyWithLogitsGradient<double>(Widen(zf), Widen(xf), Widen(q), local);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(expected[i].Equals(dx[i]), $"element {i}: {dx[i]:R}, the span call with w = g gives {expected[i]:R}");
            double exact = gf[i] * local[i];
            double terms = System.Math.Abs(gf[i]) * TermMagnitudes.Dx(xf[i], zf[i], q[i % classes]);
            Assert.True(Ulp.Error(dx[i], exact, terms, isFloat32: true) <= 2.0, $"element {i}: {dx[i]:R}, exact {exact:R}");
        }

        Assert.True(float.IsNaN(grads.Labels.ToArray()[7]));
    }

    private static void CallOp(Op op, float[] z, float[] x, float[] q, float[] w, float[] d, double eps)
    {
        switch (op)
        {
            case Op.Loss:
                Nn.WeightedCrossEntropyWithLogits<float>(z, x, q, w, d, eps);
                break;
            case Op.LogitsGradient:
                Nn.WeightedCrossEntropyWithLogitsGradient<float>(z, x, q, w, d, eps);
                break;
            case Op.LabelsGradient:
                Nn.WeightedCrossEntropyWithLogitsLabelsGradient<float>(z, x, q, w, d, eps);
                break;
            default:
                Nn.WeightedCrossEntropyWithLogitsPosWeightGradient<float>(z, x, q, w, d, eps);
                break;
        }
    }

    private static double Run<T>(Kernel op, LaneWidth width, T[] z, T[] x, T[] q, ReadOnlySpan<T> w, T[] d, byte[]? bytes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bytes is not null)
        {
            return op switch
            {
                Kernel.Loss => Dispatch.ApplyByteLabels<LossOperator, T>(bytes, x, q, d, Scale.One, width, w),
                Kernel.Dx => Dispatch.ApplyByteLabels<LogitsGradientOperator, T>(bytes, x, q, d, Scale.One, width, w),
                Kernel.Dz => Dispatch.ApplyByteLabels<LabelsGradientOperator, T>(bytes, x, q, d, Scale.One, width, w),
                Kernel.Dq => Dispatch.ApplyByteLabels<PosWeightGradientOperator, T>(bytes, x, q, d, Scale.One, width, w),
                Kernel.FusedGradient => Dispatch.ApplyByteLabels<LossAndLogitsGradientOperator, T>(bytes, x, q, d, Scale.Reciprocal(x.Length), width, w),
                _ => Dispatch.ApplyByteLabels<Summed<LossOperator>, T>(bytes, x, q, d, Scale.One, width, w),
            };
        }

        return op switch
        {
            Kernel.Loss => Dispatch.Apply<LossOperator, T>(z, x, q, 0, d, Scale.One, width, w),
            Kernel.Dx => Dispatch.Apply<LogitsGradientOperator, T>(z, x, q, 0, d, Scale.One, width, w),
            Kernel.Dz => Dispatch.Apply<LabelsGradientOperator, T>(z, x, q, 0, d, Scale.One, width, w),
            Kernel.Dq => Dispatch.Apply<PosWeightGradientOperator, T>(z, x, q, 0, d, Scale.One, width, w),
            Kernel.FusedGradient => Dispatch.Apply<LossAndLogitsGradientOperator, T>(z, x, q, 0, d, Scale.Reciprocal(x.Length), width, w),
            _ => Dispatch.Apply<Summed<LossOperator>, T>(z, x, q, 0, d, Scale.One, width, w),
        };
    }

    private static double Magnitude(Kernel op, double x, double z, double q) => op switch
    {
        Kernel.Loss or Kernel.SummedLoss => TermMagnitudes.Loss(x, z, q),
        Kernel.Dx or Kernel.FusedGradient => TermMagnitudes.Dx(x, z, q),
        Kernel.Dz => TermMagnitudes.Dz(x, q),
        _ => 0,
    };

    /// <summary>Hard labels in the first half (logits in [−30, 30]), soft labels and logits in [−90, 90] with a few
    /// infinite ones in the second; pos_weight cycling over three values.</summary>
    private static (double[] Z, double[] X, double[] Q) Inputs(int n, int seed)
    {
        var rng = new Random(seed);
        var z = new double[n];
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            bool hard = i < n / 2;
            z[i] = hard ? rng.Next(2) : rng.NextDouble();
            x[i] = hard ? (rng.NextDouble() * 60) - 30 : (rng.NextDouble() * 180) - 90;
            if (!hard && rng.Next(500) == 0)
            {
                x[i] = rng.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity;
            }
        }

        return (z, x, [1.5, 0.3, 7]);
    }

    private static float[] ToSingle(double[] values) => values.Select(v => (float)v).ToArray();

    private static double[] Widen(float[] values) => values.Select(v => (double)v).ToArray();

    private static LaneWidth Width(string lanes)
    {
        Assert.SkipWhen(!IsAccelerated(lanes), $"{lanes} is not accelerated here");
        return Enum.Parse<LaneWidth>(lanes);
    }

    private static bool IsAccelerated(string lanes) => Enum.Parse<LaneWidth>(lanes) switch
    {
        LaneWidth.Vector128 => Vector128.IsHardwareAccelerated,
        LaneWidth.Vector256 => Vector256.IsHardwareAccelerated,
        LaneWidth.Vector512 => Vector512.IsHardwareAccelerated,
        _ => true,
    };
}
