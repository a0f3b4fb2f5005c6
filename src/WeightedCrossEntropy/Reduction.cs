namespace WeightedCrossEntropy;

/// <summary>How a loss over many elements is reduced to what a training step minimizes.</summary>
public enum Reduction
{
    /// <summary>No reduction: one loss per element.</summary>
    None,

    /// <summary>The sum over all elements. Empty input sums to 0.</summary>
    Sum,

    /// <summary>The sum divided by the number of elements (PyTorch's <c>mean</c>, Keras' <c>sum_over_batch_size</c>).
    /// Empty input gives NaN (0/0), as TensorFlow's <c>reduce_mean</c> does.</summary>
    Mean,
}
