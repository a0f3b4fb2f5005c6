using System.Runtime.Intrinsics;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Math;

/// <summary>
/// The float32 fused step's Mean gradient with soft labels, at large N, against the exact gradient divided by N: each
/// element's gradient g·(1/N) must be rounded to float once, within the 2-ULP bound of the elementwise gradient
/// (the unit: the larger of the two terms (1 − z)·σ(x) and q·z·σ(−x), divided by N). Rounding g to float first and
/// then the quotient again adds up to half an ULP more: 2.016 ULP at N = 196,611 on these inputs.
/// </summary>
/// <remarks>The reference is the float64 elementwise gradient of the same (widened) inputs divided by N in double:
/// the golden tests hold the float64 gradient to 3 ULP of float64 (10^−15 relative), and the division adds ½ ULP of
/// float64, so its error is about 10^−8 of a float32 ULP.</remarks>
public sealed class FusedMeanGradientTests
{
    private static readonly float[] PosWeight = [1.5f, 0.3f, 7f];

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        foreach (int n in new[] { 196_611, 131_073, 262_149, 1_000_002 })
        {
            foreach (var width in new[] { "Public", "Scalar", "Vector128", "Vector256", "Vector512" })
            {
                data.Add(n, width);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Soft_label_mean_gradient_is_the_exact_gradient_over_N_rounded_once(int n, string path)
    {
        var width = path switch
        {
            "Scalar" => LaneWidth.Scalar,
            "Vector128" => LaneWidth.Vector128,
            "Vector256" => LaneWidth.Vector256,
            "Vector512" => LaneWidth.Vector512,
            _ => LaneWidth.Best,
        };
        Assert.SkipWhen(
            width switch
            {
                LaneWidth.Vector128 => !Vector128.IsHardwareAccelerated,
                LaneWidth.Vector256 => !Vector256.IsHardwareAccelerated,
                LaneWidth.Vector512 => !Vector512.IsHardwareAccelerated,
                _ => false,
            },
            $"{width} is not accelerated here");

        // Seed 2 at N = 196,611 holds the case that rounding twice took to 2.016 ULP (x = 0.1703218, z = 0.90171725,
        // q = 7, element 80,153; the elementwise gradient there: 1.33 ULP).
        var rng = new Random(2);
        var x = new float[n];
        var z = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)((rng.NextDouble() * 20) - 10);
            z[i] = (float)rng.NextDouble();
        }

        var gradient = new float[n];
        if (path == "Public")
        {
            Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(z, x, PosWeight, gradient, Reduction.Mean);
        }
        else
        {
            Dispatch.Apply<LossAndLogitsGradientOperator, float>(z, x, PosWeight, 0, gradient, Scale.Reciprocal(n), width);
        }

        var exact = new double[n];
        Nn.WeightedCrossEntropyWithLogitsGradient<double>(
            Array.ConvertAll(z, v => (double)v), Array.ConvertAll(x, v => (double)v),
            Array.ConvertAll(PosWeight, v => (double)v), exact);

        double worst = 0;
        int worstIndex = 0;
        for (int i = 0; i < n; i++)
        {
            double q = PosWeight[i % PosWeight.Length];
            double error = Ulp.Error(gradient[i], exact[i] / n, TermMagnitudes.Dx(x[i], z[i], q) / n, isFloat32: true);
            if (error > worst)
            {
                worst = error;
                worstIndex = i;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"N={n} {path}: worst {worst:F3} ULP at [{worstIndex}]");
        Assert.True(worst <= 2,
            $"N={n} {path}: worst {worst:F3} ULP at x={x[worstIndex]:R} z={z[worstIndex]:R}: " +
            $"{gradient[worstIndex]:R} vs {exact[worstIndex] / n:R}");
    }
}
