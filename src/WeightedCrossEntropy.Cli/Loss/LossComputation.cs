using System.Numerics;
using WeightedCrossEntropy.Cli.Io;

namespace WeightedCrossEntropy.Cli.Loss;

/// <summary>What <c>wce loss</c> computes: the loss (elementwise or reduced) and optionally its gradient with
/// respect to the logits, in the logits' type, by one call to the library's span API.</summary>
internal static class LossComputation
{
    /// <returns>The loss (the logits' shape for <see cref="Reduction.None"/>, a single value otherwise) and the
    /// gradient (the logits' shape), or null when not asked for.</returns>
    public static (T[] Loss, T[]? Gradient) Compute<T>(
        double[] labels, double[] logits, double[] posWeightCycle, Reduction reduction, bool gradient)
        where T : IFloatingPointIeee754<T>
    {
        var z = Convert<T>(labels);
        var x = Convert<T>(logits);
        var q = Convert<T>(posWeightCycle);
        if (reduction == Reduction.None)
        {
            var loss = new T[x.Length];
            Nn.WeightedCrossEntropyWithLogits<T>(z, x, q, loss);
            T[]? grad = null;
            if (gradient)
            {
                grad = new T[x.Length];
                Nn.WeightedCrossEntropyWithLogitsGradient<T>(z, x, q, grad);
            }

            return (loss, grad);
        }

        var g = new T[x.Length];
        var value = Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, g, reduction);
        return ([value], gradient ? g : null);
    }

    /// <summary>The values as T: the array itself when T is double (the library only reads its inputs).</summary>
    private static T[] Convert<T>(double[] values)
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return (T[])(object)values;
        }

        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = T.CreateChecked(values[i]);
        }

        return result;
    }
}
