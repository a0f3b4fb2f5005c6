using System.Globalization;
using System.Text;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary><c>wce loss</c> end to end: hand-written inputs, the files it writes, and what it prints.</summary>
public sealed class LossCommandTests : IDisposable
{
    private const string Dict23F8 = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void At_logit_zero_the_loss_is_log_2_scaled_by_pos_weight_for_positives_and_the_gradient_is_half()
    {
        // x = 0: sp(0) = log 2 and σ(0) = 1/2, so loss = ((1 − z) + q·z)·log 2 and ∂loss/∂x = (1 − z)/2 − q·z/2.
        // pos_weight (3,) = [1, 2, 4] along the last axis.
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 1, 0, 1, 0, 1, 1)));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0, 0, 0, 0, 0, 0)));

        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--pos-weight", "1,2,4",
            "--out", folder["loss.npy"], "--grad", folder["grad.npy"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(string.Empty, result.Out);
        double log2 = System.Math.Log(2);
        var loss = NpyBytes.ReadFloat64(File.ReadAllBytes(folder["loss.npy"]), Dict23F8);
        double[] expected = [log2, log2, 4 * log2, log2, 2 * log2, 4 * log2];
        for (int i = 0; i < expected.Length; i++)
        {
            // The library promises 3 ULP in double; log 2 times a power of two is exact in double.
            AssertWithinUlps(expected[i], loss[i], 3);
        }

        var grad = NpyBytes.ReadFloat64(File.ReadAllBytes(folder["grad.npy"]), Dict23F8);
        Assert.Equal([-0.5, 0.5, -2, 0.5, -1, -2], grad);
    }

    [Fact]
    public void Sum_and_mean_write_a_0_d_array_print_the_value_and_the_gradient_of_the_reduced_loss()
    {
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File("<f8", "(4,)", NpyBytes.Doubles(false, 1, 0, 1, 0)));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File("<f8", "(4,)", NpyBytes.Doubles(false, 0, 0, 0, 0)));

        var sum = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--pos-weight", "3",
            "--reduction", "sum", "--out", folder["sum.npy"], "--grad", folder["gsum.npy"]);
        var mean = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--pos-weight", "3",
            "--reduction", "mean", "--out", folder["mean.csv"], "--grad", folder["gmean.csv"]);

        // Sum = (3 + 1 + 3 + 1)·log 2 = 8 log 2; mean = 2 log 2; σ(0) = 1/2 gives the gradient exactly.
        Assert.Equal(0, sum.ExitCode);
        var sumValue = NpyBytes.ReadFloat64(File.ReadAllBytes(folder["sum.npy"]), "{'descr': '<f8', 'fortran_order': False, 'shape': (), }");
        AssertWithinUlps(8 * System.Math.Log(2), Assert.Single(sumValue), 3);
        Assert.Equal(Format(sumValue[0]) + "\n", sum.Out);
        Assert.Equal([-1.5, 0.5, -1.5, 0.5], NpyBytes.ReadFloat64(File.ReadAllBytes(folder["gsum.npy"]), "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }"));

        Assert.Equal(0, mean.ExitCode);
        var meanValue = double.Parse(mean.Out, CultureInfo.InvariantCulture);
        AssertWithinUlps(2 * System.Math.Log(2), meanValue, 3);
        Assert.Equal(mean.Out, File.ReadAllText(folder["mean.csv"]));
        Assert.Equal("-0.375\n0.125\n-0.375\n0.125\n", File.ReadAllText(folder["gmean.csv"]));

        // The CLI passes the fused call's result through unchanged.
        var gradient = new double[4];
        double direct = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>([1, 0, 1, 0], [0, 0, 0, 0], [3], gradient, Reduction.Mean);
        Assert.Equal(direct, meanValue);
    }

    [Fact]
    public void Per_class_weights_of_shape_C_1_1_broadcast_right_aligned_over_N_C_H_W_logits()
    {
        // logits (2, 3, 2, 2), pos_weight (3, 1, 1) from a file: element [n, c, h, w] uses q[c].
        const int count = 24;
        var z = Enumerable.Range(0, count).Select(i => (double)((i * 7) % 3 == 0 ? 1 : 0)).ToArray();
        var x = Enumerable.Range(0, count).Select(i => (i - 11.5) / 3).ToArray();
        double[] q = [0.5, 2, 10];
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File("<f8", "(2, 3, 2, 2)", NpyBytes.Doubles(false, z)));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File(">f8", "(2, 3, 2, 2)", NpyBytes.Doubles(true, x)));
        File.WriteAllBytes(folder["q.npy"], NpyBytes.File("<f8", "(3, 1, 1)", NpyBytes.Doubles(false, q)));

        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--pos-weight", folder["q.npy"], "--out", folder["out.npy"]);

        Assert.Equal(0, result.ExitCode);
        var loss = NpyBytes.ReadFloat64(File.ReadAllBytes(folder["out.npy"]), "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3, 2, 2), }");
        for (int i = 0; i < count; i++)
        {
            int c = i / 4 % 3;
            var one = new double[1];
            Nn.WeightedCrossEntropyWithLogits<double>([z[i]], [x[i]], [q[c]], one);
            Assert.Equal(one[0], loss[i]);
        }

    }

    [Fact]
    public void Float32_logits_give_float32_results_equal_to_the_librarys_float_computation()
    {
        float[] x = [-20f, -3.5f, 0.25f, 17f, float.PositiveInfinity, float.NegativeInfinity];
        float[] z = [0f, 1f, 0.5f, 1f, 1f, 0f];
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File("<f4", "(6,)", NpyBytes.Singles(false, z)));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File(">f4", "(6,)", NpyBytes.Singles(true, x)));

        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--pos-weight", "2.5",
            "--out", folder["out.npy"], "--grad", folder["g.npy"]);

        Assert.Equal(0, result.ExitCode);
        var expected = new float[6];
        Nn.WeightedCrossEntropyWithLogits<float>(z, x, [2.5f], expected);
        Assert.Equal(expected, NpyBytes.ReadFloat32(File.ReadAllBytes(folder["out.npy"]), "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }"));
        var expectedGradient = new float[6];
        Nn.WeightedCrossEntropyWithLogitsGradient<float>(z, x, [2.5f], expectedGradient);
        Assert.Equal(expectedGradient, NpyBytes.ReadFloat32(File.ReadAllBytes(folder["g.npy"]), "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }"));
    }

    [Fact]
    public void Csv_inputs_with_a_header_give_a_csv_loss_row_per_sample()
    {
        File.WriteAllText(folder["z.csv"], "a,b\n1,0\r\n0,1\n\n");
        File.WriteAllText(folder["x.csv"], "0,0\n0,nan\n");

        var result = Wce.Run("loss", "--labels", folder["z.csv"], "--logits", folder["x.csv"], "--pos-weight", "2,3",
            "--out", folder["out.csv"], "--grad", folder["g.npy"]);

        Assert.Equal(0, result.ExitCode);
        var expected = new double[4];
        Nn.WeightedCrossEntropyWithLogits<double>([1, 0, 0, 1], [0, 0, 0, double.NaN], [2, 3], expected);
        Assert.True(double.IsNaN(expected[3]));
        Assert.Equal($"{Format(expected[0])},{Format(expected[1])}\n{Format(expected[2])},nan\n", File.ReadAllText(folder["out.csv"]));
        var grad = NpyBytes.ReadFloat64(File.ReadAllBytes(folder["g.npy"]), Dict23F8.Replace("(2, 3)", "(2, 2)", StringComparison.Ordinal));
        Assert.Equal(-1.0, grad[0]);
        Assert.Equal(0.5, grad[1]);
        Assert.Equal(0.5, grad[2]);
        Assert.True(double.IsNaN(grad[3]));
    }

    [Fact]
    public void An_existing_output_is_replaced_whole_and_no_temporary_file_is_left()
    {
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File("|b1", "(2,)", [1, 0]));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File("<f8", "(2,)", NpyBytes.Doubles(false, 0, 0)));
        File.WriteAllText(folder["out.csv"], "old content that is longer than the new one\n1\n2\n3\n");

        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--out", folder["out.csv"]);

        Assert.Equal(0, result.ExitCode);
        var expected = new double[2];
        Nn.WeightedCrossEntropyWithLogits<double>([1, 0], [0, 0], [1], expected);
        Assert.Equal($"{Format(expected[0])}\n{Format(expected[1])}\n", File.ReadAllText(folder["out.csv"]));
        Assert.Equal(["out.csv", "x.npy", "z.npy"], folder.Snapshot().Keys);
    }

    internal static void AssertWithinUlps(double expected, double actual, int ulps)
    {
        double ulp = System.Math.BitIncrement(System.Math.Abs(expected)) - System.Math.Abs(expected);
        Assert.True(System.Math.Abs(actual - expected) <= ulps * ulp, $"{actual:R} is more than {ulps} ULP from {expected:R}");
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
