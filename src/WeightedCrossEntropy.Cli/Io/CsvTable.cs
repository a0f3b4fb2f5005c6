namespace WeightedCrossEntropy.Cli.Io;

/// <summary>One line of a CSV file: its 1-based line number in the file and its fields, trimmed.</summary>
internal sealed record CsvRow(int Line, string[] Fields);

/// <summary>
/// The rows of a CSV file as text: fields separated by commas, optionally in double quotes (with <c>""</c> for a
/// quote), surrounding spaces trimmed, blank lines skipped, CRLF or LF line ends (<see cref="CsvReader"/>'s rules).
/// The file is read a block at a time; only the fields are kept.
/// </summary>
internal static class CsvTable
{
    public static List<CsvRow> Read(string path)
    {
        using var csv = CsvReader.Open(path);
        try
        {
            return ReadAll(csv);
        }
        catch (IOException e)
        {
            throw InputFile.CannotRead(path, e);
        }
    }

    public static List<CsvRow> Parse(string text, string path)
    {
        using var csv = new CsvReader(new StringReader(text), path);
        return ReadAll(csv);
    }

    /// <summary>Distinct field texts kept once each (labels, 0 and 1, repeated names), up to this many.</summary>
    private const int PoolLimit = 1 << 16;

    private static List<CsvRow> ReadAll(CsvReader csv)
    {
        var rows = new List<CsvRow>();
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        while (csv.Read())
        {
            var fields = new string[csv.FieldCount];
            for (int i = 0; i < fields.Length; i++)
            {
                var field = csv.Field(i);
                if (!lookup.TryGetValue(field, out var text))
                {
                    text = field.ToString();
                    if (pool.Count < PoolLimit)
                    {
                        pool.Add(text, text);
                    }
                }

                fields[i] = text;
            }

            rows.Add(new CsvRow(csv.Line, fields));
        }

        return rows;
    }
}
