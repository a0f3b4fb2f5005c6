using System.Globalization;
using System.Numerics;
using System.Text;
using WeightedCrossEntropy.Tests.Properties;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Api;

/// <summary>
/// Checks the span API against values from <c>shared/reference/peer-cases.md</c> (exact values shown to 10
/// significant digits) or derived in the test.
/// </summary>
/// <remarks>
/// float64: a listed value is the exact value rounded to 10 significant digits, so it is off by at most half a unit
/// in its 10th digit; the library is within 3 ULP of the exact value. The tolerance is that half unit plus 4 ULP,
/// the tightest that is honest (≈ 5e-10 relative at worst, ≈ 5e-11 for values with a leading 9).
/// float32: the inputs are rounded to float first (−0.1f ≠ −0.1), which moves the exact result by far less than
/// 1e-6 relative for every case here; the library adds at most 2 ULP (1.2e-7 relative). The tolerance is 1e-6
/// relative (peer-cases.md's rtol) plus 2 ULP counted as the reference README says (the smallest normal number is
/// the unit below it), with no absolute slack for normal values: TF's 4.5776367e-05 for 4.539889922e-05 fails.
/// Expected zeros and non-finite values must match exactly (NaN matches any NaN).
/// </remarks>
internal static class Peer
{
    public static double Tolerance64(double expected)
    {
        if (expected == 0 || !double.IsFinite(expected))
        {
            return 0;
        }

        double magnitude = System.Math.Abs(expected);
        double halfUnitOfTenthDigit = 0.5 * System.Math.Pow(10, System.Math.Floor(System.Math.Log10(magnitude)) - 9);
        return halfUnitOfTenthDigit + (4 * (System.Math.BitIncrement(magnitude) - magnitude));
    }

    public static double Tolerance32(double expected) =>
        expected == 0 || !double.IsFinite(expected) ? 0 : (1e-6 * System.Math.Abs(expected)) + (2 * Ulp.Unit(expected, true));

    /// <summary>A value derived in the test with double arithmetic of a few operations (relative error ≪ 1e-14).</summary>
    public static double ToleranceDerived(double expected) => 1e-14 * System.Math.Abs(expected);

    public static bool Within(double actual, double expected, double tolerance)
    {
        if (double.IsNaN(expected))
        {
            return double.IsNaN(actual);
        }

        if (!double.IsFinite(expected) || tolerance == 0)
        {
            return actual == expected;
        }

        return System.Math.Abs(actual - expected) <= tolerance;
    }

    /// <summary>An elementwise op in float64 and (unless told not to) float32 against the expected values.</summary>
    public static void Elementwise(
        Op op, double[] labels, double[] logits, double[] posWeight, double[] expected, bool float32 = true,
        Func<double, double>? tolerance64 = null)
    {
        var failures = new StringBuilder();
        Collect(failures, op, labels, logits, posWeight, expected,
            Ops.Public(op, labels, logits, posWeight), tolerance64 ?? Tolerance64, "float64");
        if (float32)
        {
            var actual32 = Ops.Public(op, Inputs.To<float>(labels), Inputs.To<float>(logits), Inputs.To<float>(posWeight));
            Collect(failures, op, labels, logits, posWeight, expected, Inputs.Widen(actual32), Tolerance32, "float32");
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    /// <summary>The fused loss and gradient in float64 and float32.</summary>
    public static void Fused(
        double[] labels, double[] logits, double[] posWeight, Reduction reduction, double expectedLoss,
        double[] expectedGradient, Func<double, double>? gradientTolerance64 = null)
    {
        var failures = new StringBuilder();

        var gradient64 = new double[logits.Length];
        double loss64 = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(labels, logits, posWeight, gradient64, reduction);
        if (!Within(loss64, expectedLoss, Tolerance64(expectedLoss)))
        {
            failures.AppendLine(CultureInfo.InvariantCulture, $"float64 {reduction} loss = {loss64:R}, expected {expectedLoss:R}");
        }

        Collect(failures, Op.LogitsGradient, labels, logits, posWeight, expectedGradient, gradient64,
            gradientTolerance64 ?? Tolerance64, $"float64 fused {reduction}");

        var gradient32 = new float[logits.Length];
        float loss32 = Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            Inputs.To<float>(labels), Inputs.To<float>(logits), Inputs.To<float>(posWeight), gradient32, reduction);
        if (!Within(loss32, expectedLoss, Tolerance32(expectedLoss)))
        {
            failures.AppendLine(CultureInfo.InvariantCulture, $"float32 {reduction} loss = {loss32:R}, expected {expectedLoss:R}");
        }

        Collect(failures, Op.LogitsGradient, labels, logits, posWeight, expectedGradient, Inputs.Widen(gradient32),
            Tolerance32, $"float32 fused {reduction}");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    public static void Collect(
        StringBuilder failures, Op op, double[] labels, double[] logits, double[] posWeight, double[] expected,
        double[] actual, Func<double, double> tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!Within(actual[i], expected[i], tolerance(expected[i])))
            {
                failures.AppendLine(CultureInfo.InvariantCulture,
                    $"{what} {op}[{i}] (x={logits[i]:R}, z={labels[i]:R}, q={posWeight[i % posWeight.Length]:R}) = {actual[i]:R}, expected {expected[i]:R} ± {tolerance(expected[i]):G3}");
            }
        }
    }

    /// <summary>The elementwise loss of a float64 call, for composing peers' reductions in the test.</summary>
    public static double[] Loss64(double[] labels, double[] logits, double[] posWeight) =>
        Ops.Public(Op.Loss, labels, logits, posWeight);

    public static double[] Loss32(double[] labels, double[] logits, double[] posWeight) =>
        Inputs.Widen(Ops.Public(Op.Loss, Inputs.To<float>(labels), Inputs.To<float>(logits), Inputs.To<float>(posWeight)));

    public static T[] Fill<T>(int n, T value) where T : INumberBase<T> => Enumerable.Repeat(value, n).ToArray();
}
