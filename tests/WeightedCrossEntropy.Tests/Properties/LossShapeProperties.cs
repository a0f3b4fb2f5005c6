using System.Globalization;
using System.Numerics;
using CsCheck;
using Xunit;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>
/// (i) The loss is ≥ 0 (never NaN) for q ≥ 0 and z in [0, 1], at every logit including ±∞; and with q = 1 it is
/// symmetric: loss(x, z) = loss(−x, 1 − z), and ∂/∂x(x, z) = −∂/∂x(−x, 1 − z).
/// </summary>
public sealed class LossShapeProperties
{
    private static readonly Gen<Batch> NonNaN =
        Inputs.Cases(Inputs.WideLogit.Where(v => !double.IsNaN(v)), Inputs.Label, Inputs.Weight, Inputs.Shape);

    [Fact]
    public void Loss_is_non_negative_for_non_negative_weights_and_labels_in_0_1()
    {
        NonNaN.Sample(c =>
        {
            NonNegative(c, Ops.Public(Op.Loss, c.Labels<double>(), c.Logits<double>(), c.PosWeight<double>()));
            NonNegative(c, Inputs.Widen(Ops.Public(Op.Loss, c.Labels<float>(), c.Logits<float>(), c.PosWeight<float>())));
            NonNegative(c, Inputs.Widen(Ops.Public(Op.Loss, c.Labels<Half>(), c.Logits<Half>(), c.PosWeight<Half>())));
        }, iter: 300, print: c => c.ToString());
    }

    private static void NonNegative(Batch c, double[] loss)
    {
        for (int i = 0; i < loss.Length; i++)
        {
            if (!(loss[i] >= 0))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"loss[{i}] = {loss[i]:R} at x={c.X[i]:R} z={c.Z[i]:R} q={c.Q[i % c.Q.Length]:R}"));
            }
        }
    }

    /// <summary>
    /// Labels k/2²⁰ so that 1 − z is exact in float and double (and 1 − (1 − z) = z): the mirrored call then has
    /// exactly the mirrored inputs, and the computation, which splits sp(x) and sp(−x) into a big and a small side
    /// by the sign of x, performs the same operations with the sides swapped, so the results agree bit for bit
    /// (the gradient with its sign flipped; a zero gradient compared as a value). At x = ±0 both sides are "big" the same way and the terms are rounded
    /// in the other order, so there the loss may differ by 1 ULP; that case is checked separately.
    /// </summary>
    private static readonly Gen<(double X, double Z)> Mirror =
        from x in Inputs.WideLogit.Where(v => !double.IsNaN(v) && v != 0)
        from k in Gen.Int[0, 1 << 20]
        select (x, k / (double)(1 << 20));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pos_weight_one_is_symmetric_bit_for_bit(bool isFloat32)
    {
        Mirror.Array[1, 40].Sample(points =>
        {
            if (isFloat32)
            {
                Symmetric<float>(points);
            }
            else
            {
                Symmetric<double>(points);
            }
        }, iter: 300);
    }

    private static T ZeroAsPositive<T>(T value)
        where T : IFloatingPointIeee754<T> =>
        T.IsZero(value) ? T.Zero : value;

    private static void Symmetric<T>((double X, double Z)[] points)
        where T : IFloatingPointIeee754<T>
    {
        var x = points.Select(p => T.CreateTruncating(p.X)).ToArray();
        var z = points.Select(p => T.CreateTruncating(p.Z)).ToArray();
        var minusX = x.Select(v => -v).ToArray();
        var oneMinusZ = z.Select(v => T.One - v).ToArray();
        T[] one = [T.One];

        InPlaceProperties.Same(Ops.Public(Op.Loss, z, x, one), Ops.Public(Op.Loss, oneMinusZ, minusX, one), "loss(x, z) vs loss(−x, 1 − z)");
        // A zero gradient is compared as a value: where (1 − z)·σ(x) and z·σ(−x) round to the same number (z = ½ and
        // a tiny x, seed 5L2VApZEnUv2: x = −9.5e−26), their difference is +0 in both calls, and −(+0) is −0.
        InPlaceProperties.Same(
            Ops.Public(Op.LogitsGradient, z, x, one).Select(ZeroAsPositive).ToArray(),
            Ops.Public(Op.LogitsGradient, oneMinusZ, minusX, one).Select(v => ZeroAsPositive(-v)).ToArray(),
            "∂/∂x(x, z) vs −∂/∂x(−x, 1 − z)");
    }

    [Fact]
    public void Pos_weight_one_is_symmetric_at_zero_within_one_ulp()
    {
        for (int k = 0; k <= 64; k++)
        {
            double z = k / 64.0;
            var a = Ops.Public(Op.Loss, [z], [0.0], [1.0])[0];
            var b = Ops.Public(Op.Loss, [1 - z], [-0.0], [1.0])[0];
            Assert.True(Inputs.UlpDistance(a, b) <= 1, $"z={z}: {a:R} vs {b:R}");
            // Both are ln 2 (z·ln 2 + (1 − z)·ln 2), within the library's 3 ULP.
            Assert.True(Inputs.UlpDistance(a, System.Math.Log(2)) <= 3, $"z={z}: {a:R}");
        }
    }
}
