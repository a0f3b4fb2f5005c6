using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Math;

/// <summary>
/// The scale contract: every operator multiplies the value it stores by the call's <see cref="Scale"/> s before its
/// one rounding, on every lane width and kernel family. Two references: every row of data/reference/reference.csv
/// (exact values) times s, within 2 ULP (float32) and 3 ULP (float64) of s·exact; and random inputs (hard labels that
/// keep every step on the hard-label kernels, then soft labels for <see cref="SingleFastPath"/> and the double
/// lanes), float32 against the unscaled float64 result of the same lane width times s, within 2 ULP, and float64
/// against the same kernels unscaled times s, within 3 ULP.
/// </summary>
/// <remarks>
/// The unit of a scaled result is the larger of its own ULP and s times the ULP of the unscaled value (the larger of
/// two cancelling terms where they cancel): a kernel's error is relative to the value it computes, and s moves that
/// value within its binade. A result at the bottom of its binade whose scaled value lands at the top of another would
/// otherwise count the same relative error as up to twice as many ULPs (measured: 2.04 "ULP" for ∂/∂q × 1/196,611 at
/// x = −0.00067, an element within 1.5 ULP unscaled).
/// </remarks>
public sealed class ScaleTests
{
    public enum Kernel { Loss, Dx, Dz, Dq, FusedGradient, SummedLoss }

    /// <summary>1/N for N = 3 and 196,611 (the divisions a mean makes) and a plain factor.</summary>
    private static readonly (string Name, Func<Scale> Make, double Value)[] Scales =
    [
        ("1/3", () => Scale.Reciprocal(3), 1.0 / 3),
        ("1/196611", () => Scale.Reciprocal(196_611), 1.0 / 196_611),
        ("0.3", () => Scale.Of(0.3), 0.3),
    ];

    private static readonly string[] Widths = ["Best", "Scalar", "Vector128", "Vector256", "Vector512"];

    public static TheoryData<Kernel, string, string> Cases()
    {
        var data = new TheoryData<Kernel, string, string>();
        foreach (var op in Enum.GetValues<Kernel>())
        {
            foreach (var scale in Scales)
            {
                foreach (var width in Widths)
                {
                    data.Add(op, scale.Name, width);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_reference_row_times_the_scale_is_within_the_bound(Kernel op, string scaleName, string lanes)
    {
        var width = Width(lanes);
        var (_, make, s) = Scales.Single(c => c.Name == scaleName);
        foreach (bool isFloat32 in new[] { true, false })
        {
            var rows = GoldenRow.All.Where(r => r.IsSingle == isFloat32).ToArray();
            Assert.NotEmpty(rows);
            var x = rows.Select(r => r.X).ToArray();
            var z = rows.Select(r => r.Z).ToArray();
            var q = rows.Select(r => r.Q).ToArray();
            double[] actual = isFloat32
                ? Compute<float>(op, z, x, q, make(), width, out _)
                : Compute<double>(op, z, x, q, make(), width, out _);
            var expected = new double[rows.Length];
            var magnitude = new double[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                var r = rows[i];
                (expected[i], magnitude[i]) = op switch
                {
                    Kernel.Loss or Kernel.SummedLoss => (r.Loss, TermMagnitudes.Loss(r.X, r.Z, r.Q)),
                    Kernel.Dx or Kernel.FusedGradient => (r.Dx, TermMagnitudes.Dx(r.X, r.Z, r.Q)),
                    Kernel.Dz => (r.Dz, TermMagnitudes.Dz(r.X, r.Q)),
                    _ => (r.Dq, 0.0),
                };
                magnitude[i] = System.Math.Max(System.Math.Abs(expected[i]), magnitude[i]);
                if (double.IsInfinity(expected[i]) && double.IsFinite(r.X) && double.IsFinite(r.Z) && double.IsFinite(r.Q))
                {
                    // The exact value overflows the type: s times it is not in the row. Its sign and size are.
                    Assert.True(
                        System.Math.Sign(actual[i]) == System.Math.Sign(expected[i])
                        && System.Math.Abs(actual[i]) >= s * (isFloat32 ? float.MaxValue : double.MaxValue) / 2,
                        $"{r}: {op} × {scaleName} = {actual[i]:R}");
                    expected[i] = actual[i];
                    continue;
                }

                expected[i] *= s;
            }

            Check(actual, expected, magnitude, s, isFloat32, isFloat32 ? 2 : 3, $"{op} × {scaleName} on {width}", i => rows[i].ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_is_the_unscaled_float64_result_times_the_scale(Kernel op, string scaleName, string lanes)
    {
        var width = Width(lanes);
        var (_, make, s) = Scales.Single(c => c.Name == scaleName);
        var (z, x, q) = RandomInputs();
        var actual = Compute<float>(op, z, x, q, make(), width, out double sum);
        var unscaled = Compute<double>(op, z, x, q, Scale.One, width, out double unscaledSum);
        var expected = unscaled.Select(v => v * s).ToArray();
        var magnitude = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double weight = q[i % q.Length];
            magnitude[i] = System.Math.Max(System.Math.Abs(unscaled[i]), op switch
            {
                Kernel.Loss or Kernel.SummedLoss => TermMagnitudes.Loss(x[i], z[i], weight),
                Kernel.Dx or Kernel.FusedGradient => TermMagnitudes.Dx(x[i], z[i], weight),
                Kernel.Dz => TermMagnitudes.Dz(x[i], weight),
                _ => 0.0,
            });
        }

        Check(actual, expected, magnitude, s, isFloat32: true, 2, $"{op} × {scaleName} on {width}",
            i => string.Create(CultureInfo.InvariantCulture, $"x = {x[i]:R}, z = {z[i]:R}, q = {q[i]:R}"));
        if (op == Kernel.SummedLoss)
        {
            // The sum of the stored (scaled) losses: s times the unscaled sum, to the sum's own rounding.
            Assert.Equal(unscaledSum * s, sum, System.Math.Abs(unscaledSum * s) * 1e-6);
        }
        else if (op == Kernel.FusedGradient)
        {
            // The fused step's loss sum is not scaled.
            Assert.Equal(unscaledSum, sum, System.Math.Abs(unscaledSum) * 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float64_is_the_unscaled_float64_result_times_the_scale(Kernel op, string scaleName, string lanes)
    {
        var width = Width(lanes);
        var (_, make, s) = Scales.Single(c => c.Name == scaleName);
        var (z, x, q) = RandomInputs();
        var actual = Compute<double>(op, z, x, q, make(), width, out _);
        var unscaled = Compute<double>(op, z, x, q, Scale.One, width, out _);
        var expected = unscaled.Select(v => v * s).ToArray();

        // The same kernel with and without the scale: s·v rounded once against round(v)·s, so within 3 ULP of
        // float64 (the bound) at the result's own magnitude.
        Check(actual, expected, unscaled.Select(System.Math.Abs).ToArray(), s, isFloat32: false, 3, $"{op} × {scaleName} on {width}",
            i => string.Create(CultureInfo.InvariantCulture, $"x = {x[i]:R}, z = {z[i]:R}, q = {q[i]:R}"));
    }

    [Fact]
    public void A_scale_of_one_changes_no_bit()
    {
        var (z, x, q) = RandomInputs();
        foreach (var op in Enum.GetValues<Kernel>())
        {
            foreach (var lanes in Widths.Where(IsAccelerated))
            {
                var width = Width(lanes);
                var viaReciprocal = Compute<float>(op, z, x, q, Scale.Reciprocal(1), width, out _);
                var viaFactor = Compute<float>(op, z, x, q, Scale.Of(1), width, out _);
                var one = Compute<float>(op, z, x, q, Scale.One, width, out _);
                Assert.Equal(one, viaReciprocal);
                Assert.Equal(one, viaFactor);
            }
        }
    }

    /// <summary>The kernels compiled for any scale (<see cref="ScaleAny"/>), given s = 1, store the same bits as the
    /// kernels compiled for s = 1 (<see cref="ScaleOne"/>), which an unscaled call runs: the pairs 1 + 0 add nothing,
    /// not even the sign of a zero.</summary>
    [Theory]
    [InlineData("Best")]
    [InlineData("Scalar")]
    [InlineData("Vector128")]
    [InlineData("Vector256")]
    [InlineData("Vector512")]
    public void The_kernels_for_any_scale_given_one_store_the_unscaled_bits(string lanes)
    {
        var width = Width(lanes);
        var (z, x, q) = RandomInputs();
        Same<float, SingleElements>(z, x, q, width);
        Same<double, DoubleElements>(z, x, q, width);
    }

    private static void Same<T, TIO>(double[] labels, double[] logits, double[] posWeight, LaneWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIO : struct, IElementType<T>
    {
        var z = labels.Select(T.CreateTruncating).ToArray();
        var x = logits.Select(T.CreateTruncating).ToArray();
        var q = posWeight.Select(T.CreateTruncating).ToArray();
        x[5] = T.NaN;
        x[17] = T.PositiveInfinity;
        x[4100] = T.NegativeInfinity;
        x[4101] = T.CreateTruncating(-200.0);
        foreach (var kernel in Enum.GetValues<Kernel>())
        {
            var one = new T[x.Length];
            var any = new T[x.Length];
            Run<T, TIO, ScaleOne>(kernel, z, x, q, one, width);
            Run<T, TIO, ScaleAny>(kernel, z, x, q, any, width);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.True(
                    BitConverter.DoubleToInt64Bits(double.CreateTruncating(one[i]))
                    == BitConverter.DoubleToInt64Bits(double.CreateTruncating(any[i])),
                    string.Create(CultureInfo.InvariantCulture,
                        $"{typeof(T).Name} {kernel} on {width}, element {i}: {one[i]} unscaled, {any[i]} with s = 1"));
            }
        }
    }

    private static void Run<T, TIO, TS>(Kernel kernel, T[] z, T[] x, T[] q, T[] d, LaneWidth width)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TIO : struct, IElementType<T>
        where TS : struct, IScaleKind
    {
        var call = new ElementwiseCall<T>(z, default, x, q, 0, d, Scale.One, width);
        _ = kernel switch
        {
            Kernel.Loss => KernelChoice.HardLabels<LossOperator, T, TIO, TS>(call),
            Kernel.Dx => KernelChoice.HardLabels<LogitsGradientOperator, T, TIO, TS>(call),
            Kernel.Dz => KernelChoice.ElementwiseLoopForLabels<LabelsGradientOperator, T, TIO, TS>(call),
            Kernel.Dq => KernelChoice.HardLabels<PosWeightGradientOperator, T, TIO, TS>(call),
            Kernel.FusedGradient => KernelChoice.HardLabels<LossAndLogitsGradientOperator, T, TIO, TS>(call),
            _ => KernelChoice.HardLabels<Summed<LossOperator>, T, TIO, TS>(call),
        };
    }

    private static LaneWidth Width(string lanes)
    {
        Assert.SkipWhen(!IsAccelerated(lanes), $"{lanes} is not accelerated here");
        return Enum.Parse<LaneWidth>(lanes);
    }

    private static bool IsAccelerated(string lanes) => Enum.Parse<LaneWidth>(lanes) switch
    {
        LaneWidth.Vector128 => Vector128.IsHardwareAccelerated,
        LaneWidth.Vector256 => Vector256.IsHardwareAccelerated,
        LaneWidth.Vector512 => Vector512.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>4,099 elements with hard labels (logits in [−30, 30], weights cycling over four values: every full
    /// step on the hard-label kernels), then 4,099 with soft labels in [0, 1] and logits in [−90, 90].</summary>
    private static (double[] Z, double[] X, double[] Q) RandomInputs()
    {
        const int half = 4099;
        var rng = new Random(7);
        var z = new double[2 * half];
        var x = new double[2 * half];
        for (int i = 0; i < half; i++)
        {
            z[i] = rng.Next(10) == 0 ? 1 : 0;
            x[i] = (float)((rng.NextDouble() * 60) - 30);
            z[half + i] = (float)rng.NextDouble();
            x[half + i] = (float)((rng.NextDouble() * 180) - 90);
        }

        return (z, x, [1.5, 0.25, 7, 1]);
    }

    private static double[] Compute<T>(
        Kernel op, double[] labels, double[] logits, double[] posWeight, Scale scale, LaneWidth width, out double sum)
        where T : IFloatingPointIeee754<T>
    {
        var z = labels.Select(T.CreateTruncating).ToArray();
        var x = logits.Select(T.CreateTruncating).ToArray();
        var q = posWeight.Select(T.CreateTruncating).ToArray();
        var d = new T[x.Length];
        sum = op switch
        {
            Kernel.Loss => Dispatch.Apply<LossOperator, T>(z, x, q, 0, d, scale, width),
            Kernel.Dx => Dispatch.Apply<LogitsGradientOperator, T>(z, x, q, 0, d, scale, width),
            Kernel.Dz => Dispatch.Apply<LabelsGradientOperator, T>(z, x, q, 0, d, scale, width),
            Kernel.Dq => Dispatch.Apply<PosWeightGradientOperator, T>(z, x, q, 0, d, scale, width),
            Kernel.FusedGradient => Dispatch.Apply<LossAndLogitsGradientOperator, T>(z, x, q, 0, d, scale, width),
            _ => Dispatch.Apply<Summed<LossOperator>, T>(z, x, q, 0, d, scale, width),
        };
        return d.Select(double.CreateTruncating).ToArray();
    }

    private static void Check(
        double[] actual, double[] expected, double[] unscaledMagnitude, double s, bool isFloat32, double bound,
        string what, Func<int, string> describe)
    {
        var failures = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double unit = System.Math.Max(
                Ulp.Unit(System.Math.Max(System.Math.Abs(expected[i]), s * unscaledMagnitude[i]), isFloat32),
                s * Ulp.Unit(unscaledMagnitude[i], isFloat32));
            double error = !double.IsFinite(expected[i]) || !double.IsFinite(actual[i])
                ? (actual[i].Equals(expected[i]) ? 0 : double.PositiveInfinity)
                : System.Math.Abs(actual[i] - expected[i]) / unit;
            worst = System.Math.Max(worst, error);
            if (error > bound && failures.Length < 4000)
            {
                failures.AppendLine(CultureInfo.InvariantCulture,
                    $"{describe(i)}: {actual[i]:R}, expected {expected[i]:R}, {error:F2} ULP");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{what} float32={isFloat32}: worst {worst:F3} ULP");
        Assert.True(failures.Length == 0, $"{what}, float32={isFloat32}: worst {worst:F2} ULP (bound {bound}):\n{failures}");
    }
}
