using System.Numerics;
using CsCheck;
using WeightedCrossEntropy.Loops;
using Xunit;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>
/// (b) A per-class weight of length C gives the same bits as that weight expanded to every element (length N);
/// (c) q = 1 gives the same bits as SigmoidCrossEntropyWithLogits; and the loop started part way (firstElement)
/// picks up the class cycle where the whole call would.
/// </summary>
public sealed class PosWeightProperties
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Per_class_weight_equals_the_expanded_weight_bit_for_bit(bool isFloat32)
    {
        Inputs.Wide.Sample(c =>
        {
            if (isFloat32)
            {
                SameAsExpanded<float>(c);
            }
            else
            {
                SameAsExpanded<double>(c);
            }
        }, iter: 200, print: c => c.ToString());
    }

    [Fact]
    public void Per_class_weight_equals_the_expanded_weight_for_many_classes()
    {
        var shape = from c in Gen.Int[257, 420] from k in Gen.Int[1, 3] select (c * k, c);
        Inputs.Cases(Inputs.WideLogit, Inputs.Label, Inputs.Weight, shape).Sample(c =>
        {
            SameAsExpanded<float>(c);
            SameAsExpanded<double>(c);
        }, iter: 30, print: c => c.ToString());
    }

    private static void SameAsExpanded<T>(Batch c)
        where T : IFloatingPointIeee754<T>
    {
        var x = c.Logits<T>();
        var z = c.Labels<T>();
        var q = c.PosWeight<T>();
        var expanded = Inputs.To<T>(c.ExpandedQ());
        if (c.N == 0)
        {
            return;
        }

        foreach (var op in Ops.All)
        {
            Same(Ops.Public(op, z, x, expanded), Ops.Public(op, z, x, q), $"{op} public");
            foreach (var width in Ops.Widths)
            {
                Same(Ops.Lanes(op, z, x, expanded, width), Ops.Lanes(op, z, x, q, width), $"{op} on {width}");
            }
        }

        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
        {
            var gExpanded = new T[c.N];
            var gClasses = new T[c.N];
            T lossExpanded = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, expanded, gExpanded, reduction);
            T lossClasses = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, gClasses, reduction);
            Same([lossExpanded], [lossClasses], $"fused {reduction} loss");
            Same(gExpanded, gClasses, $"fused {reduction} gradient");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pos_weight_one_is_sigmoid_cross_entropy_bit_for_bit(bool isFloat32)
    {
        Inputs.Wide.Sample(c =>
        {
            if (isFloat32)
            {
                SameAsSigmoid<float>(c);
            }
            else
            {
                SameAsSigmoid<double>(c);
            }
        }, iter: 200, print: c => c.ToString());
    }

    private static void SameAsSigmoid<T>(Batch c)
        where T : IFloatingPointIeee754<T>
    {
        var x = c.Logits<T>();
        var z = c.Labels<T>();
        var sigmoid = new T[c.N];
        Nn.SigmoidCrossEntropyWithLogits<T>(z, x, sigmoid);
        Same(Ops.Public(Op.Loss, z, x, [T.One]), sigmoid, "q = [1]");
        if (c.N > 0)
        {
            Same(Ops.Public(Op.Loss, z, x, Enumerable.Repeat(T.One, c.N).ToArray()), sigmoid, "q = ones(N)");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_call_started_part_way_continues_the_class_cycle(bool isFloat32)
    {
        var gen = from c in Inputs.Wide from cut in Gen.Int[0, 100] select (c, cut);
        gen.Sample(t =>
        {
            var (c, cut) = t;
            if (isFloat32)
            {
                Split<float>(c, System.Math.Min(cut, c.N));
            }
            else
            {
                Split<double>(c, System.Math.Min(cut, c.N));
            }
        }, iter: 200, print: t => $"cut={t.cut} {t.c}");
    }

    private static void Split<T>(Batch c, int cut)
        where T : IFloatingPointIeee754<T>
    {
        var x = c.Logits<T>();
        var z = c.Labels<T>();
        var q = c.PosWeight<T>();
        foreach (var op in Ops.All)
        {
            foreach (var width in Ops.Widths)
            {
                var whole = Ops.Lanes(op, z, x, q, width);
                var head = Ops.Lanes(op, z[..cut], x[..cut], q, width, 0);
                var tail = Ops.Lanes(op, z[cut..], x[cut..], q, width, cut);
                Same(whole, [.. head, .. tail], $"{op} on {width} split at {cut}");
            }
        }
    }

    private static void Same<T>(T[] expected, T[] actual, string what)
        where T : IFloatingPointIeee754<T>
    {
        string? difference = Inputs.FirstBitDifference(expected, actual);
        if (difference is not null)
        {
            throw new InvalidOperationException($"{what}: {difference}");
        }
    }
}
