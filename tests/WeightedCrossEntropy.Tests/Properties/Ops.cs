using System.Numerics;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;
using WeightedCrossEntropy.Tests.Reference;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>The four elementwise results of the span API.</summary>
public enum Op
{
    Loss,
    LogitsGradient,
    LabelsGradient,
    PosWeightGradient,
}

/// <summary>Calls the span API (public, or the internal loop at a chosen lane width) by <see cref="Op"/>.</summary>
internal static class Ops
{
    public static readonly Op[] All = Enum.GetValues<Op>();

    /// <summary>Every lane width, Scalar first (the reference path for agreement checks).</summary>
    public static readonly LaneWidth[] Widths =
        [LaneWidth.Scalar, LaneWidth.Vector128, LaneWidth.Vector256, LaneWidth.Vector512, LaneWidth.Best];

    public static void Public<T>(Op op, ReadOnlySpan<T> labels, ReadOnlySpan<T> logits, ReadOnlySpan<T> posWeight, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case Op.Loss:
                Nn.WeightedCrossEntropyWithLogits(labels, logits, posWeight, destination);
                break;
            case Op.LogitsGradient:
                Nn.WeightedCrossEntropyWithLogitsGradient(labels, logits, posWeight, destination);
                break;
            case Op.LabelsGradient:
                Nn.WeightedCrossEntropyWithLogitsLabelsGradient(labels, logits, posWeight, destination);
                break;
            default:
                Nn.WeightedCrossEntropyWithLogitsPosWeightGradient(labels, logits, posWeight, destination);
                break;
        }
    }

    public static T[] Public<T>(Op op, T[] labels, T[] logits, T[] posWeight)
        where T : IFloatingPointIeee754<T>
    {
        var destination = new T[logits.Length];
        Public<T>(op, labels, logits, posWeight, destination);
        return destination;
    }

    /// <summary>The elementwise op through the internal loop at one lane width.</summary>
    public static T[] Lanes<T>(Op op, T[] labels, T[] logits, T[] posWeight, LaneWidth width, long firstElement = 0)
        where T : IFloatingPointIeee754<T>
    {
        var d = new T[logits.Length];
        _ = op switch
        {
            Op.Loss => Dispatch.Apply<LossOperator, T>(labels, logits, posWeight, firstElement, d, Scale.One, width),
            Op.LogitsGradient => Dispatch.Apply<LogitsGradientOperator, T>(labels, logits, posWeight, firstElement, d, Scale.One, width),
            Op.LabelsGradient => Dispatch.Apply<LabelsGradientOperator, T>(labels, logits, posWeight, firstElement, d, Scale.One, width),
            _ => Dispatch.Apply<PosWeightGradientOperator, T>(labels, logits, posWeight, firstElement, d, Scale.One, width),
        };
        return d;
    }

    /// <summary>The fused loop at one lane width: returns the raw (double) sum of the losses, writes ∂/∂x ÷ divisor.</summary>
    public static double FusedLanes<T>(T[] labels, T[] logits, T[] posWeight, T[] gradient, double divisor, LaneWidth width)
        where T : IFloatingPointIeee754<T> =>
        Dispatch.Apply<LossAndLogitsGradientOperator, T>(labels, logits, posWeight, 0, gradient, Scale.Reciprocal(divisor), width);

    /// <summary>The magnitude whose ULP is the unit of error for <paramref name="op"/> (shared/reference/README.md):
    /// the larger of two terms that can cancel, else 0 (the result's own ULP).</summary>
    public static double TermMagnitude(Op op, double x, double z, double q) => op switch
    {
        Op.Loss => TermMagnitudes.Loss(x, z, q),
        Op.LogitsGradient => TermMagnitudes.Dx(x, z, q),
        Op.LabelsGradient => TermMagnitudes.Dz(x, q),
        _ => 0,
    };

    /// <summary>Error of <paramref name="actual"/> against <paramref name="reference"/> in the README's ULP; NaN
    /// matches any NaN, other non-finite values must be equal.</summary>
    public static double UlpError(Op op, double x, double z, double q, double actual, double reference, bool isFloat32)
    {
        if (double.IsNaN(reference) || double.IsNaN(actual))
        {
            return double.IsNaN(reference) && double.IsNaN(actual) ? 0 : double.PositiveInfinity;
        }

        double magnitude = TermMagnitude(op, x, z, q);
        return Ulp.Error(actual, reference, double.IsNaN(magnitude) ? 0 : magnitude, isFloat32);
    }
}
