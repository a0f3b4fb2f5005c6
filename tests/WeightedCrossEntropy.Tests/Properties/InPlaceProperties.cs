using System.Numerics;
using CsCheck;
using Xunit;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>
/// (d) Writing into the very labels or logits array gives the same bits as writing to separate memory, for every
/// elementwise op, the sigmoid call and the fused call (its returned loss and its gradient), in float, double and
/// Half.
/// </summary>
public sealed class InPlaceProperties
{
    [Theory]
    [InlineData("float")]
    [InlineData("double")]
    [InlineData("Half")]
    public void In_place_equals_out_of_place_bit_for_bit(string type)
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
        }, iter: 200, print: c => c.ToString());
    }

    private static void Check<T>(Batch c)
        where T : IFloatingPointIeee754<T>
    {
        var x = c.Logits<T>();
        var z = c.Labels<T>();
        var q = c.PosWeight<T>();

        foreach (var op in Ops.All)
        {
            var separate = Ops.Public(op, z, x, q);
            var onLabels = (T[])z.Clone();
            Ops.Public<T>(op, onLabels, x, q, onLabels);
            Same(separate, onLabels, $"{op} into labels");
            var onLogits = (T[])x.Clone();
            Ops.Public<T>(op, z, onLogits, q, onLogits);
            Same(separate, onLogits, $"{op} into logits");
        }

        var sigmoid = new T[c.N];
        Nn.SigmoidCrossEntropyWithLogits<T>(z, x, sigmoid);
        var sigmoidOnLogits = (T[])x.Clone();
        Nn.SigmoidCrossEntropyWithLogits<T>(z, sigmoidOnLogits, sigmoidOnLogits);
        Same(sigmoid, sigmoidOnLogits, "sigmoid into logits");
        var sigmoidOnLabels = (T[])z.Clone();
        Nn.SigmoidCrossEntropyWithLogits<T>(sigmoidOnLabels, x, sigmoidOnLabels);
        Same(sigmoid, sigmoidOnLabels, "sigmoid into labels");

        foreach (var reduction in new[] { Reduction.Sum, Reduction.Mean })
        {
            var gradient = new T[c.N];
            T loss = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, gradient, reduction);
            var onLabels = (T[])z.Clone();
            T lossOnLabels = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(onLabels, x, q, onLabels, reduction);
            Same([loss], [lossOnLabels], $"fused {reduction} loss, gradient into labels");
            Same(gradient, onLabels, $"fused {reduction} gradient into labels");
            var onLogits = (T[])x.Clone();
            T lossOnLogits = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, onLogits, q, onLogits, reduction);
            Same([loss], [lossOnLogits], $"fused {reduction} loss, gradient into logits");
            Same(gradient, onLogits, $"fused {reduction} gradient into logits");
        }
    }

    internal static void Same<T>(T[] expected, T[] actual, string what)
        where T : IFloatingPointIeee754<T>
    {
        string? difference = Inputs.FirstBitDifference(expected, actual);
        if (difference is not null)
        {
            throw new InvalidOperationException($"{typeof(T).Name} {what}: {difference}");
        }
    }
}
