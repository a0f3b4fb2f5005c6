using System.Numerics;
using CsCheck;
using WeightedCrossEntropy.Loops;
using Xunit;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>(h) The same inputs give the same bits on repeated calls: every op, every lane width, the fused call.</summary>
public sealed class DeterminismProperties
{
    [Theory]
    [InlineData("float")]
    [InlineData("double")]
    [InlineData("Half")]
    public void Repeated_calls_give_the_same_bits(string type)
    {
        Inputs.Wide.Sample(c =>
        {
            switch (type)
            {
                case "float":
                    Check<float>(c);
                    break;
                case "double":
                    Check<double>(c);
                    break;
                default:
                    Check<Half>(c);
                    break;
            }
        }, iter: 150, print: c => c.ToString());
    }

    private static void Check<T>(Batch c)
        where T : IFloatingPointIeee754<T>
    {
        var x = c.Logits<T>();
        var z = c.Labels<T>();
        var q = c.PosWeight<T>();
        foreach (var op in Ops.All)
        {
            var first = Ops.Public(op, z, x, q);
            InPlaceProperties.Same(first, Ops.Public(op, z, x, q), $"{op} second call");
            foreach (var width in new[] { LaneWidth.Scalar, LaneWidth.Vector128, LaneWidth.Vector256 })
            {
                _ = Ops.Lanes(op, z, x, q, width); // other paths in between must not disturb the next call
            }

            InPlaceProperties.Same(first, Ops.Public(op, z, x, q), $"{op} third call");
            foreach (var width in Ops.Widths)
            {
                InPlaceProperties.Same(Ops.Lanes(op, z, x, q, width), Ops.Lanes(op, z, x, q, width), $"{op} on {width}");
            }
        }

        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
        {
            var g1 = new T[c.N];
            var g2 = new T[c.N];
            T l1 = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, g1, reduction);
            T l2 = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, g2, reduction);
            InPlaceProperties.Same([l1], [l2], $"fused {reduction} loss");
            InPlaceProperties.Same(g1, g2, $"fused {reduction} gradient");
        }
    }
}
