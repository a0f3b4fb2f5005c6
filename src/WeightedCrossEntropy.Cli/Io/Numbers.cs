using System.Globalization;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>Numbers in text, invariant culture, with NumPy's spellings of the special values (nan, inf, -inf).</summary>
internal static class Numbers
{
    public static bool TryParse(string text, out double value) => TryParse(text.AsSpan(), out value);

    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        if (text.Length is >= 3 and <= 9)
        {
            Span<char> upper = stackalloc char[text.Length];
            text.ToUpperInvariant(upper);
            switch (upper)
            {
                case "NAN" or "+NAN" or "-NAN":
                    value = double.NaN;
                    return true;
                case "INF" or "+INF" or "INFINITY" or "+INFINITY":
                    value = double.PositiveInfinity;
                    return true;
                case "-INF" or "-INFINITY":
                    value = double.NegativeInfinity;
                    return true;
                default:
                    break;
            }
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The shortest text that reads back to the same double.</summary>
    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>The shortest text that reads back to the same float.</summary>
    public static string Format(float value) => value switch
    {
        float.PositiveInfinity => "inf",
        float.NegativeInfinity => "-inf",
        _ when float.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
