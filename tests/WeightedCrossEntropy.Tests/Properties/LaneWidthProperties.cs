using System.Globalization;
using System.Numerics;
using CsCheck;
using WeightedCrossEntropy.Loops;
using Xunit;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>
/// (a) Every lane width (Vector128, Vector256, Vector512 where the hardware has it, Best) agrees with the Scalar
/// path within 2 ULP in float32 and 3 ULP in float64, for the loss, all three gradients and the fused gradient, on
/// random lengths 0..100 (odd lengths exercise the tail), per-class weights of random length C dividing N, logits
/// from ±1e-30 to ±800 with ±∞ and NaN, soft labels and weights in [0, 300]. ULP are counted as
/// shared/reference/README.md says (the larger of two cancelling terms is the unit).
/// </summary>
public sealed class LaneWidthProperties
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_lane_width_agrees_with_scalar(bool isFloat32)
    {
        Inputs.Wide.Sample(c =>
        {
            if (isFloat32)
            {
                Agree<float>(c, 2, true);
            }
            else
            {
                Agree<double>(c, 3, false);
            }
        }, iter: 300, print: c => c.ToString());
    }

    /// <summary>Per-class weights longer than the tiled buffer (C &gt; 256): the weights are read in place and
    /// gathered where a step wraps.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_lane_width_agrees_with_scalar_for_many_classes(bool isFloat32)
    {
        var shape = from c in Gen.Int[257, 420] from k in Gen.Int[1, 3] select (c * k, c);
        Inputs.Cases(Inputs.WideLogit, Inputs.Label, Inputs.Weight, shape).Sample(c =>
        {
            if (isFloat32)
            {
                Agree<float>(c, 2, true);
            }
            else
            {
                Agree<double>(c, 3, false);
            }
        }, iter: 40, print: c => c.ToString());
    }

    private static void Agree<T>(Batch c, double bound, bool isFloat32)
        where T : IFloatingPointIeee754<T>
    {
        var x = c.Logits<T>();
        var z = c.Labels<T>();
        var q = c.PosWeight<T>();
        var xd = Inputs.Widen(x);
        var zd = Inputs.Widen(z);
        var qd = Inputs.Widen(q);

        foreach (var op in Ops.All)
        {
            var reference = Inputs.Widen(Ops.Lanes(op, z, x, q, LaneWidth.Scalar));
            foreach (var width in Ops.Widths.Skip(1))
            {
                var actual = Inputs.Widen(Ops.Lanes(op, z, x, q, width));
                Compare(op, width, xd, zd, qd, actual, reference, bound, isFloat32, c);
            }
        }

        var fusedReference = new T[c.N];
        _ = Ops.FusedLanes(z, x, q, fusedReference, 1.0, LaneWidth.Scalar);
        foreach (var width in Ops.Widths.Skip(1))
        {
            var fused = new T[c.N];
            _ = Ops.FusedLanes(z, x, q, fused, 1.0, width);
            Compare(Op.LogitsGradient, width, xd, zd, qd, Inputs.Widen(fused), Inputs.Widen(fusedReference), bound, isFloat32, c);
        }
    }

    private static void Compare(
        Op op, LaneWidth width, double[] x, double[] z, double[] q, double[] actual, double[] reference, double bound,
        bool isFloat32, Batch c)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            double error = Ops.UlpError(op, x[i], z[i], q[i % q.Length], actual[i], reference[i], isFloat32);
            if (!(error <= bound))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{op} on {width}, element {i} of {c.N} (x={x[i]:R} z={z[i]:R} q={q[i % q.Length]:R}): {actual[i]:R}, scalar {reference[i]:R}, {error:F2} ULP > {bound}"));
            }
        }
    }
}
