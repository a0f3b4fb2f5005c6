using System.Text;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>
/// Arrays in CSV: one row per line, numbers separated by commas; a first row that is not all numbers is a header
/// and is skipped. Read as float64 of shape (rows, columns).
/// </summary>
internal static class NumericCsv
{
    public static NdArray Read(string path)
    {
        var rows = CsvTable.Read(path);
        if (rows.Count > 0 && rows[0].Fields.Any(f => !Numbers.TryParse(f, out _)))
        {
            rows.RemoveAt(0);
        }

        if (rows.Count == 0)
        {
            throw new UserErrorException(path, "no data rows");
        }

        int columns = rows[0].Fields.Length;
        var values = new double[(long)rows.Count * columns];
        int k = 0;
        foreach (var row in rows)
        {
            if (row.Fields.Length != columns)
            {
                throw new UserErrorException(
                    path, $"line {row.Line} has {row.Fields.Length} fields, line {rows[0].Line} has {columns}");
            }

            for (int c = 0; c < columns; c++)
            {
                var field = row.Fields[c];
                if (!Numbers.TryParse(field, out values[k++]))
                {
                    throw new UserErrorException(
                        path, $"non-numeric cell '{field}' at line {row.Line}, column {c + 1}");
                }
            }
        }

        return new NdArray([rows.Count, columns], ElementType.Float64, values);
    }

    /// <summary>CSV text of an array of rank at most 2, as NumPy's savetxt lays it out: a 0-d array is one number, a
    /// 1-d array one number per line, a 2-d array one row per line.</summary>
    public static byte[] Encode<T>(ReadOnlySpan<T> values, int[] shape, Func<T, string> format)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(format);
        if (shape.Length > 2)
        {
            throw new ArgumentException("CSV holds at most 2 dimensions.", nameof(shape));
        }

        int columns = shape.Length == 2 ? shape[1] : 1;
        var text = new StringBuilder();
        for (int i = 0; i < values.Length; i++)
        {
            text.Append(format(values[i]));
            text.Append((i + 1) % columns == 0 ? '\n' : ',');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
