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

    /// <summary>The product of the dimensions.</summary>
    /// <exception cref="OverflowException">The product exceeds <see cref="long.MaxValue"/> (a shape that
    /// <see cref="CheckedElementCount"/> has accepted never does).</exception>
    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var n in shape)
        {
            count = checked(count * n);
        }

        return count;
    }

    /// <summary>
    /// The element count of a shape read from <paramref name="subject"/>, refused when the array could not be held:
    /// more than <see cref="Array.MaxLength"/> elements, or (as NumPy refuses it, even for an empty array) a product
    /// of the non-zero dimensions times <paramref name="elementSize"/> beyond 64 bits.
    /// </summary>
    /// <exception cref="UserErrorException">The message names the shape and the limit.</exception>
    public static long CheckedElementCount(ReadOnlySpan<int> shape, int elementSize, string subject)
    {
        long bytes = elementSize;
        bool empty = false;
        double approximate = 1;
        bool overflow = false;
        foreach (var n in shape)
        {
            approximate *= n;
            if (n == 0)
            {
                empty = true;
                continue;
            }

            overflow |= !TryMultiply(bytes, n, out bytes);
        }

        if (overflow)
        {
            throw new UserErrorException(
                subject, $"shape {FormatShape(shape)} is too large: its dimensions multiply to more than 2^63 bytes{(empty ? " (not counting the 0)" : string.Empty)}, which no array can have");
        }

        long count = empty ? 0 : bytes / elementSize;
        if (count > Array.MaxLength)
        {
            throw new UserErrorException(
                subject, string.Create(CultureInfo.InvariantCulture, $"shape {FormatShape(shape)} has {approximate:0.###e0} elements; at most {Array.MaxLength:N0} are supported"));
        }

        return count;
    }

    /// <summary>a·b for positive a and b, or false when it exceeds <see cref="long.MaxValue"/>.</summary>
    private static bool TryMultiply(long a, long b, out long product)
    {
        bool fits = a <= long.MaxValue / b;
        product = fits ? a * b : long.MaxValue;
        return fits;
    }

    /// <summary>A shape as Python writes a tuple: <c>()</c>, <c>(5,)</c>, <c>(3, 4)</c>.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape) => shape.Length switch
    {
        0 => "()",
        1 => string.Create(CultureInfo.InvariantCulture, $"({shape[0]},)"),
        _ => "(" + string.Join(", ", shape.ToArray().Select(n => n.ToString(CultureInfo.InvariantCulture))) + ")",
    };
}
