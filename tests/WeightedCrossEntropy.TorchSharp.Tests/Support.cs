using TorchSharp;
using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp.Tests;

/// <summary>Tensors from values and back, for the tests.</summary>
internal static class Support
{
    /// <summary>A leaf tensor of <paramref name="dtype"/> holding <paramref name="values"/> (rounded once).</summary>
    public static Tensor Leaf(double[] values, long[] shape, ScalarType dtype, bool requiresGrad = false)
    {
        using var d = tensor(values, shape, ScalarType.Float64);
        var t = d.to(dtype).detach();
        return requiresGrad ? t.requires_grad_(true) : t;
    }

    public static double[] Values(Tensor t)
    {
        using var d = t.detach().to(ScalarType.Float64).contiguous();
        return d.data<double>().ToArray();
    }

    public static double[] Grad(Tensor t)
    {
        using var g = t.grad ?? throw new InvalidOperationException("no gradient");
        return Values(g);
    }

    public static double[] Uniform(Random random, int count, double low, double high) =>
        Enumerable.Range(0, count).Select(_ => low + ((high - low) * random.NextDouble())).ToArray();

    public static long Count(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>log(1 + u) for u ≥ 0 to full double precision, written independently of the library: the series for
    /// small u, else log of the exactly representable sum corrected by its rounding error.</summary>
    public static double Log1p(double u)
    {
        if (u < 1e-5)
        {
            return u - (u * u / 2) + (u * u * u / 3) - (u * u * u * u / 4);
        }

        double s = 1 + u;
        return System.Math.Log(s) - (((s - 1) - u) / s);
    }

    /// <summary>log(1 + e^t), exact to double precision.</summary>
    public static double Softplus(double t) => t > 0 ? t + Log1p(System.Math.Exp(-t)) : Log1p(System.Math.Exp(t));

    public static double Sigmoid(double t) =>
        t >= 0 ? 1 / (1 + System.Math.Exp(-t)) : System.Math.Exp(t) / (1 + System.Math.Exp(t));

    /// <summary>Asserts |actual − expected| ≤ tolerance·max|expected| elementwise (non-finite values must be
    /// equal).</summary>
    public static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Where(double.IsFinite).Select(System.Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < expected.Length; i++)
        {
            bool ok = double.IsFinite(expected[i])
                ? System.Math.Abs(actual[i] - expected[i]) <= tolerance * scale
                : actual[i].Equals(expected[i]);
            Xunit.Assert.True(ok, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance} × {scale:R})");
        }
    }
}
