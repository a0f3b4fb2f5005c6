using System.Globalization;
using System.Text;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>
/// Parses and writes the header dict of a <c>.npy</c> file, e.g.
/// <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (3, 4), }</c>: a small parser for exactly that Python
/// literal (strings, True/False, tuples of integers, a list for structured types), nothing is evaluated.
/// </summary>
internal static class NpyHeader
{
    /// <summary>The most dimensions a shape may have: NumPy's own limit (<c>NPY_MAXDIMS</c> since NumPy 2.0).</summary>
    public const int MaxRank = 64;

    public static (ElementType Type, bool BigEndian, bool FortranOrder, int[] Shape) Parse(string header, string path)
    {
        var reader = new Reader(header, path);
        var dict = reader.ReadDict();
        foreach (var key in dict.Keys)
        {
            if (key is not ("descr" or "fortran_order" or "shape"))
            {
                throw reader.Bad($"unexpected key {Quoted.Text(key)}");
            }
        }

        foreach (var key in new[] { "descr", "fortran_order", "shape" })
        {
            if (!dict.ContainsKey(key))
            {
                throw reader.Bad($"the key {Quoted.Text(key)} is missing");
            }
        }

        var (type, bigEndian) = dict["descr"] switch
        {
            string descr => ParseDescr(descr, path),
            List<object> => throw new UserErrorException(path, "structured dtypes (a list as descr) are not supported; save a plain float or integer array"),
            var other => throw reader.Bad($"descr is {Describe(other)}, not a string"),
        };
        bool fortranOrder = dict["fortran_order"] is bool f ? f : throw reader.Bad("fortran_order is not True or False");
        var shape = dict["shape"] is int[] s ? s : throw reader.Bad("shape is not a tuple of integers");
        return (type, bigEndian, fortranOrder, shape);
    }

    /// <summary>The header NumPy writes, padded with spaces and a newline so that the data starts at a multiple of
    /// 64 bytes, with the format version it needs (1.0 unless it exceeds 65535 bytes).</summary>
    public static (byte Major, byte[] Header) Format(string descr, int[] shape)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {NdArray.FormatShape(shape)}, }}";
        foreach (byte major in new byte[] { 1, 2 })
        {
            int prefix = 8 + (major == 1 ? 2 : 4);
            int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
            int length = total - prefix;
            if (major == 2 || length <= ushort.MaxValue)
            {
                return (major, Encoding.ASCII.GetBytes(dict.PadRight(length - 1) + "\n"));
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    private static (ElementType, bool) ParseDescr(string descr, string path)
    {
        if (descr.Length < 2)
        {
            throw new UserErrorException(path, $"bad header: descr {Quoted.Text(descr)} is not a NumPy type string");
        }

        char order = descr[0];
        var code = descr[1..];
        if (code is "O" or "O8" or "O4")
        {
            throw new UserErrorException(path, "object arrays are not supported (reading them would mean unpickling); save a numeric array");
        }

        if (order is not ('<' or '>' or '|' or '='))
        {
            throw new UserErrorException(path, $"bad header: descr {Quoted.Text(descr)} has no byte order mark (<, >, | or =)");
        }

        ElementType? type = code switch
        {
            "f4" => ElementType.Float32,
            "f8" => ElementType.Float64,
            "b1" => ElementType.Bool,
            "u1" => ElementType.UInt8,
            "i4" => ElementType.Int32,
            "i8" => ElementType.Int64,
            _ => null,
        };
        if (type is null)
        {
            throw new UserErrorException(
                path, $"unsupported dtype {Quoted.Text(descr)} (supported: float32, float64; for labels also bool, uint8, int32, int64)");
        }

        if (order == '|' && type.Value.Size() > 1)
        {
            throw new UserErrorException(path, $"bad header: descr {Quoted.Text(descr)} has no byte order for a {type.Value.Size()}-byte type");
        }

        // '=' is the writer's native order; every platform .NET runs this tool on is little-endian.
        return (type.Value, order == '>');
    }

    private static string Describe(object? value) => value switch
    {
        null => "missing",
        int[] => "a tuple",
        bool => "a boolean",
        List<object> => "a list",
        _ => "something else",
    };

    private sealed class Reader(string text, string path)
    {
        private int position;

        public UserErrorException Bad(string what) => new(path, $"bad header: {what} in {Quote(text)}");

        public Dictionary<string, object> ReadDict()
        {
            SkipSpace();
            Expect('{');
            var dict = new Dictionary<string, object>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (TryConsume('}'))
                {
                    break;
                }

                var key = ReadString();
                SkipSpace();
                Expect(':');
                if (!dict.TryAdd(key, ReadValue()))
                {
                    throw Bad($"the key {Quoted.Text(key)} appears twice");
                }

                SkipSpace();
                if (TryConsume('}'))
                {
                    break;
                }

                Expect(',');
            }

            SkipSpace();
            if (position != text.Length)
            {
                throw Bad("text after the closing brace");
            }

            return dict;
        }

        private object ReadValue()
        {
            SkipSpace();
            if (position >= text.Length)
            {
                throw Bad("the header ends early");
            }

            char c = text[position];
            if (c is '\'' or '"')
            {
                return ReadString();
            }

            if (c == '(')
            {
                return ReadTuple();
            }

            if (c == '[')
            {
                return ReadList();
            }

            if (Consume("True"))
            {
                return true;
            }

            if (Consume("False"))
            {
                return false;
            }

            throw Bad($"unexpected {Quoted.Text(c.ToString())}");
        }

        private List<object> ReadList()
        {
            Expect('[');
            var items = new List<object>();
            int depth = 1;

            // A structured descr: its content is not needed, only that it is one.
            while (depth > 0)
            {
                if (position >= text.Length)
                {
                    throw Bad("the header ends inside a list");
                }

                char c = text[position++];
                depth += c switch { '[' => 1, ']' => -1, _ => 0 };
            }

            return items;
        }

        private int[] ReadTuple()
        {
            Expect('(');
            var items = new List<int>();
            while (true)
            {
                SkipSpace();
                if (TryConsume(')'))
                {
                    break;
                }

                int start = position;
                while (position < text.Length && char.IsAsciiDigit(text[position]))
                {
                    position++;
                }

                if (position == start)
                {
                    throw Bad("a shape entry is not a non-negative integer");
                }

                if (!int.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                {
                    throw Bad("a dimension is too large");
                }

                // Python 2 wrote longs as 3L.
                TryConsume('L');
                if (items.Count == MaxRank)
                {
                    throw new UserErrorException(path, $"the shape has more than {MaxRank} dimensions (NumPy's limit); it is not an array NumPy could save");
                }

                items.Add(n);
                SkipSpace();
                if (TryConsume(')'))
                {
                    break;
                }

                Expect(',');
            }

            return [.. items];
        }

        private string ReadString()
        {
            if (position >= text.Length || text[position] is not ('\'' or '"'))
            {
                throw Bad("expected a quoted string");
            }

            char quote = text[position++];
            int start = position;
            while (position < text.Length && text[position] != quote)
            {
                if (text[position] == '\\')
                {
                    throw Bad("escapes in strings are not supported");
                }

                position++;
            }

            if (position >= text.Length)
            {
                throw Bad("a string is not closed");
            }

            return text[start..position++];
        }

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        private bool TryConsume(char c)
        {
            if (position < text.Length && text[position] == c)
            {
                position++;
                return true;
            }

            return false;
        }

        private bool Consume(string word)
        {
            if (string.CompareOrdinal(text, position, word, 0, word.Length) == 0)
            {
                position += word.Length;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Bad(position < text.Length ? $"expected '{c}' at {Quoted.Text(text[position].ToString())}" : $"expected '{c}' at the end");
            }
        }

        /// <summary>The header dict is only useful whole: a longer cut than for a single value.</summary>
        private static string Quote(string s) => Quoted.Text(s.TrimEnd(), 2 * Quoted.DefaultLength);
    }
}
