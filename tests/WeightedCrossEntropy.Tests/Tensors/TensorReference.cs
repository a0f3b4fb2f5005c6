using System.Numerics;
using System.Numerics.Tensors;
using Xunit;

namespace WeightedCrossEntropy.Tests.Tensors;

/// <summary>
/// Independent references for the tensor tests: the loss and its derivatives evaluated per element in double from
/// their definitions (with an accurate log1p of the test's own), and right-aligned broadcasting written out index by
/// index. Nothing here calls the library.
/// </summary>
internal static class TensorReference
{
    /// <summary>log(1 + u) for u ≥ 0 to a few ULP (Goldberg's trick; .NET's LogP1 is naive for small u).</summary>
    public static double Log1p(double u)
    {
        double w = 1 + u;
        return w == 1 ? u : System.Math.Log(w) * u / (w - 1);
    }

    /// <summary>sp(t) = log(1 + e^t) = max(t, 0) + log1p(e^−|t|).</summary>
    public static double Softplus(double t) => System.Math.Max(t, 0) + Log1p(System.Math.Exp(-System.Math.Abs(t)));

    public static double Sigmoid(double t) =>
        t >= 0 ? 1 / (1 + System.Math.Exp(-t)) : System.Math.Exp(t) / (1 + System.Math.Exp(t));

    /// <summary>(1 − z)·sp(x) + q·z·sp(−x), finite x.</summary>
    public static double Loss(double x, double z, double q) => ((1 - z) * Softplus(x)) + (q * z * Softplus(-x));

    public static double Dx(double x, double z, double q) => ((1 - z) * Sigmoid(x)) - (q * z * Sigmoid(-x));

    /// <summary>The size of the terms of <see cref="Dx"/>, the scale its error is measured against.</summary>
    public static double DxScale(double x, double z, double q) =>
        System.Math.Abs((1 - z) * Sigmoid(x)) + System.Math.Abs(q * z * Sigmoid(-x));

    public static double Dz(double x, double q) => (q * Softplus(-x)) - Softplus(x);

    public static double DzScale(double x, double q) => System.Math.Abs(q * Softplus(-x)) + Softplus(x);

    public static double Dq(double x, double z) => z * Softplus(-x);

    /// <summary>Row-major multi-index of flat index <paramref name="flat"/> in <paramref name="shape"/>.</summary>
    public static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int k = shape.Length - 1; k >= 0; k--)
        {
            index[k] = flat % shape[k];
            flat /= shape[k];
        }

        return index;
    }

    /// <summary>The flat index into a pos_weight of shape <paramref name="weightShape"/> that element
    /// <paramref name="index"/> of the logits uses under right-aligned broadcasting (axes of length 1 repeat).</summary>
    public static int BroadcastIndex(int[] index, int[] weightShape)
    {
        int flat = 0;
        int offset = index.Length - weightShape.Length;
        for (int k = 0; k < weightShape.Length; k++)
        {
            int i = offset + k >= 0 ? index[offset + k] : 0;
            flat = (flat * weightShape[k]) + (weightShape[k] == 1 ? 0 : i);
        }

        return flat;
    }

    /// <summary>The pos_weight of every element of logits shaped <paramref name="shape"/>, expanded.</summary>
    public static double[] Expand(double[] weights, int[] weightShape, int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var expanded = new double[n];
        for (int i = 0; i < n; i++)
        {
            expanded[i] = weights[BroadcastIndex(Unravel(i, shape), weightShape)];
        }

        return expanded;
    }

    public static double[] Random(Random random, int n, double low, double high) =>
        Enumerable.Range(0, n).Select(_ => low + ((high - low) * random.NextDouble())).ToArray();

    /// <summary>Labels as a classifier has them: 0 or 1 (30% ones), with one soft label in 500, so that the hard-label
    /// loops run on most steps and the mixed steps (soft and hard lanes together) run too.</summary>
    public static double[] MostlyHardLabels(Random random, int n) =>
        Enumerable.Range(0, n)
            .Select(_ => random.Next(500) == 0 ? random.NextDouble() : random.NextDouble() < 0.3 ? 1.0 : 0.0)
            .ToArray();

    public static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    public static nint[] Lengths(int[] shape) => shape.Select(s => (nint)s).ToArray();

    public static Tensor<T> Make<T>(double[] values, int[] shape)
        where T : IFloatingPointIeee754<T> =>
        Tensor.Create(values.Select(T.CreateTruncating).ToArray(), Lengths(shape));

    public static double[] Values<T>(Tensor<T> tensor)
        where T : IFloatingPointIeee754<T>
    {
        var flat = new T[tensor.FlattenedLength];
        tensor.FlattenTo(flat);
        return flat.Select(double.CreateTruncating).ToArray();
    }

    public static double[] Round32(double[] values) => values.Select(v => (double)(float)v).ToArray();

    /// <summary>float64 results against a reference from the definition: the library is within 3 ULP of the exact
    /// value and the reference within a few ULP, so 1e-13 of the scale (the value itself, or the size of the
    /// terms where they cancel) is a bound with room for both and nothing else.</summary>
    public static void Close64(double[] actual, double[] expected, double[]? scale = null, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double s = scale?[i] ?? System.Math.Abs(expected[i]);
            double tolerance = (1e-13 * s) + double.Epsilon;
            Assert.True(
                System.Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"{what}[{i}]: got {actual[i]:R}, expected {expected[i]:R} (tolerance {tolerance:R})");
        }
    }

    /// <summary>float32 results against the double reference of the float-rounded inputs: within 1e-6 relative
    /// (peer-cases.md's rtol for float32), which the library's 2 ULP (1.2e-7) meets with room.</summary>
    public static void Close32(double[] actual, double[] expected, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = (1e-6 * System.Math.Abs(expected[i])) + 1e-38;
            Assert.True(
                System.Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"{what}[{i}]: got {actual[i]:R}, expected {expected[i]:R}");
        }
    }
}
