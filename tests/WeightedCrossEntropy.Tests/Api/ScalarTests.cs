using System.Globalization;
using System.Text;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Api;

/// <summary>
/// The one-element overloads (<c>Nn.WeightedCrossEntropyWithLogits(label, logit, posWeight)</c> and its three
/// gradients): every row of data/reference/reference.csv within 2 ULP (float32) and 3 ULP (float64), non-finite
/// results exactly, as the span overloads are held; Half against the exact float64 value rounded to Half.
/// </summary>
public sealed class ScalarTests
{
    public enum Column { Loss, Dx, Dz, Dq }

    [Theory]
    [InlineData(Column.Loss, true)]
    [InlineData(Column.Loss, false)]
    [InlineData(Column.Dx, true)]
    [InlineData(Column.Dx, false)]
    [InlineData(Column.Dz, true)]
    [InlineData(Column.Dz, false)]
    [InlineData(Column.Dq, true)]
    [InlineData(Column.Dq, false)]
    public void Every_reference_row_is_within_the_bound(Column column, bool isFloat32)
    {
        var rows = GoldenRow.All.Where(r => r.IsSingle == isFloat32).ToArray();
        Assert.NotEmpty(rows);
        double bound = isFloat32 ? 2 : 3;
        var failures = new StringBuilder();
        foreach (var r in rows)
        {
            double actual = isFloat32 ? Compute((float)r.Z, (float)r.X, (float)r.Q, column) : Compute(r.Z, r.X, r.Q, column);
            var (expected, magnitude) = Expected(r, column);
            double error = double.IsNaN(expected)
                ? (double.IsNaN(actual) ? 0 : double.PositiveInfinity)
                : Ulp.Error(actual, expected, magnitude, isFloat32);
            if (error > bound && failures.Length < 4000)
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"{r}: {column} = {actual:R}, expected {expected:R}, {error:F2} ULP");
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    /// <summary>A Half result is within one Half rounding of the exact value: the float64 reference rows whose
    /// inputs are Halves, each result within 1 ULP of Half (½ for the rounding, the rest for the double's own
    /// error being far below it) of the exact value.</summary>
    [Fact]
    public void Half_results_are_the_exact_value_rounded_once()
    {
        var rows = GoldenRow.All.Where(r => !r.IsSingle && IsHalf(r.X) && IsHalf(r.Z) && IsHalf(r.Q) && double.IsFinite(r.Loss)).ToArray();
        Assert.True(rows.Length > 100, $"only {rows.Length} float64 rows have Half inputs");
        foreach (var r in rows)
        {
            var loss = Nn.WeightedCrossEntropyWithLogits((Half)r.Z, (Half)r.X, (Half)r.Q);
            Assert.Equal((Half)r.Loss, loss);
        }
    }

    [Fact]
    public void Special_values_give_the_limits_documented()
    {
        Assert.Equal(0.0, Nn.WeightedCrossEntropyWithLogits(1.0, double.PositiveInfinity, 2.0));
        Assert.Equal(double.PositiveInfinity, Nn.WeightedCrossEntropyWithLogits(0.5, double.PositiveInfinity, 2.0));
        Assert.Equal(0.0, Nn.WeightedCrossEntropyWithLogits(0.0, double.NegativeInfinity, 2.0));
        Assert.Equal(double.PositiveInfinity, Nn.WeightedCrossEntropyWithLogits(1.0, double.NegativeInfinity, 2.0));
        Assert.Equal(0.0, Nn.WeightedCrossEntropyWithLogits(1.0, double.NegativeInfinity, 0.0));
        Assert.Equal(-2.0, Nn.WeightedCrossEntropyWithLogitsGradient(1.0, double.NegativeInfinity, 2.0));
        Assert.Equal(double.NegativeInfinity, Nn.WeightedCrossEntropyWithLogitsLabelsGradient(0.5, double.PositiveInfinity, 2.0));
        Assert.Equal(0.0, Nn.WeightedCrossEntropyWithLogitsLabelsGradient(0.5, double.NegativeInfinity, 0.0));
        Assert.Equal(0.0, Nn.WeightedCrossEntropyWithLogitsPosWeightGradient(0.0, double.NegativeInfinity, 2.0));
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogits(double.NaN, 1.0, 2.0)));
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogits(1.0, double.NaN, 2.0)));
        Assert.True(float.IsNaN(Nn.WeightedCrossEntropyWithLogits(1f, 1f, float.NaN)));

        // The float32 case TensorFlow and PyTorch return 0 for: z = 0, x = −20, sp(−20) = e^−20 − e^−40/2 + …
        Assert.Equal((float)(System.Math.Exp(-20) - (System.Math.Exp(-40) / 2)), Nn.WeightedCrossEntropyWithLogits(0f, -20f, 1f));
    }

    private static bool IsHalf(double v) => double.IsFinite(v) && (double)(Half)v == v;

    private static double Compute<T>(T z, T x, T q, Column column)
        where T : System.Numerics.IFloatingPointIeee754<T> => double.CreateTruncating(column switch
        {
            Column.Loss => Nn.WeightedCrossEntropyWithLogits(z, x, q),
            Column.Dx => Nn.WeightedCrossEntropyWithLogitsGradient(z, x, q),
            Column.Dz => Nn.WeightedCrossEntropyWithLogitsLabelsGradient(z, x, q),
            _ => Nn.WeightedCrossEntropyWithLogitsPosWeightGradient(z, x, q),
        });

    private static (double Expected, double Magnitude) Expected(GoldenRow r, Column column) => column switch
    {
        Column.Loss => (r.Loss, TermMagnitudes.Loss(r.X, r.Z, r.Q)),
        Column.Dx => (r.Dx, TermMagnitudes.Dx(r.X, r.Z, r.Q)),
        Column.Dz => (r.Dz, TermMagnitudes.Dz(r.X, r.Q)),
        _ => (r.Dq, 0),
    };
}
