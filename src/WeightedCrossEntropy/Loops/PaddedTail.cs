using System.Numerics;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// The last, partial step of a loop as padded copies of one whole step: beyond the remaining elements the logit is
/// −∞, the label 0 and the weight 0, whose loss and gradients are exactly 0, so the padding adds nothing to a sum.
/// </summary>
internal static class PaddedTail
{
    /// <summary>Splits <paramref name="block"/> into four quarters (logits, labels, weights, results), each
    /// <paramref name="width"/> long, and fills the first three from the remaining elements; labels come from
    /// <paramref name="byteLabels"/> where it is not empty.</summary>
    public static void Fill<TE>(
        Span<TE> block, int width, ReadOnlySpan<TE> logits, ReadOnlySpan<TE> labels, ReadOnlySpan<byte> byteLabels,
        ReadOnlySpan<TE> weights, out Span<TE> x, out Span<TE> z, out Span<TE> q, out Span<TE> destination)
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        int quarter = block.Length / 4;
        x = block[..width];
        z = block.Slice(quarter, width);
        q = block.Slice(2 * quarter, width);
        destination = block.Slice(3 * quarter, width);
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
