using System.Globalization;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>
/// A C-order n-dimensional array as read from a file: its shape, the element type it was stored in, and its values
/// widened to double (exact for every supported type except int64 beyond 2^53).
/// </summary>
internal sealed class NdArray
{
    public NdArray(int[] shape, ElementType elementType, double[] values)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        if (ElementCount(shape) != values.Length)
        {
            throw new ArgumentException("The shape does not match the number of values.", nameof(values));
        }

        Shape = shape;
        ElementType = elementType;
        Values = values;
    }

    public int[] Shape { get; }

    public ElementType ElementType { get; }

    public double[] Values { get; }

    public int Rank => Shape.Length;

    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var n in shape)
        {
            count *= n;
        }

        return count;
    }

    /// <summary>A shape as Python writes a tuple: <c>()</c>, <c>(5,)</c>, <c>(3, 4)</c>.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape) => shape.Length switch
    {
        0 => "()",
        1 => string.Create(CultureInfo.InvariantCulture, $"({shape[0]},)"),
        _ => "(" + string.Join(", ", shape.ToArray().Select(n => n.ToString(CultureInfo.InvariantCulture))) + ")",
    };
}
