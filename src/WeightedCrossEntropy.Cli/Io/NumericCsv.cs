using System.Text;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>
/// Arrays in CSV: one row per line, numbers separated by commas; a first row that is not all numbers is a header
/// and is skipped. Read as float64 of shape (rows, columns).
/// </summary>
internal static class NumericCsv
{
    /// <summary>Reads the file a line at a time, parsing numbers as it goes: what it holds is the numbers (in blocks
    /// while the row count is unknown, then one array) and the current line.</summary>
    public static NdArray Read(string path)
    {
        using var csv = CsvReader.Open(path);
        try
        {
            return Read(csv, path);
        }
        catch (IOException e)
        {
            throw InputFile.CannotRead(path, e);
        }
    }

    private static NdArray Read(CsvReader csv, string path)
    {
        if (!csv.Read())
        {
            throw new UserErrorException(path, "no data rows");
        }

        bool header = false;
        for (int c = 0; c < csv.FieldCount && !header; c++)
        {
            header = !Numbers.TryParse(csv.Field(c), out _);
        }

        if (header && !csv.Read())
        {
            throw new UserErrorException(path, "no data rows");
        }

        int columns = csv.FieldCount;
        int firstLine = csv.Line;
        var values = new BlockList();
        int rows = 0;
        do
        {
            if (csv.FieldCount != columns)
            {
                throw new UserErrorException(path, $"line {csv.Line} has {csv.FieldCount} fields, line {firstLine} has {columns}");
            }

            if ((long)(rows + 1) * columns > Array.MaxLength)
            {
                throw new UserErrorException(path, $"more than {Array.MaxLength:N0} numbers; split the file");
            }

            for (int c = 0; c < columns; c++)
            {
                if (!Numbers.TryParse(csv.Field(c), out double value))
                {
                    throw new UserErrorException(
                        path, $"non-numeric cell {Quoted.Text(csv.Field(c).ToString())} at line {csv.Line}, column {c + 1}");
                }

                values.Add(value);
            }

            rows++;
        }
        while (csv.Read());

        return new NdArray([rows, columns], ElementType.Float64, values.ToArray());
    }

    /// <summary>Writes CSV text of an array of rank at most 2, as NumPy's savetxt lays it out: a 0-d array is one
    /// number, a 1-d array one number per line, a 2-d array one row per line.</summary>
    public static void Write<T>(Stream destination, ReadOnlySpan<T> values, int[] shape, Func<T, string> format)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(format);
        if (shape.Length > 2)
        {
            throw new ArgumentException("CSV holds at most 2 dimensions.", nameof(shape));
        }

        int columns = shape.Length == 2 ? shape[1] : 1;
        using var text = new StreamWriter(destination, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
        for (int i = 0; i < values.Length; i++)
        {
            text.Write(format(values[i]));
            text.Write((i + 1) % columns == 0 ? '\n' : ',');
        }
    }

    /// <summary>Doubles appended in blocks of a fixed size, so that growing never copies what is there.</summary>
    private sealed class BlockList
    {
        private const int BlockSize = 1 << 16;
        private readonly List<double[]> blocks = [];
        private int used = BlockSize;

        public long Count => ((long)(blocks.Count - 1) * BlockSize) + used;

        public void Add(double value)
        {
            if (used == BlockSize)
            {
                blocks.Add(new double[BlockSize]);
                used = 0;
            }

            blocks[^1][used++] = value;
        }

        public double[] ToArray()
        {
            var result = new double[blocks.Count == 0 ? 0 : Count];
            for (int b = 0; b < blocks.Count; b++)
            {
                int length = b == blocks.Count - 1 ? used : BlockSize;
                blocks[b].AsSpan(0, length).CopyTo(result.AsSpan(b * BlockSize));
            }

            return result;
        }
    }
}
