namespace WeightedCrossEntropy.Cli.Io;

/// <summary>
/// Reads CSV one row at a time from a text reader, holding only the current line: fields separated by commas,
/// optionally in double quotes (with <c>""</c> for a quote), surrounding white space trimmed, blank lines skipped,
/// CRLF or LF line ends. The fields of the current row are spans into one buffer, valid until the next row.
/// </summary>
internal sealed class CsvReader : IDisposable
{
    private readonly TextReader reader;
    private readonly string path;
    private readonly char[] block = new char[1 << 16];
    private readonly List<(int Start, int Length)> fields = [];
    private int blockStart;
    private int blockEnd;
    private char[] line = new char[256];
    private int lineLength;
    private bool atEnd;

    public CsvReader(TextReader reader, string path)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(path);
        this.reader = reader;
        this.path = path;
    }

    /// <summary>The 1-based line number of the current row in the file.</summary>
    public int Line { get; private set; }

    public int FieldCount => fields.Count;

    public static CsvReader Open(string path) => new(InputFile.OpenText(path), path);

    /// <summary>Field <paramref name="index"/> of the current row, unquoted and trimmed.</summary>
    public ReadOnlySpan<char> Field(int index) => line.AsSpan(fields[index].Start, fields[index].Length);

    /// <summary>The fields of the current row as strings.</summary>
    public string[] Fields()
    {
        var result = new string[fields.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Field(i).ToString();
        }

        return result;
    }

    /// <summary>Moves to the next row that is not blank.</summary>
    /// <returns>False at the end of the file.</returns>
    /// <exception cref="UserErrorException">A quoted field is not closed, or text follows a closing quote.</exception>
    public bool Read()
    {
        while (ReadLine())
        {
            if (!line.AsSpan(0, lineLength).IsWhiteSpace())
            {
                Split();
                return true;
            }
        }

        fields.Clear();
        return false;
    }

    public void Dispose() => reader.Dispose();

    /// <summary>The next line, without its LF and a CR before it, into <see cref="line"/>.</summary>
    private bool ReadLine()
    {
        lineLength = 0;
        if (atEnd)
        {
            return false;
        }

        Line++;
        while (true)
        {
            if (blockStart == blockEnd)
            {
                blockStart = 0;
                blockEnd = reader.Read(block, 0, block.Length);
                if (blockEnd == 0)
                {
                    atEnd = true;
                    break;
                }
            }

            var available = block.AsSpan(blockStart, blockEnd - blockStart);
            int newline = available.IndexOf('\n');
            var piece = newline >= 0 ? available[..newline] : available;
            Append(piece);
            blockStart += piece.Length;
            if (newline >= 0)
            {
                blockStart++;
                break;
            }
        }

        if (lineLength > 0 && line[lineLength - 1] == '\r')
        {
            lineLength--;
        }

        return true;
    }

    private void Append(ReadOnlySpan<char> piece)
    {
        if (lineLength + piece.Length > line.Length)
        {
            long wanted = System.Math.Max((long)line.Length * 2, (long)lineLength + piece.Length);
            if (wanted > Array.MaxLength)
            {
                throw new UserErrorException(path, $"line {Line} is longer than {Array.MaxLength:N0} characters");
            }

            Array.Resize(ref line, (int)wanted);
        }

        piece.CopyTo(line.AsSpan(lineLength));
        lineLength += piece.Length;
    }

    /// <summary>Splits the current line into fields in place: a quoted field is unescaped into the space it held,
    /// which is never shorter.</summary>
    private void Split()
    {
        fields.Clear();
        int i = 0;
        while (true)
        {
            while (i < lineLength && line[i] is ' ' or '\t')
            {
                i++;
            }

            int start = i, end;
            if (i < lineLength && line[i] == '"')
            {
                i++;
                int write = start;
                while (true)
                {
                    if (i >= lineLength)
                    {
                        throw new UserErrorException(path, $"line {Line}: a quoted field is not closed");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < lineLength && line[i + 1] == '"')
                        {
                            line[write++] = '"';
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    line[write++] = line[i++];
                }

                end = write;
                while (i < lineLength && line[i] is ' ' or '\t')
                {
                    i++;
                }

                if (i < lineLength && line[i] != ',')
                {
                    throw new UserErrorException(path, $"line {Line}: text after a closing quote");
                }
            }
            else
            {
                while (i < lineLength && line[i] != ',')
                {
                    i++;
                }

                end = i;
            }

            var field = line.AsSpan(start, end - start);
            int lead = field.Length - field.TrimStart().Length;
            fields.Add((start + lead, field.Trim().Length));
            if (i >= lineLength)
            {
                return;
            }

            i++; // the comma
        }
    }
}
