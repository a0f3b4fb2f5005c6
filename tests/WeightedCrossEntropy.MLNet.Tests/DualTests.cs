using System.Globalization;
using WeightedCrossEntropy.MLNet.Tests.Support;

namespace WeightedCrossEntropy.MLNet.Tests;

/// <summary>SDCA's dual for the weighted loss, checked against definitions rather than the derivation: the dual loss
/// is inf over o of α·o + φ(o) (found here by golden-section search), Fenchel–Young holds, and a dual step moves
/// toward the exact coordinate maximum (found here by bisection) without passing it, inside the box.</summary>
public sealed class DualTests
{
    private static readonly double[] Weights = [1, 0.3, 3, 48.476190476190474, 1e3];

    /// <summary>φ(o) for the label, in double, independent of the library.</summary>
    private static double Phi(double q, bool positive, double o) =>
        positive ? q * Primal.Softplus(-o) : Primal.Softplus(o);

    /// <summary>−φ′(o): q·σ(−o) for a positive, −σ(o) for a negative.</summary>
    private static double NegativeDerivative(double q, bool positive, double o) =>
        positive ? q / (1 + System.Math.Exp(o)) : -1 / (1 + System.Math.Exp(-o));

    [Fact]
    public void Dual_loss_is_the_infimum_of_alpha_times_o_plus_the_loss()
    {
        foreach (var q in Weights)
        {
            var loss = new WeightedLogLoss(q);
            foreach (var positive in new[] { true, false })
            {
                double width = positive ? q : 1;
                foreach (var fraction in new[] { 0.001, 0.05, 0.3, 0.5, 0.77, 0.999 })
                {
                    float alpha = (float)((positive ? 1 : -1) * fraction * width);
                    double infimum = GoldenSectionMinimum(o => (alpha * o) + Phi(q, positive, o), -60, 60);
                    double dual = loss.DualLoss(positive ? 1 : 0, alpha);
                    Assert.True(System.Math.Abs(dual - infimum) <= 1e-9 * (1 + width),
                        string.Create(CultureInfo.InvariantCulture, $"q = {q}, positive = {positive}, α = {alpha}: {dual:R} vs {infimum:R}"));
                }

                // The ends of the box: the infimum is approached as o → ±∞ and is 0.
                Assert.Equal(0.0, loss.DualLoss(positive ? 1 : 0, 0));
                float end = positive ? (float)q : -1;
                if ((double)end == (positive ? q : -1))
                {
                    Assert.Equal(0.0, loss.DualLoss(positive ? 1 : 0, end), 12);
                }

                // Outside the box α·o + φ(o) is unbounded below.
                Assert.Equal(double.NegativeInfinity, loss.DualLoss(positive ? 1 : 0, positive ? -1e-3f : 1e-3f));
                Assert.Equal(double.NegativeInfinity, loss.DualLoss(positive ? 1 : 0, positive ? (float)(q * 1.01) : -1.01f));
            }
        }
    }

    [Fact]
    public void Fenchel_Young_inequality_holds_and_is_tight_at_alpha_equal_minus_the_derivative()
    {
        var random = new Random(3);
        foreach (var q in Weights)
        {
            var loss = new WeightedLogLoss(q);
            for (int i = 0; i < 400; i++)
            {
                bool positive = i % 2 == 0;
                double o = (random.NextDouble() * 40) - 20;
                double width = positive ? q : 1;
                float alpha = (float)((positive ? 1 : -1) * random.NextDouble() * width);

                // φ(o) ≥ DualLoss(α) − α·o for every o and α in the box.
                double gap = Phi(q, positive, o) - (loss.DualLoss(positive ? 1 : 0, alpha) - (alpha * o));
                Assert.True(gap >= -1e-12 * (1 + width), $"q = {q}, o = {o}, α = {alpha}: gap {gap:R}");

                // Equality where α = −φ′(o).
                // (Rounded to float inside the box, as SDCA stores it: the largest float ≤ q at most.)
                float tight = (float)NegativeDerivative(q, positive, o);
                if (tight > q)
                {
                    tight = MathF.BitDecrement(tight);
                }

                double equality = Phi(q, positive, o) - (loss.DualLoss(positive ? 1 : 0, tight) - (tight * o));
                Assert.True(System.Math.Abs(equality) <= 1e-5 * (1 + width) * (1 + System.Math.Abs(o)),
                    $"q = {q}, o = {o}, α = {tight}: {equality:R}");
            }
        }
    }

    [Fact]
    public void A_dual_step_moves_toward_the_exact_coordinate_maximum_without_passing_it_and_stays_in_the_box()
    {
        var random = new Random(5);
        foreach (var q in Weights)
        {
            var loss = new WeightedLogLoss(q);
            for (int i = 0; i < 2000; i++)
            {
                bool positive = i % 2 == 0;
                double width = positive ? q : 1;
                float o = (float)((random.NextDouble() * 30) - 15);
                float alpha = (float)((positive ? 1 : -1) * random.NextDouble() * width);
                float s = (float)System.Math.Pow(10, (random.NextDouble() * 6) - 3); // scaled squared norm
                float invariant = loss.ComputeDualUpdateInvariant(s);
                float step = loss.DualUpdate(o, positive ? 1 : 0, alpha, invariant, maxNumThreads: 1);
                float next = alpha + step;

                Assert.InRange(next, positive ? 0f : -1f, positive ? (float)q : 0f);

                // The coordinate maximum: α + Δ* = −φ′(o + s·Δ*), the root of a decreasing function of Δ.
                double target = ExactCoordinateStep(q, positive, o, alpha, s);
                string at = string.Create(CultureInfo.InvariantCulture, $"q = {q}, positive = {positive}, o = {o}, α = {alpha}, s = {s}: Δ = {step:R}, Δ* = {target:R}");
                double slack = 4e-7 * width; // float rounding of α + Δ
                if (target >= 0)
                {
                    Assert.True(step >= -slack && step <= target + slack, at);
                }
                else
                {
                    Assert.True(step <= slack && step >= target - slack, at);
                }

                // And it takes at least the fraction 1/(1 + κ·s) of the way, κ = q/4 or 1/4: no stalling.
                double kappa = (positive ? q : 1) / 4;
                double least = (NegativeDerivative(q, positive, o) - alpha) / (1 + (kappa * s));
                Assert.True(System.Math.Abs(step - least) <= slack + (1e-6 * System.Math.Abs(least)), at);
            }
        }
    }

    [Fact]
    public void A_step_larger_than_half_the_box_is_divided_among_threads()
    {
        var loss = new WeightedLogLoss(4);
        float single = loss.DualUpdate(-10, 1, 0, 0, maxNumThreads: 1); // target ≈ 4, from 0
        float shared = loss.DualUpdate(-10, 1, 0, 0, maxNumThreads: 4);
        Assert.True(single > 2);
        Assert.Equal(single / 4, shared, 5);

        float small = loss.DualUpdate(0, 1, 1.5f, 0, maxNumThreads: 4); // target 2, step 0.5 < 2
        Assert.Equal(loss.DualUpdate(0, 1, 1.5f, 0, maxNumThreads: 1), small);
    }

    private static double ExactCoordinateStep(double q, bool positive, double o, double alpha, double s)
    {
        double G(double d) => NegativeDerivative(q, positive, o + (s * d)) - alpha - d;
        double lo = -(positive ? q : 1) - 1, hi = (positive ? q : 1) + 1; // G(lo) > 0 > G(hi)
        for (int i = 0; i < 200; i++)
        {
            double mid = (lo + hi) / 2;
            if (G(mid) > 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }

    private static double GoldenSectionMinimum(Func<double, double> f, double a, double b)
    {
        double ratio = (System.Math.Sqrt(5) - 1) / 2;
        double c = b - (ratio * (b - a)), d = a + (ratio * (b - a));
        for (int i = 0; i < 200; i++)
        {
            if (f(c) < f(d))
            {
                b = d;
            }
            else
            {
                a = c;
            }

            c = b - (ratio * (b - a));
            d = a + (ratio * (b - a));
        }

        return f((a + b) / 2);
    }
}
