using System.Globalization;
using CsCheck;
using Xunit;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>
/// (f) The fused call's Sum is a compensated sum of the elementwise losses and its gradient is the elementwise
/// gradient (Sum) or the elementwise gradient divided by N (Mean), against the correctly rounded sum
/// (<see cref="Inputs.ExactSum"/>), on finite logits, labels in [0, 1] and weights in [0, 300] (every loss ≥ 0, so
/// the sum has no cancellation and its error is relative to the sum itself).
/// </summary>
/// <remarks>
/// Bounds, in ULP of the result type:
/// <list type="bullet">
/// <item>float64 Sum: 4 ULP. Each lane keeps a Kahan sum (error ≤ 2ε·Σ|l| + O(Nε²)), the lanes (at most 8) are
/// added plainly at the end (each addition ≤ ½ ULP of a partial no larger than the sum), the result is rounded
/// once: a few ULP, not N·ε as a plain sum. Mean: the same sum divided by N, one more rounding: 4 ULP as well
/// against the correctly rounded sum divided by N (rounded), which itself is within ½ ULP.</item>
/// <item>float32: each element's loss l′ is accumulated in double, and the elementwise call stores f = l′ rounded
/// to float (|l′ − f| ≤ ½ ULP ≤ 2⁻²⁴·l′; this holds on every path, the float-lane fast path included, as long as
/// an element's path depends on its own logit only; on the float-lane path l′ = f). The float-lane path adds its
/// losses with plain double sums within a chunk (≤ 2^17 additions per lane, 4-float steps: at most 2⁻³⁶·S), the rest with
/// compensated ones. So the double sum differs from the exact sum of the stored floats by at most
/// (2⁻²⁴ + 2⁻³⁶)·S, less than one float ULP of S, and both round to floats at most 1 ULP apart: Sum
/// within 1 ULP of the correctly rounded sum of the float32 elementwise losses. Mean divides both by N first; one
/// ULP of S divided by N can be two ULP of S/N: 2 ULP.</item>
/// <item>Sum's gradient is the elementwise gradient: the same bits. Mean's gradient is the element's gradient g′
/// divided by N and rounded once; in float64 that is within 1 ULP of the elementwise gradient divided by N, except
/// below 2^−1019 (<see cref="TinyGradient"/>): there the low parts of the pairs that carry g′·(1/N) (2^−53 of it)
/// are subnormal and round to multiples of 2^−1074, which is a quarter ULP and more of the result, while the reference, the
/// elementwise gradient rounded and then divided by N and rounded again, is up to 1 ULP from g′/N by itself; both
/// within 1 ULP of the exact value, they can be 2 apart (seen: x = 700, z = 1, q = 1/31, N = 72: +0.98 and −1.02 ULP
/// from the exact −4.4174178063439832e−308, CsCheck seed 4asyUYl6aOi2): 2 ULP there; in
/// float32 the elementwise gradient is g′ rounded (½ ULP), which divided by N moves at most 1 ULP of g′/N, so the
/// two round to floats at most 1 ULP apart.</item>
/// </list>
/// </remarks>
public sealed class FusedReductionProperties
{
    /// <summary>2^−1019 (eight times the smallest normal double): below it a pair's low part is subnormal.</summary>
    private const double TinyGradient = 1.7800590868057611e-307;

    [Fact]
    public void Float64_fused_sum_and_mean_against_an_exact_sum()
    {
        Inputs.Finite.Sample(c =>
        {
            var x = c.Logits<double>();
            var z = c.Labels<double>();
            var q = c.PosWeight<double>();
            var loss = Ops.Public(Op.Loss, z, x, q);
            var gradient = Ops.Public(Op.LogitsGradient, z, x, q);
            double exact = Inputs.ExactSum(loss);

            var gSum = new double[c.N];
            double sum = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, q, gSum, Reduction.Sum);
            Within(sum, exact, 4, "Sum");
            InPlaceProperties.Same(gradient, gSum, "Sum gradient vs elementwise gradient");

            var gMean = new double[c.N];
            double mean = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, q, gMean, Reduction.Mean);
            if (c.N > 0)
            {
                Within(mean, exact / c.N, 4, "Mean");
                for (int i = 0; i < c.N; i++)
                {
                    double expected = gradient[i] / c.N;
                    Within(gMean[i], expected, System.Math.Abs(expected) < TinyGradient ? 2 : 1, $"Mean gradient [{i}]");
                }
            }

            foreach (var width in Ops.Widths)
            {
                var g = new double[c.N];
                Within(Ops.FusedLanes(z, x, q, g, 1.0, width), exact, 4, $"raw sum on {width}");
            }
        }, iter: 300, print: c => c.ToString());
    }

    [Fact]
    public void Float32_fused_sum_and_mean_against_an_exact_sum()
    {
        Inputs.Finite.Sample(c =>
        {
            var x = c.Logits<float>();
            var z = c.Labels<float>();
            var q = c.PosWeight<float>();
            var loss = Inputs.Widen(Ops.Public(Op.Loss, z, x, q));
            var gradient = Ops.Public(Op.LogitsGradient, z, x, q);
            double exact = Inputs.ExactSum(loss);

            var gSum = new float[c.N];
            float sum = Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(z, x, q, gSum, Reduction.Sum);
            Within(sum, (float)exact, 1, "Sum");
            InPlaceProperties.Same(gradient, gSum, "Sum gradient vs elementwise gradient");

            var gMean = new float[c.N];
            float mean = Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(z, x, q, gMean, Reduction.Mean);
            if (c.N > 0)
            {
                Within(mean, (float)(exact / c.N), 2, "Mean");
                for (int i = 0; i < c.N; i++)
                {
                    Within(gMean[i], (float)((double)gradient[i] / c.N), 1, $"Mean gradient [{i}]");
                }
            }
        }, iter: 300, print: c => c.ToString());
    }

    private static void Within(double actual, double expected, double bound, string what)
    {
        double distance = Inputs.UlpDistance(actual, expected);
        if (!(distance <= bound))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"float64 {what}: {actual:R}, expected {expected:R}, {distance} ULP > {bound}"));
        }
    }

    private static void Within(float actual, float expected, double bound, string what)
    {
        double distance = Inputs.UlpDistance(actual, expected);
        if (!(distance <= bound))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"float32 {what}: {actual:R}, expected {expected:R}, {distance} ULP > {bound}"));
        }
    }
}
