using TorchSharp;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;
using static TorchSharp.torch;
using static WeightedCrossEntropy.TorchSharp.Tests.Support;

namespace WeightedCrossEntropy.TorchSharp.Tests;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// The per-element weight on CPU float32 and float64: multiplied in before the one rounding, so each float32 weighted
/// loss and input gradient is within the kernels' 2 ULP of the exact w·loss and w·∂loss/∂x, computed here in double
/// from the textbook formula (inputs representable in float32, so the exact value is that of the very inputs); in
/// float64, where double is no reference, power-of-two weights must give w times the unweighted result bit for bit.
/// Every broadcast layout of the weight is run: one value, per class [C], per row [N, 1] (expanded to the input's
/// shape), per element [N, C], each with a pos_weight per class [C] and with one per row [N, 1] (which does not repeat
/// along the trailing axes). The weight's gradient is checked against central differences.
/// </summary>
public sealed class WeightTests
{
    private const int Rows = 512;
    private const int Classes = 8;

    public static TheoryData<string, string> Layouts()
    {
        var data = new TheoryData<string, string>();
        foreach (var weight in new[] { "one", "classes", "rows", "elements" })
        {
            foreach (var posWeight in new[] { "classes", "rows" })
            {
                data.Add(weight, posWeight);
            }
        }

        return data;
    }

    private static long[] ShapeOf(string layout) => layout switch
    {
        "one" => [1],
        "classes" => [Classes],
        "rows" => [Rows, 1],
        _ => [Rows, Classes],
    };

    /// <summary>Values representable in float32 (so the same inputs in float32 and float64), with wide logits,
    /// soft and hard labels, pos_weight in [0.1, 20] and weights over several binades, some zero.</summary>
    private static (double[] X, double[] Z, double[] Q, double[] W) Inputs(long[] qShape, long[] wShape, int seed)
    {
        var random = new Random(seed);
        int n = Rows * Classes;
        static double[] F32(IEnumerable<double> v) => v.Select(d => (double)(float)d).ToArray();
        var x = F32(Uniform(random, n, -30, 30));
        var z = F32(Uniform(random, n, 0, 1).Select((v, i) => i % 3 == 0 ? System.Math.Round(v) : v));
        var q = F32(Uniform(random, (int)Count(qShape), 0.1, 20));
        var w = F32(Uniform(random, (int)Count(wShape), -3, 3).Select((v, i) => i % 17 == 5 ? 0 : System.Math.Pow(2, v)));
        return (x, z, q, w);
    }

    /// <summary>Index into a weight of shape [1], [C], [N, 1] or [N, C] for element i of [N, C].</summary>
    private static int At(long[] shape, int i) => Count(shape) switch
    {
        1 => 0,
        Classes when shape.Length == 1 => i % Classes,
        Rows when shape.Length == 2 => i / Classes,
        _ => i,
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Weighted_loss_and_input_gradient_are_within_2_ULP_of_exact_in_float32(
        string weightLayout, string posWeightLayout)
    {
        long[] shape = [Rows, Classes];
        long[] qShape = ShapeOf(posWeightLayout);
        long[] wShape = ShapeOf(weightLayout);
        var (xs, zs, qs, ws) = Inputs(qShape, wShape, seed: 11);
        int n = xs.Length;
        var failures = new List<string>();

        void Check(string what, int i, double actual, double expected, double unitMagnitude)
        {
            double error = Ulp.Error(actual, expected, unitMagnitude, isFloat32: true);
            if (error > 2)
            {
                failures.Add($"{what}[{i}] (x {xs[i]:R}, z {zs[i]:R}): {actual:R} vs {expected:R} ({error:F2} ULP)");
            }
        }

        using var scope = NewDisposeScope();
        var dtype = ScalarType.Float32;
        var x = Leaf(xs, shape, dtype);
        var z = Leaf(zs, shape, dtype);
        var q = Leaf(qs, qShape, dtype);
        var w = Leaf(ws, wShape, dtype);
        var loss = Values(Losses.binary_cross_entropy_with_logits(x, z, w, Reduction.None, q));
        var gradients = InputGradients(xs, shape, z, w, q, dtype);

        for (int i = 0; i < n; i++)
        {
            double xi = xs[i], zi = zs[i], qi = qs[At(qShape, i)], wi = ws[At(wShape, i)];
            double exactLoss = wi * (((1 - zi) * Softplus(xi)) + (qi * zi * Softplus(-xi)));
            double exactDx = wi * (((1 - zi) * Sigmoid(xi)) - (qi * zi * Sigmoid(-xi)));
            double dxScale = System.Math.Abs(wi) * TermMagnitudes.Dx(xi, zi, qi);
            Check("loss", i, loss[i], exactLoss, 0);
            Check("Sum ∂/∂x", i, gradients[Reduction.Sum][i], exactDx, dxScale);
            Check("Mean ∂/∂x", i, gradients[Reduction.Mean][i], exactDx / n, dxScale / n);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {3 * n} over 2 ULP:{Environment.NewLine}" +
            string.Join(Environment.NewLine, failures.Take(20)));

        // The core's span overload with both weights expanded here to one per element gives the very same bits.
        var core = new float[n];
        Nn.WeightedCrossEntropyWithLogits<float>(
            F32(zs), F32(xs), F32(Enumerable.Range(0, n).Select(i => qs[At(qShape, i)])),
            F32(Enumerable.Range(0, n).Select(i => ws[At(wShape, i)])), core);
        Assert.Equal(core.Select(v => (double)v), loss);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Float64_with_power_of_two_weights_is_the_unweighted_result_times_w_bit_for_bit(
        string weightLayout, string posWeightLayout)
    {
        // A product with 2^k is exact, so w·loss rounded once is w times the rounded unweighted loss: any weight
        // applied to the wrong element, or any second rounding that is not exact, shows as a differing bit. The same
        // holds for the input gradient of Sum and of Mean (N = 4096 is a power of two too).
        long[] shape = [Rows, Classes];
        long[] qShape = ShapeOf(posWeightLayout);
        long[] wShape = ShapeOf(weightLayout);
        var (xs, zs, qs, ws) = Inputs(qShape, wShape, seed: 13);
        ws = ws.Select(v => v == 0 ? 0 : System.Math.ScaleB(1.0, System.Math.ILogB(v))).ToArray();
        var dtype = ScalarType.Float64;
        using var scope = NewDisposeScope();
        var x = Leaf(xs, shape, dtype);
        var z = Leaf(zs, shape, dtype);
        var q = Leaf(qs, qShape, dtype);
        var w = Leaf(ws, wShape, dtype);
        var weighted = Values(Losses.binary_cross_entropy_with_logits(x, z, w, Reduction.None, q));
        var unweighted = Values(Losses.binary_cross_entropy_with_logits(x, z, null, Reduction.None, q));
        var weightedGradients = InputGradients(xs, shape, z, w, q, dtype);
        var unweightedGradients = InputGradients(xs, shape, z, null, q, dtype);
        for (int i = 0; i < xs.Length; i++)
        {
            double wi = ws[At(wShape, i)];
            Assert.Equal(wi * unweighted[i], weighted[i]);
            Assert.Equal(wi * unweightedGradients[Reduction.Sum][i], weightedGradients[Reduction.Sum][i]);
            Assert.Equal(wi * unweightedGradients[Reduction.Mean][i], weightedGradients[Reduction.Mean][i]);
        }
    }

    /// <summary>∂/∂input of Sum and of Mean with only the input requiring a gradient (the fused pass: the loss and
    /// w·∂/∂x, divided by N for Mean, in one).</summary>
    private static Dictionary<Reduction, double[]> InputGradients(
        double[] xs, long[] shape, Tensor z, Tensor? w, Tensor q, ScalarType dtype)
    {
        var gradients = new Dictionary<Reduction, double[]>();
        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
        {
            var xg = Leaf(xs, shape, dtype, requiresGrad: true);
            Losses.binary_cross_entropy_with_logits(xg, z, w, reduction, q).backward();
            gradients[reduction] = Grad(xg);
        }

        return gradients;
    }

    private static float[] F32(IEnumerable<double> values) => values.Select(v => (float)v).ToArray();

    [Fact]
    public void Weighting_before_the_rounding_is_closer_than_weighting_the_rounded_loss()
    {
        // The same float32 data through the adapter, and through the composition the adapter used before: the
        // unweighted loss rounded to float32, then times w rounded again. Its error is the loss's rounding error
        // rescaled into the product's binade (up to twice as many ULP where w·m just reaches the next power of two,
        // m the loss's significand), plus another half ULP. The weights here are chosen so, w = 1.9999/m: the worst
        // error of the composition is then larger than the adapter's, which the weight inside the kernel keeps
        // within the kernels' 2 ULP. (Measured: 1.895 ULP composed, 1.215 in the kernel.)
        long[] shape = [Rows, Classes];
        long[] wShape = [Rows, Classes];
        long[] qShape = [Classes];
        double worstOurs = 0, worstComposed = 0;
        for (int seed = 0; seed < 8; seed++)
        {
            var (xs, zs, qs, ws) = Inputs(qShape, wShape, seed);
            for (int i = 0; i < ws.Length; i++)
            {
                double qi = qs[i % Classes];
                double l = ((1 - zs[i]) * Softplus(xs[i])) + (qi * zs[i] * Softplus(-xs[i]));
                double m = System.Math.ScaleB(l, -System.Math.ILogB(l));
                ws[i] = (float)(1.9999 / m);
            }

            using var scope = NewDisposeScope();
            var x = Leaf(xs, shape, ScalarType.Float32);
            var z = Leaf(zs, shape, ScalarType.Float32);
            var q = Leaf(qs, qShape, ScalarType.Float32);
            var w = Leaf(ws, wShape, ScalarType.Float32);
            var weighted = Values(Losses.binary_cross_entropy_with_logits(x, z, w, Reduction.None, q));
            var unweighted = Values(Losses.binary_cross_entropy_with_logits(x, z, null, Reduction.None, q));
            for (int i = 0; i < xs.Length; i++)
            {
                double wi = ws[i], qi = qs[i % Classes];
                double exact = wi * (((1 - zs[i]) * Softplus(xs[i])) + (qi * zs[i] * Softplus(-xs[i])));
                double composed = (float)((float)unweighted[i] * (float)wi);
                worstOurs = System.Math.Max(worstOurs, Ulp.Error(weighted[i], exact, 0, isFloat32: true));
                worstComposed = System.Math.Max(worstComposed, Ulp.Error(composed, exact, 0, isFloat32: true));
            }
        }

        Assert.True(worstOurs <= 2, $"weighted in the kernel: {worstOurs:F3} ULP");
        Assert.True(worstComposed > worstOurs, $"composed {worstComposed:F3} ULP, in the kernel {worstOurs:F3} ULP");
    }

    [Fact]
    public void Mean_and_Sum_are_the_weighted_sum_divided_by_the_element_count()
    {
        // PyTorch's reduction='mean' divides Σ w·loss by N (not by Σ w); the sum is taken in double and rounded once
        // to float32, so the result is within one float32 unit of the exact value (here summed in double from the
        // formula, exact to far below that unit).
        var dtype = ScalarType.Float32;
        long[] shape = [Rows, Classes];
        long[] qShape = [Classes];
        long[] wShape = [Rows, 1];
        var (xs, zs, qs, ws) = Inputs(qShape, wShape, seed: 3);
        double sum = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double qi = qs[i % Classes];
            sum += ws[i / Classes] * (((1 - zs[i]) * Softplus(xs[i])) + (qi * zs[i] * Softplus(-xs[i])));
        }

        using var scope = NewDisposeScope();
        var x = Leaf(xs, shape, dtype);
        var z = Leaf(zs, shape, dtype);
        var q = Leaf(qs, qShape, dtype);
        var w = Leaf(ws, wShape, dtype);
        foreach (var (reduction, expected) in new[] { (Reduction.Sum, sum), (Reduction.Mean, sum / xs.Length) })
        {
            double actual = Values(Losses.binary_cross_entropy_with_logits(x, z, w, reduction, q))[0];
            double error = Ulp.Error(actual, expected, 0, isFloat32: true);
            Assert.True(error <= 1, $"{reduction}: {actual:R} vs {expected:R} ({error:F3} ULP)");
        }

        // In float64 too: N = 4096 is a power of two, so Mean (Σ/N rounded once) is exactly Sum/N.
        var x64 = x.to(ScalarType.Float64);
        var z64 = z.to(ScalarType.Float64);
        var q64 = q.to(ScalarType.Float64);
        var w64 = w.to(ScalarType.Float64);
        double sum64 = Values(Losses.binary_cross_entropy_with_logits(x64, z64, w64, Reduction.Sum, q64))[0];
        double mean64 = Values(Losses.binary_cross_entropy_with_logits(x64, z64, w64, Reduction.Mean, q64))[0];
        Assert.Equal(sum64 / xs.Length, mean64);
        Assert.True(System.Math.Abs(sum64 - sum) <= 1e-12 * sum, $"float64 Sum {sum64:R} vs {sum:R}");
    }

    [Theory]
    [InlineData(Reduction.None, "one")]
    [InlineData(Reduction.None, "rows")]
    [InlineData(Reduction.None, "elements")]
    [InlineData(Reduction.Mean, "one")]
    [InlineData(Reduction.Mean, "rows")]
    [InlineData(Reduction.Mean, "elements")]
    [InlineData(Reduction.Sum, "rows")]
    [InlineData(Reduction.Sum, "classes")]
    public void The_weight_gradient_matches_central_differences(Reduction reduction, string layout)
    {
        // Input [3, 4], float64; the objective is Σ u·loss for None (u random) and 2.5·loss for Mean and Sum (an
        // upstream gradient other than 1). Step h = 1e-5·max(1, |w|): truncation ~h²·f‴ ≈ 1e-10, rounding
        // ~ε·f/h ≈ 1e-11, so 1e-8 of the gradient's scale fails any wrong factor.
        long[] shape = [3, 4];
        long[] wShape = layout switch
        {
            "one" => [1],
            "classes" => [4],
            "rows" => [3, 1],
            _ => [3, 4],
        };
        var random = new Random(23);
        int n = (int)Count(shape);
        var xs = Uniform(random, n, -5, 5);
        var zs = Uniform(random, n, 0, 1);
        var qs = Uniform(random, 4, 0.3, 4);
        var ws = Uniform(random, (int)Count(wShape), -1, 3);
        var upstream = Uniform(random, n, -1, 1);

        Tensor Objective(Tensor w)
        {
            var loss = Losses.binary_cross_entropy_with_logits(
                Leaf(xs, shape, ScalarType.Float64), Leaf(zs, shape, ScalarType.Float64), w, reduction,
                Leaf(qs, [4], ScalarType.Float64));
            return reduction == Reduction.None ? (loss * Leaf(upstream, shape, ScalarType.Float64)).sum() : loss * 2.5;
        }

        double[] analytic;
        using (var scope = NewDisposeScope())
        {
            var w = Leaf(ws, wShape, ScalarType.Float64, requiresGrad: true);
            Objective(w).backward();
            analytic = Grad(w);
        }

        var numeric = new double[ws.Length];
        for (int i = 0; i < ws.Length; i++)
        {
            double p = ws[i];
            double h = 1e-5 * System.Math.Max(1, System.Math.Abs(p));
            double Value(double v)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var shifted = (double[])ws.Clone();
                shifted[i] = v;
                return Objective(Leaf(shifted, wShape, ScalarType.Float64)).item<double>();
            }

            numeric[i] = (Value(p + h) - Value(p - h)) / (2 * h);
        }

        Close(numeric, analytic, 1e-8, "∂/∂weight");
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void A_zero_weight_drops_the_element_also_at_infinite_logits(ScalarType dtype)
    {
        // x = +∞ with z = 0 and x = −∞ with z = 1 have an infinite loss; weight 0 gives 0 (the limit, as for a zero
        // pos_weight), not 0·∞ = NaN, in the loss and in every gradient. The finite elements keep w·loss.
        double inf = double.PositiveInfinity;
        double[] xs = [inf, -inf, 1.5];
        double[] zs = [0, 1, 0.25];
        double[] ws = [0, 0, 2];
        using var scope = NewDisposeScope();
        var x = Leaf(xs, [3], dtype, requiresGrad: true);
        var z = Leaf(zs, [3], dtype, requiresGrad: true);
        var w = Leaf(ws, [3], dtype);
        var loss = Losses.binary_cross_entropy_with_logits(x, z, w, Reduction.None);
        loss.sum().backward();
        var values = Values(loss);
        Assert.Equal(0.0, values[0]);
        Assert.Equal(0.0, values[1]);
        double expected = 2 * ((0.75 * Softplus(1.5)) + (0.25 * Softplus(-1.5)));
        Assert.True(Ulp.Error(values[2], expected, 0, dtype == ScalarType.Float32) <= 2, $"{values[2]:R} vs {expected:R}");
        Assert.Equal([0.0, 0.0], Grad(x).Take(2));
        Assert.Equal([0.0, 0.0], Grad(z).Take(2));
    }
}
