using System.Text;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>One line of a CSV file: its 1-based line number in the file and its fields, trimmed.</summary>
internal sealed record CsvRow(int Line, string[] Fields);

/// <summary>
/// The rows of a CSV file as text: fields separated by commas, optionally in double quotes (with <c>""</c> for a
/// quote), surrounding spaces trimmed, blank lines skipped, CRLF or LF line ends.
/// </summary>
internal static class CsvTable
{
    public static List<CsvRow> Read(string path) => Parse(InputFile.ReadAllText(path), path);

    public static List<CsvRow> Parse(string text, string path)
    {
        var rows = new List<CsvRow>();
        int line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            var content = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            rows.Add(new CsvRow(line, SplitFields(content, path, line)));
        }

        return rows;
    }

    private static string[] SplitFields(string line, string path, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new UserErrorException(path, $"line {lineNumber}: a quoted field is not closed");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                while (i < line.Length && line[i] is ' ' or '\t')
                {
                    i++;
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new UserErrorException(path, $"line {lineNumber}: text after a closing quote");
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i++]);
                }
            }

            fields.Add(field.ToString().Trim());
            field.Clear();
            if (i >= line.Length)
            {
                return [.. fields];
            }

            i++; // the comma
        }
    }
}
