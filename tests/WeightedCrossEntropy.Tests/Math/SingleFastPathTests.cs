using System.Runtime.Intrinsics;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Math;

/// <summary>
/// The float-lane kernels (<see cref="HardLabelMath{TF, TD, F}"/> for labels 0 and 1, <see cref="SingleFastPath"/> for
/// soft labels) of the loss, ∂/∂logits, the fused step and ∂/∂pos_weight, and ∂/∂labels (which stays in double lanes:
/// a float kernel of c·|x| + (q − 1)·log1p(e) measured 2.35 ULP on these inputs), at each float lane width, against
/// the float64 computation of the same inputs, which the golden tests hold to 3 ULP of float64 (10^−15 relative), so
/// its error is 10^−8 of a float32 ULP: the fast path must stay within the 2 ULP bound of float32. Inputs cover the
/// whole range the fast path takes (|x| ≤ 80), hard and soft labels, and weights from 0 to 300.
/// </summary>
public sealed class SingleFastPathTests
{
    private const int Count = 1 << 18;

    /// <summary>The fused step's N: not a power of two, so that 1/N is inexact and its low part is exercised.</summary>
    private const int FusedDivisor = Count - 1;

    public static TheoryData<string, int, bool> Cases()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var op in new[] { "Loss", "Dx", "Fused", "Dq", "Dz" })
        {
            foreach (var bits in new[] { 128, 256, 512 })
            {
                data.Add(op, bits, false);
                data.Add(op, bits, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_lanes_are_within_two_ULP_of_the_float64_result(string op, int bits, bool hardLabelsOnly)
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
        var rng = new Random(20261123);
        var x = new float[Count];
        var z = new float[Count];
        var q = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            // Half the logits uniform in [−80, 80], half log-uniform in magnitude from 1e−6 to 80.
            x[i] = i % 2 == 0
                ? (float)((rng.NextDouble() * 160) - 80)
                : (float)(System.Math.Pow(10, (rng.NextDouble() * 7.9) - 6) * (rng.Next(2) == 0 ? -1 : 1));
            z[i] = (i % 3) switch { 0 => 0f, 1 => 1f, _ when hardLabelsOnly => rng.Next(2), _ => (float)rng.NextDouble() };
            q[i] = (i % 5) switch { 0 => 1f, 1 => 0f, _ => (float)System.Math.Pow(10, (rng.NextDouble() * 3.5) - 1) };
        }

        var fast = new float[Count];
        var reference = new double[Count];
        Run(op, z, x, q, fast, width);
        Run(op, Widen(z), Widen(x), Widen(q), reference, LaneWidth.Vector128);

        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < Count; i++)
        {
            double unitMagnitude = op switch
            {
                "Loss" or "Dq" => 0,
                "Dz" => TermMagnitudes.Dz(x[i], q[i]),
                _ => TermMagnitudes.Dx(x[i], z[i], q[i]),
            };
            if (op == "Fused")
            {
                unitMagnitude /= FusedDivisor;
            }

            double error = Ulp.Error(fast[i], reference[i], unitMagnitude, isFloat32: true);
            if (error > worst)
            {
                worst = error;
                worstIndex = i;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{op} {width} hard={hardLabelsOnly}: worst {worst:F3} ULP at x={x[worstIndex]:R} z={z[worstIndex]:R} q={q[worstIndex]:R}");
        Assert.True(worst <= 2,
            $"worst {worst:F2} ULP at x={x[worstIndex]:R} z={z[worstIndex]:R} q={q[worstIndex]:R}: " +
            $"{fast[worstIndex]:R} vs {reference[worstIndex]:R}");
    }

    private static double[] Widen(float[] values) => Array.ConvertAll(values, v => (double)v);

    private static void Run<T>(string op, T[] z, T[] x, T[] q, T[] d, LaneWidth width)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        _ = op switch
        {
            "Loss" => Dispatch.Apply<LossOperator, T>(z, x, q, 0, d, Scale.One, width),
            "Dx" => Dispatch.Apply<LogitsGradientOperator, T>(z, x, q, 0, d, Scale.One, width),
            "Dq" => Dispatch.Apply<PosWeightGradientOperator, T>(z, x, q, 0, d, Scale.One, width),
            "Dz" => Dispatch.Apply<LabelsGradientOperator, T>(z, x, q, 0, d, Scale.One, width),
            _ => Dispatch.Apply<LossAndLogitsGradientOperator, T>(z, x, q, 0, d, Scale.Reciprocal(FusedDivisor), width),
        };
    }
}
