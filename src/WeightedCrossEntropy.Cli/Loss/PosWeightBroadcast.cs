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
        string Shapes() => $"pos_weight of shape {Io.NdArray.FormatShape(weightShape)} does not broadcast to the logits' shape {Io.NdArray.FormatShape(logitsShape)}";
        const string Hint = "pos_weight broadcasts right-aligned: per-class weights for (N, C) logits have shape (C,), for (N, C, H, W) logits (C, 1, 1)";
        if (weightShape.Length > rank)
        {
            throw new UserErrorException(subject, $"{Shapes()}: it has more dimensions than the logits; {Hint}");
        }

        var aligned = new int[rank];
        Array.Fill(aligned, 1);
        weightShape.CopyTo(aligned, rank - weightShape.Length);
        for (int axis = 0; axis < rank; axis++)
        {
            if (aligned[axis] != 1 && aligned[axis] != logitsShape[axis])
            {
                throw new UserErrorException(
                    subject, $"{Shapes()}: axis {axis - rank} has {aligned[axis]}, the logits {logitsShape[axis]}; {Hint}");
            }
        }

        if (weights.Length == 0 || logitsShape.Contains(0))
        {
            // Empty logits (pos_weight is empty only then): no element uses a weight, and none is expanded.
            return [1.0];
        }

        // The axes the cycle runs over: from the first that pos_weight varies along, without the logits' axes of
        // size 1 (they change no index). Each has at least 2 entries, so the odometer below moves its inner axis on
        // every step and carries into an outer one at most every other step: the cost is the cycle's length, not
        // length × rank.
        int first = 0;
        while (first < rank && aligned[first] == 1)
        {
            first++;
        }

        var sizes = new List<int>();
        var strides = new List<long>();
        long stride = 1;
        for (int axis = rank - 1; axis >= first; axis--)
        {
            if (logitsShape[axis] != 1)
            {
                sizes.Add(logitsShape[axis]);
                strides.Add(aligned[axis] == 1 ? 0 : stride);
            }

            stride = checked(stride * aligned[axis]);
        }

        long length = 1;
        foreach (var size in sizes)
        {
            length = checked(length * size);
        }

        // sizes[0] and strides[0] are the innermost axis.
        var cycle = new double[length];
        var index = new int[sizes.Count];
        long source = 0;
        for (long i = 0; i < length; i++)
        {
            cycle[i] = weights[source];
            for (int k = 0; k < sizes.Count; k++)
            {
                source += strides[k];
                if (++index[k] < sizes[k])
                {
                    break;
                }

                source -= strides[k] * sizes[k];
                index[k] = 0;
            }
        }

        return cycle;
    }
}
