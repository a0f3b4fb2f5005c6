using System.Globalization;
using Microsoft.ML.Trainers;
using WeightedCrossEntropy.MLNet.Tests.Support;
using WeightedCrossEntropy.Testing;

namespace WeightedCrossEntropy.MLNet.Tests;

/// <summary>The value and derivative against values computed in this test at 1,400 bits
/// (<see cref="HighPrecision"/>), ML.NET's label convention, special values, and where ML.NET's LogLoss is
/// inexact.</summary>
public sealed class LossValueTests
{
    private static readonly double[] Weights = [1, 0.3, 3, 48.476190476190474, 1e-3, 1e3];

    /// <summary>Scores across the range where the loss changes, the float limits, and random ones in [−60, 60].</summary>
    public static float[] Outputs()
    {
        var fixedPoints = new float[]
        {
            0, 1e-8f, 0.5f, 1, 2.5f, 10, 16.5f, 17, 20, 30, 40, 88, 100, 700, 745, 800, 1e5f, float.MaxValue,
            float.Epsilon,
        };
        var random = new Random(7);
        var values = fixedPoints.Concat(fixedPoints.Select(v => -v)).ToList();
        for (int i = 0; i < 120; i++)
        {
            values.Add((float)((random.NextDouble() * 120) - 60));
        }

        return [.. values];
    }

    [Fact]
    public void Loss_is_within_3_ulp_of_the_exact_value_and_the_derivative_is_the_exact_value_rounded_to_float()
    {
        foreach (var q in Weights)
        {
            var loss = new WeightedLogLoss(q);
            foreach (var o in Outputs())
            {
                // Positive: q·sp(−o) and −q·σ(−o); negative: sp(o) and σ(o).
                double expectedPositive = HighPrecision.ScaledSoftplus(q, -(double)o);
                double expectedNegative = HighPrecision.Softplus(o);
                float expectedPositiveDerivative = (float)-HighPrecision.ScaledSigmoid(q, -(double)o);
                float expectedNegativeDerivative = (float)HighPrecision.ScaledSigmoid(1, o);

                string at = string.Create(CultureInfo.InvariantCulture, $"q = {q:R}, o = {o:R}");
                Assert.True(Ulp.Between(loss.Loss(o, 1), expectedPositive) <= 3, $"positive loss {loss.Loss(o, 1):R} vs {expectedPositive:R} at {at}");
                Assert.True(Ulp.Between(loss.Loss(o, 0), expectedNegative) <= 3, $"negative loss {loss.Loss(o, 0):R} vs {expectedNegative:R} at {at}");
                Assert.True(Ulp.Between(loss.Derivative(o, 1), expectedPositiveDerivative) <= 1, $"positive derivative {loss.Derivative(o, 1):R} vs {expectedPositiveDerivative:R} at {at}");
                Assert.True(Ulp.Between(loss.Derivative(o, 0), expectedNegativeDerivative) <= 1, $"negative derivative {loss.Derivative(o, 0):R} vs {expectedNegativeDerivative:R} at {at}");
            }
        }
    }

    [Fact]
    public void The_derivative_matches_a_finite_difference_of_the_loss()
    {
        // Central difference of the exact double loss: error h²·|ℓ‴|/6 ≤ h²·q/(6·√27)... bounded by q·h² here, plus
        // rounding 2·3 ulp·loss/h.
        const double h = 1e-4;
        foreach (var q in Weights)
        {
            var loss = new WeightedLogLoss(q);
            foreach (var o in Outputs().Where(v => System.Math.Abs(v) < 50))
            {
                foreach (var label in new[] { 0f, 1f })
                {
                    double fd = (loss.Loss((float)(o + h), label) - loss.Loss((float)(o - h), label)) /
                        ((double)(float)(o + h) - (float)(o - h));
                    double scale = label > 0 ? q : 1;
                    double tolerance = (scale * 1e-6) + (System.Math.Abs(loss.Loss(o, label)) * 1e-11);
                    Assert.True(System.Math.Abs(loss.Derivative(o, label) - fd) <= tolerance,
                        string.Create(CultureInfo.InvariantCulture, $"q = {q}, o = {o}, label = {label}: {loss.Derivative(o, label):R} vs {fd:R}"));
                }
            }
        }
    }

    [Fact]
    public void Labels_follow_LogLoss_positive_where_greater_than_zero_and_scores_are_raw_margins()
    {
        var loss = new WeightedLogLoss(1);
        var logLoss = new LogLoss();
        foreach (var label in new[] { 1f, 0.3f, 1e-30f, 2f, float.PositiveInfinity })
        {
            Assert.Equal(loss.Loss(-2, 1), loss.Loss(-2, label));
        }

        foreach (var label in new[] { 0f, -0f, -1f, float.NegativeInfinity })
        {
            Assert.Equal(loss.Loss(-2, 0), loss.Loss(-2, label));
        }

        // LogLoss computes a float approximation p of σ(o) (its derivative for label 0 is p itself) and then
        // −log(p) or −log(1 − p) in double. So it is the exact loss at the score o′ = log(p/(1 − p)), whose sigmoid
        // is p: with the same label and score conventions, this loss at o′ gives LogLoss's value, up to rounding o′
        // to float (|ℓ′| ≤ 1 times half an ulp of o′) and 1 − p to float (2^−24 relative).
        foreach (var o in new[] { -4f, -1.5f, -0.25f, 0f, 0.75f, 2f, 4f })
        {
            float p = logLoss.Derivative(o, 0);
            double scoreOfP = System.Math.Log(p) - System.Math.Log(1 - (double)p);
            double tolerance = System.Math.ScaleB(1, -23);
            foreach (var label in new[] { 0f, 1f })
            {
                Assert.True(System.Math.Abs(loss.Loss((float)scoreOfP, label) - logLoss.Loss(o, label)) <= tolerance,
                    $"o = {o}, label = {label}: {loss.Loss((float)scoreOfP, label):R} vs LogLoss {logLoss.Loss(o, label):R}");
                Assert.Equal(System.Math.Sign(logLoss.Derivative(o, label)), System.Math.Sign(loss.Derivative(o, label)));
            }
        }
    }

    [Fact]
    public void LogLoss_of_MLNet_is_inexact_where_this_loss_is_exact()
    {
        var logLoss = new LogLoss();
        var loss = new WeightedLogLoss(1);

        // A positive at o = −30: the loss is sp(30) = 30 + log1p(e^−30) ≈ 30. LogLoss clips the probability at 1e−8.
        double exact = HighPrecision.Softplus(30);
        Assert.True(System.Math.Abs(logLoss.Loss(-30, 1) - (-System.Math.Log(1e-8))) < 1e-9); // 18.42
        Assert.True(Ulp.Between(loss.Loss(-30, 1), exact) <= 3);

        // A positive at o = 20: the derivative is −σ(−20) ≈ −2.06e−9; LogLoss computes σ(20) − 1 in float, 0.
        float exactDerivative = (float)-HighPrecision.ScaledSigmoid(1, -20);
        Assert.Equal(0f, logLoss.Derivative(20, 1));
        Assert.True(Ulp.Between(loss.Derivative(20, 1), exactDerivative) <= 1);
        Assert.True(loss.Derivative(20, 1) < 0);

        // A negative at o = −30: the loss is sp(−30) ≈ 9.36e−14; LogLoss gives −log(1 − p) = 0 (or −0).
        Assert.Equal(0.0, System.Math.Abs(logLoss.Loss(-30, 0)));
        Assert.True(Ulp.Between(loss.Loss(-30, 0), HighPrecision.Softplus(-30)) <= 3);
    }

    [Fact]
    public void Special_scores_and_labels_give_the_limits_or_NaN()
    {
        var loss = new WeightedLogLoss(2.5);
        Assert.Equal(0.0, loss.Loss(float.PositiveInfinity, 1));
        Assert.Equal(double.PositiveInfinity, loss.Loss(float.NegativeInfinity, 1));
        Assert.Equal(double.PositiveInfinity, loss.Loss(float.PositiveInfinity, 0));
        Assert.Equal(0.0, loss.Loss(float.NegativeInfinity, 0));
        Assert.Equal(0f, loss.Derivative(float.PositiveInfinity, 1));
        Assert.Equal(-2.5f, loss.Derivative(float.NegativeInfinity, 1));
        Assert.Equal(1f, loss.Derivative(float.PositiveInfinity, 0));
        Assert.Equal(0f, loss.Derivative(float.NegativeInfinity, 0));
        Assert.True(double.IsNaN(loss.Loss(float.NaN, 1)));
        Assert.True(float.IsNaN(loss.Derivative(float.NaN, 0)));
        Assert.True(double.IsNaN(loss.Loss(1, float.NaN)));
        Assert.True(float.IsNaN(loss.Derivative(1, float.NaN)));
        Assert.True(float.IsNaN(loss.DualUpdate(1, float.NaN, 0, 0.1f, 1)));
        Assert.True(double.IsNaN(loss.DualLoss(float.NaN, 0)));
    }

    [Fact]
    public void Agrees_with_the_shared_reference_values_where_they_are_present()
    {
        var path = RepoFiles.Shared("reference", "golden.csv");
        if (path is null)
        {
            Assert.Skip("shared/reference/golden.csv is not beside this checkout");
        }

        int compared = 0;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < 6)
            {
                continue;
            }

            double x = double.Parse(f[1], CultureInfo.InvariantCulture), z = double.Parse(f[2], CultureInfo.InvariantCulture);
            double q = double.Parse(f[3], CultureInfo.InvariantCulture);
            double expectedLoss = double.Parse(f[4], CultureInfo.InvariantCulture), expectedDx = double.Parse(f[5], CultureInfo.InvariantCulture);
            // Hard labels, a pos_weight this loss accepts, and a score that is a float (ML.NET's scores are).
            if (z is not (0 or 1) || !(q > 0) || !double.IsFinite(q) || (double)(float)x != x && !double.IsNaN(x))
            {
                continue;
            }

            var loss = new WeightedLogLoss(q);
            var o = (float)x;
            if (f[0] == "float64")
            {
                Assert.True(Ulp.Between(loss.Loss(o, (float)z), expectedLoss) <= 3 || double.IsNaN(expectedLoss) && double.IsNaN(loss.Loss(o, (float)z)), $"line: {line}");
                Assert.True(Ulp.Between(loss.Derivative(o, (float)z), (float)expectedDx) <= 1 || double.IsNaN(expectedDx), $"line: {line}");
            }
            else
            {
                Assert.True(Ulp.Between((float)loss.Loss(o, (float)z), (float)expectedLoss) <= 1 || double.IsNaN(expectedLoss), $"line: {line}");
                Assert.True(Ulp.Between(loss.Derivative(o, (float)z), (float)expectedDx) <= 1 || double.IsNaN(expectedDx), $"line: {line}");
            }

            compared++;
        }

        Assert.True(compared > 0, "no row of golden.csv has a hard label, a positive pos_weight and a float score");
    }
}
