using System.Globalization;
using WeightedCrossEntropy.Tests.Reference;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>
/// Central differences of the float64 loss against its three gradients, with a tolerance derived per point.
/// </summary>
/// <remarks>
/// <para>Step h = 1e-6·max(1, |v|); v± = v ± h rounded, and the divisor is the actual spacing v₊ − v₋. The central
/// difference differs from the derivative by:</para>
/// <list type="bullet">
/// <item>round-off: each loss is within 3 ULP (the library's float64 bound, q &gt; 0 so no cancelling terms), so
/// (3·ulp(f₊) + 3·ulp(f₋) + ulp(f₊ − f₋))/(v₊ − v₋), and 2⁻⁵² relative for the division and the spacing;</item>
/// <item>truncation: the loss is linear in z and in q, so none there; in x it is (v₊ − v₋)²/24·|f‴| with
/// |f‴| = ((1 − z) + q·z)·|σ″| ≤ ((1 − z) + q·z)·0.0963, plus |f″|·|midpoint − x| for the rounding of v±, with
/// |f″| ≤ ((1 − z) + q·z)/4;</item>
/// <item>the gradient's own error: 3 ULP of the larger of its two terms (shared/reference/README.md).</item>
/// </list>
/// <para>For x in [−5, 5], z in [0, 1], q in (0, 10] this bound stays below 4e-8, so each point also meets
/// TensorFlow's gradient-check tolerance of 1e-7 absolute, which is asserted as well.</para>
/// </remarks>
internal static class FiniteDifferences
{
    public const double TensorFlowTolerance = 1e-7;

    public static void Check(double x, double z, double q)
    {
        CheckOne(Op.LogitsGradient, x, z, q);
        CheckOne(Op.LabelsGradient, x, z, q);
        CheckOne(Op.PosWeightGradient, x, z, q);
    }

    private static double Evaluate(Op op, double x, double z, double q) => Ops.Public(op, [z], [x], [q])[0];

    private static void CheckOne(Op op, double x, double z, double q)
    {
        double v = op switch { Op.LogitsGradient => x, Op.LabelsGradient => z, _ => q };
        double h = 1e-6 * System.Math.Max(1, System.Math.Abs(v));
        double up = v + h;
        double down = v - h;
        double spacing = up - down;
        double Loss(double at) => op switch
        {
            Op.LogitsGradient => Evaluate(Op.Loss, at, z, q),
            Op.LabelsGradient => Evaluate(Op.Loss, x, at, q),
            _ => Evaluate(Op.Loss, x, z, at),
        };

        double fUp = Loss(up);
        double fDown = Loss(down);
        double difference = fUp - fDown;
        double estimate = difference / spacing;
        double gradient = Evaluate(op, x, z, q);

        double roundOff = ((3 * Ulp.Unit(fUp, false)) + (3 * Ulp.Unit(fDown, false)) + Ulp.Unit(difference, false)) / spacing
            + (System.Math.ScaleB(1.0, -51) * System.Math.Abs(estimate));
        double truncation = 0;
        if (op == Op.LogitsGradient)
        {
            double weight = (1 - z) + (q * z);
            double midpointShift = System.Math.Abs((0.5 * up) + (0.5 * down) - x);
            truncation = (spacing * spacing / 24 * weight * 0.0963) + (weight / 4 * midpointShift);
        }

        double gradientError = 3 * Ulp.Unit(System.Math.Max(System.Math.Abs(gradient), Ops.TermMagnitude(op, x, z, q)), false);
        double tolerance = roundOff + truncation + gradientError;
        double error = System.Math.Abs(estimate - gradient);
        if (!(error <= tolerance) || !(error < TensorFlowTolerance))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{op} at x={x:R} z={z:R} q={q:R}: library {gradient:R}, central difference {estimate:R}, error {error:G3} > bound {tolerance:G3} (or ≥ 1e-7)"));
        }
    }
}
