using System.Runtime.Intrinsics;
using CsCheck;
using WeightedCrossEntropy.Math;
using WeightedCrossEntropy.Tests.Properties;
using Xunit;

namespace WeightedCrossEntropy.Tests.Math;

/// <summary>
/// The exponent tricks of <see cref="ILanes{TV}"/> that the float64 exp uses instead of multiplies
/// (<see cref="ILanes{TV}.Pow2FromMagic"/>, <see cref="ILanes{TV}.ScaleNormal"/>), on every lane type against
/// <see cref="System.Math.ScaleB"/>, and <see cref="ExpNegative.Pair{TV, L}"/> built on them: the same bits on every
/// lane type, and e within 1 ULP of <see cref="System.Math.Exp"/> (which is within 1 ULP itself, so the two can differ
/// by one; e is the pair's rounded head).
/// </summary>
public sealed class LanesTests
{
    private static readonly Gen<(double P, int K)> NormalScaling =
        Gen.Select(Gen.Double[System.Math.Sqrt(0.5), System.Math.Sqrt(2.0)], Gen.Int[-1010, 0]);

    [Fact]
    public void Pow2_from_magic_and_scale_normal_match_ScaleB_on_every_lane_type()
    {
        NormalScaling.Sample(c =>
        {
            double expected = System.Math.ScaleB(c.P, c.K);
            double magicPlusK = System.Math.FusedMultiplyAdd(c.K, 1.0, LaneConstants.Pow2Magic);
            Same(System.Math.ScaleB(1.0, c.K), ScalarLanes.Pow2FromMagic(magicPlusK), "scalar 2^k");
            Same(expected, ScalarLanes.ScaleNormal(c.P, ScalarLanes.Pow2FromMagic(magicPlusK)), "scalar");

            var p128 = Vector128.Create(c.P);
            var m128 = Vector128.Create(magicPlusK);
            Same(expected, Vector128Lanes.ScaleNormal(p128, Vector128Lanes.Pow2FromMagic(m128)).GetElement(1), "Vector128");
            var p256 = Vector256.Create(c.P);
            var m256 = Vector256.Create(magicPlusK);
            Same(expected, Vector256Lanes.ScaleNormal(p256, Vector256Lanes.Pow2FromMagic(m256)).GetElement(3), "Vector256");
            var p512 = Vector512.Create(c.P);
            var m512 = Vector512.Create(magicPlusK);
            Same(expected, Vector512Lanes.ScaleNormal(p512, Vector512Lanes.Pow2FromMagic(m512)).GetElement(7), "Vector512");
        }, iter: 2000, print: c => $"p = {c.P:R}, k = {c.K}");
    }

    [Fact]
    public void Exp_pair_is_the_same_on_every_lane_type_and_within_an_ulp_of_Math_Exp()
    {
        // t over the kernel's whole range, with extra weight near 0 and near the ends of k's reduction intervals.
        var t = Gen.OneOf(Gen.Double[0, 700], Gen.Double[0, 1e-6], Gen.Int[0, 1010].Select(k => k * System.Math.Log(2) / 2));
        t.Sample(v =>
        {
            double e = ExpNegative.Pair<double, ScalarLanes>(v, out double low);
            double reference = System.Math.Exp(-v);
            Assert.True(Inputs.UlpDistance(e, reference) <= 1, $"t = {v:R}: e = {e:R}, Math.Exp = {reference:R}");
            Assert.True(System.Math.Abs(low) <= System.Math.BitIncrement(e) - e, $"t = {v:R}: low {low:R} beyond an ULP of e {e:R}");

            double e512 = ExpNegative.Pair<Vector512<double>, Vector512Lanes>(Vector512.Create(v), out var low512).GetElement(5);
            double e256 = ExpNegative.Pair<Vector256<double>, Vector256Lanes>(Vector256.Create(v), out var low256).GetElement(2);
            double e128 = ExpNegative.Pair<Vector128<double>, Vector128Lanes>(Vector128.Create(v), out var low128).GetElement(0);
            Same(e, e512, "Vector512 e");
            Same(low, low512.GetElement(5), "Vector512 low");
            Same(e, e256, "Vector256 e");
            Same(low, low256.GetElement(2), "Vector256 low");
            Same(e, e128, "Vector128 e");
            Same(low, low128.GetElement(0), "Vector128 low");
        }, iter: 2000, print: v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void Same(double expected, double actual, string what) =>
        Assert.True(
            BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
            $"{what}: {actual:R}, expected {expected:R}");
}
