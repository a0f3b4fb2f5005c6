namespace WeightedCrossEntropy;

/// <summary>How a loss over many elements is reduced to what a training step minimizes.</summary>
public enum Reduction
{
    /// <summary>No reduction: one loss per element.</summary>
    None,

    /// <summary>The sum over all elements. Empty input sums to 0.</summary>
    Sum,

    /// <summary>The sum divided by the number of elements (PyTorch's <c>mean</c>, Keras' <c>sum_over_batch_size</c>),
    /// also where sample weights are given: the weighted losses summed, divided by the element count, not by the sum
    /// of the weights. Empty input gives NaN (0/0), as TensorFlow's <c>reduce_mean</c> does.</summary>
    Mean,

    /// <summary>The sum of the weighted losses divided by the sum of the sample weights over all elements (each
    /// element's weight after broadcasting): the weighted average of the losses. Without sample weights it is
    /// <see cref="Mean"/>. A zero sum of weights (or empty input) gives NaN (0/0).</summary>
    WeightedMean,
}
