using System.Globalization;
using System.Text;

namespace WeightedCrossEntropy.Cli;

/// <summary>
/// Text from a file or the command line, made safe to echo in a one-line error message: nothing in it can move the
/// cursor, change colours, start a second line or hide what follows, and a long value is cut short.
/// </summary>
internal static class Quoted
{
    /// <summary>The longest quoted value, in characters between the quotes, before it is cut and marked "...".</summary>
    public const int DefaultLength = 60;

    /// <summary>
    /// <paramref name="text"/> quoted as Python's <c>repr</c> writes a string: in single quotes, or in double quotes
    /// when it holds a single quote and no double quote; <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\\</c> and the
    /// quote escaped with a backslash; other control characters (C0, DEL, C1) as <c>\xhh</c>; invisible format
    /// characters (bidirectional overrides, zero-width characters, line and paragraph separators) and unpaired
    /// surrogates as <c>\uhhhh</c>. At most <paramref name="maxLength"/> characters between the quotes, then
    /// <c>...</c> when the text was cut (never inside an escape or a surrogate pair).
    /// </summary>
    public static string Text(string? text, int maxLength = DefaultLength)
    {
        text ??= string.Empty;
        char quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var result = new StringBuilder().Append(quote);
        Append(result, text, maxLength, quote);
        return result.Append(quote).ToString();
    }

    /// <summary>A whole message line with every control and format character escaped as <see cref="Text"/>
    /// escapes it; everything else (backslashes and quotes included) unchanged and the length uncut.</summary>
    public static string Line(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int i = 0;
        while (i < line.Length && !NeedsEscape(line, i))
        {
            i++;
        }

        if (i == line.Length)
        {
            return line;
        }

        var result = new StringBuilder(line, 0, i, line.Length + 16);
        Append(result, line[i..], int.MaxValue, quote: null);
        return result.ToString();
    }

    /// <param name="quote">The quote character to escape, with backslashes; null to leave both as they are.</param>
    private static void Append(StringBuilder result, string text, int maxLength, char? quote)
    {
        int written = 0;
        for (int i = 0; i < text.Length; i++)
        {
            string piece;
            char c = text[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                piece = text.Substring(i, 2);
            }
            else if (NeedsEscape(text, i))
            {
                piece = c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ when c <= '\u00FF' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                    _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                };
            }
            else if (quote is not null && (c == '\\' || c == quote))
            {
                piece = "\\" + c;
            }
            else
            {
                piece = c.ToString();
            }

            if (written + piece.Length > maxLength)
            {
                result.Append("...");
                return;
            }

            result.Append(piece);
            written += piece.Length;
            i += pair ? 1 : 0;
        }
    }

    private static bool NeedsEscape(string text, int i)
    {
        char c = text[i];
        if (char.IsControl(c))
        {
            return true;
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }
}
