using System.Numerics;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// The last, partial step of a loop as padded copies of one whole step: beyond the remaining elements the logit is
/// −∞, the label 0, the pos_weight 0 and the sample weight 0, whose loss and gradients are exactly 0, so the padding
/// adds nothing to a sum. One exception: with smoothed labels the padding's z' is ε/2 and its ∂/∂q = (ε/2)·sp(+∞) is
/// +∞ where no sample weight zeroes it, so ∂/∂q is never summed in the pass (<c>Summed&lt;PosWeightGradientOperator&gt;</c>)
/// with smoothing; the loss and ∂/∂x stay 0 there (q = 0).
/// </summary>
internal static class PaddedTail
{
    /// <summary>How many step-long parts a block holds: callers allocate <c>Parts × their widest step</c>.</summary>
    public const int Parts = 5;

    /// <summary>Splits <paramref name="block"/> into five parts (logits, labels, pos_weights, results, sample
    /// weights), each <paramref name="width"/> long, and fills all but the results from the remaining elements; labels
    /// come from <paramref name="byteLabels"/> where it is not empty; the sample weights are 0 beyond
    /// <paramref name="sampleWeights"/>.</summary>
    public static void Fill<TE>(
        Span<TE> block, int width, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> labels, ReadOnlySpan<byte> byteLabels,
        ReadOnlySpan<TE> weights, out Span<TE> x, out Span<TE> z, out Span<TE> q, out Span<TE> destination,
        ReadOnlySpan<TE> sampleWeights, out Span<TE> w)
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        int part = block.Length / Parts;
        x = block[..width];
        z = block.Slice(part, width);
        q = block.Slice(2 * part, width);
        destination = block.Slice(3 * part, width);
        w = block.Slice(4 * part, width);
        w.Clear();
        sampleWeights.CopyTo(w);
        x.Fill(TE.NegativeInfinity);
        z.Clear();
        q.Clear();
        logits.CopyTo(x);
        if (byteLabels.IsEmpty)
        {
            labels.CopyTo(z);
        }
        else
        {
            for (int t = 0; t < byteLabels.Length; t++)
            {
                z[t] = TE.CreateTruncating(byteLabels[t]);
            }
        }

        weights.CopyTo(q);
    }
}
