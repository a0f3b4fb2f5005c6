namespace WeightedCrossEntropy.Cli.Io;

/// <summary>The array formats the tool reads and writes, chosen by the file's extension.</summary>
internal enum ArrayFormat
{
    Npy,
    Csv,
}

internal static class ArrayFile
{
    public static ArrayFormat FormatOf(string path)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".npy", StringComparison.OrdinalIgnoreCase))
        {
            return ArrayFormat.Npy;
        }

        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return ArrayFormat.Csv;
        }

        throw new UserErrorException(path, "unknown file type: the name must end in .npy or .csv");
    }

    public static bool HasArrayExtension(string path) =>
        Path.GetExtension(path).ToUpperInvariant() is ".NPY" or ".CSV";

    public static NdArray Read(string path) => FormatOf(path) switch
    {
        ArrayFormat.Npy => NpyReader.Read(path),
        _ => NumericCsv.Read(path),
    };

    /// <summary>Writes a float or double array in the format the path's extension names.</summary>
    public static void Write<T>(string path, Stream destination, ReadOnlySpan<T> values, int[] shape)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(shape);
        bool npy = FormatOf(path) == ArrayFormat.Npy;
        if (typeof(T) == typeof(float))
        {
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(values);
            if (npy)
            {
                NpyWriter.Write(destination, floats, shape);
            }
            else
            {
                NumericCsv.Write(destination, floats, shape, Numbers.Format);
            }
        }
        else if (typeof(T) == typeof(double))
        {
            var doubles = System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(values);
            if (npy)
            {
                NpyWriter.Write(destination, doubles, shape);
            }
            else
            {
                NumericCsv.Write(destination, doubles, shape, Numbers.Format);
            }
        }
        else
        {
            throw new NotSupportedException($"Only float and double arrays are written, not {typeof(T)}.");
        }
    }
}
