using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;
using WeightedCrossEntropy.Tests.Properties;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Math;

/// <summary>
/// The float64 hard-label kernel (<see cref="HardLabelDoubleMath{TV, L}"/>): which golden rows it takes (so that
/// <see cref="GoldenTests"/> holds it to 3 ULP on the elementwise loss and gradient), and the fused loss-and-gradient
/// step, which the golden tests do not call, against the golden rows at every double lane width: the gradient ÷ N
/// within 3 ULP of the golden gradient ÷ N, the sum within 4 ULP of the exact sum of the golden losses.
/// </summary>
public sealed class HardLabelDoubleTests
{
    private static GoldenRow[] HardRows =>
        GoldenRow.All.Where(r => !r.IsSingle && (r.Z == 0 || r.Z == 1) && System.Math.Abs(r.X) <= 700 &&
                                 r.Q >= 0 && r.Q <= 1e18 && !double.IsNegative(r.Q)).ToArray();

    [Fact]
    public void The_kernel_covers_hard_labels_in_range_and_nothing_else()
    {
        var rows = GoldenRow.All.Where(r => !r.IsSingle).ToArray();
        var hard = HardRows.Select(r => r.Line).ToHashSet();
        Assert.True(hard.Count > 1000, $"only {hard.Count} golden float64 rows take the hard-label kernel");
        foreach (var r in rows)
        {
            bool covered = ScalarLanes.AllSet(HardLabelDoubleMath<double, ScalarLanes>.Covered(r.X, r.Z, r.Q));
            Assert.True(covered == hard.Contains(r.Line), $"{r}: covered = {covered}");
        }

        // The edges: |x| = 700 is in, the next double beyond is out; −0 weights, NaN and ±∞ are out.
        Assert.True(ScalarLanes.AllSet(HardLabelDoubleMath<double, ScalarLanes>.Covered(-700.0, 1, 2)));
        Assert.False(ScalarLanes.AllSet(HardLabelDoubleMath<double, ScalarLanes>.Covered(double.BitIncrement(700.0), 0, 2)));
        Assert.False(ScalarLanes.AllSet(HardLabelDoubleMath<double, ScalarLanes>.Covered(1.0, 1, -0.0)));
        Assert.False(ScalarLanes.AllSet(HardLabelDoubleMath<double, ScalarLanes>.Covered(double.NaN, 1, 1)));
        Assert.False(ScalarLanes.AllSet(HardLabelDoubleMath<double, ScalarLanes>.Covered(1.0, double.PositiveInfinity, 1)));
        Assert.False(ScalarLanes.AllSet(HardLabelDoubleMath<double, ScalarLanes>.Covered(1.0, 0.5, 1)));
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Fused_step_on_the_golden_rows(int bits)
    {
        var width = bits switch { 128 => LaneWidth.Vector128, 256 => LaneWidth.Vector256, _ => LaneWidth.Vector512 };
        Assert.SkipUnless(
            width switch
            {
                LaneWidth.Vector128 => Vector128.IsHardwareAccelerated,
                LaneWidth.Vector256 => Vector256.IsHardwareAccelerated,
                _ => Vector512.IsHardwareAccelerated,
            },
            $"{width} is not accelerated here");
        var rows = HardRows;
        var x = rows.Select(r => r.X).ToArray();
        var z = rows.Select(r => r.Z).ToArray();
        var q = rows.Select(r => r.Q).ToArray();
        var failures = new StringBuilder();
        double worst = 0;
        string worstCase = "";
        foreach (double divisor in new[] { 1.0, 3.0, rows.Length })
        {
            var gradient = new double[rows.Length];
            double sum = Dispatch.Apply<LossAndLogitsGradientOperator, double>(z, x, q, 0, gradient, Scale.Reciprocal(divisor), width);
            double exactSum = Inputs.ExactSum(rows.Select(r => r.Loss).ToArray());
            double sumError = Inputs.UlpDistance(sum, exactSum);
            if (sumError > 4)
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"sum {sum:R}, exact {exactSum:R}: {sumError} ULP");
            }

            for (int i = 0; i < rows.Length; i++)
            {
                var r = rows[i];
                // The expected quotient is the golden gradient divided by N, rounded once (½ ULP of the bound).
                double error = Ulp.Error(
                    gradient[i], r.Dx / divisor, TermMagnitudes.Dx(r.X, r.Z, r.Q) / divisor, isFloat32: false);

                if (error > worst)
                {
                    worst = error;
                    worstCase = string.Create(CultureInfo.InvariantCulture, $"{r}, N = {divisor}: {gradient[i]:R} vs {r.Dx / divisor:R}");
                }

                if (error > 3 && failures.Length < 4000)
                {
                    failures.AppendLine(CultureInfo.InvariantCulture,
                        $"{r}, N = {divisor}: {gradient[i]:R}, expected {r.Dx / divisor:R}, {error:F2} ULP");
                }
            }
        }

        // The elementwise loss and gradient on the same rows (GoldenTests holds them to 3 ULP with every other row).
        var loss = new double[rows.Length];
        var dx = new double[rows.Length];
        Dispatch.Apply<LossOperator, double>(z, x, q, 0, loss, Scale.One, width);
        Dispatch.Apply<LogitsGradientOperator, double>(z, x, q, 0, dx, Scale.One, width);
        double worstLoss = 0, worstDx = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            worstLoss = System.Math.Max(worstLoss, Ulp.Error(loss[i], rows[i].Loss, 0, isFloat32: false));
            worstDx = System.Math.Max(worstDx, Ulp.Error(dx[i], rows[i].Dx, 0, isFloat32: false));
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{width}: worst loss {worstLoss:F3} ULP, gradient {worstDx:F3} ULP");
        Assert.True(failures.Length == 0, $"worst {worst:F2} ULP on {width}:\n{failures}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{width}: worst fused gradient error {worst:F3} ULP at {worstCase}");
    }
}
