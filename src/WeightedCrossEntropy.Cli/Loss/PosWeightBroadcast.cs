namespace WeightedCrossEntropy.Cli.Loss;

/// <summary>
/// pos_weight broadcast right-aligned against the logits' shape, as TensorFlow, PyTorch and the library's tensor
/// overloads do, without enlarging the result: pos_weight may not have more dimensions than the logits, and each of
/// its dimensions, aligned from the right, is 1 or the logits' size.
/// </summary>
internal static class PosWeightBroadcast
{
    /// <summary>
    /// The weights of one cycle of the flat logits: the smallest block of trailing axes that pos_weight varies
    /// over, expanded. Element i of the flat logits uses <c>cycle[i % cycle.Length]</c>, which is the span API's
    /// rule for per-class weights, so one call to it computes the whole broadcast.
    /// </summary>
    /// <exception cref="UserErrorException">pos_weight does not broadcast; the message says why and how per-class
    /// weights are shaped.</exception>
    public static double[] Cycle(int[] weightShape, double[] weights, int[] logitsShape, string subject)
    {
        ArgumentNullException.ThrowIfNull(weightShape);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(logitsShape);
        int rank = logitsShape.Length;
        string shapes = $"pos_weight of shape {Io.NdArray.FormatShape(weightShape)} does not broadcast to the logits' shape {Io.NdArray.FormatShape(logitsShape)}";
        const string Hint = "pos_weight broadcasts right-aligned: per-class weights for (N, C) logits have shape (C,), for (N, C, H, W) logits (C, 1, 1)";
        if (weightShape.Length > rank)
        {
            throw new UserErrorException(subject, $"{shapes}: it has more dimensions than the logits; {Hint}");
        }

        var aligned = new int[rank];
        Array.Fill(aligned, 1);
        weightShape.CopyTo(aligned, rank - weightShape.Length);
        for (int axis = 0; axis < rank; axis++)
        {
            if (aligned[axis] != 1 && aligned[axis] != logitsShape[axis])
            {
                throw new UserErrorException(
                    subject, $"{shapes}: axis {axis - rank} has {aligned[axis]}, the logits {logitsShape[axis]}; {Hint}");
            }
        }

        if (weights.Length == 0)
        {
            // Only possible when the logits are empty too: any weight serves.
            return [1.0];
        }

        int first = 0;
        while (first < rank && aligned[first] == 1)
        {
            first++;
        }

        if (first == rank)
        {
            return [weights[0]];
        }

        // Strides of pos_weight over the trailing axes, 0 where it broadcasts.
        var strides = new long[rank];
        long stride = 1;
        for (int axis = rank - 1; axis >= first; axis--)
        {
            strides[axis] = aligned[axis] == 1 ? 0 : stride;
            stride *= aligned[axis];
        }

        long length = 1;
        for (int axis = first; axis < rank; axis++)
        {
            length *= logitsShape[axis];
        }

        var cycle = new double[length];
        var index = new int[rank];
        for (long i = 0; i < length; i++)
        {
            long source = 0;
            for (int axis = first; axis < rank; axis++)
            {
                source += index[axis] * strides[axis];
            }

            cycle[i] = weights[source];
            for (int axis = rank - 1; axis >= first; axis--)
            {
                if (++index[axis] < logitsShape[axis])
                {
                    break;
                }

                index[axis] = 0;
            }
        }

        return cycle;
    }
}
