using System.Buffers.Binary;
using System.Text;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>
/// Reads NumPy <c>.npy</c> files, format versions 1.0, 2.0 and 3.0: C order, little- or big-endian float32 and
/// float64, and bool, uint8, int32 and int64. Object arrays are refused, never unpickled.
/// </summary>
/// <remarks>The format: the magic <c>\x93NUMPY</c>, a major and a minor version byte, the header's length (uint16
/// little-endian in 1.0, uint32 in 2.0 and 3.0), the header (a Python dict literal with the keys <c>descr</c>,
/// <c>fortran_order</c> and <c>shape</c>, ASCII in 1.0 and 2.0, UTF-8 in 3.0, ending in a newline), then the data.
/// </remarks>
internal static class NpyReader
{
    /// <summary>The byte 0x93, then "NUMPY" (not a u8 literal: "\x93" there would be U+0093 in UTF-8, two bytes).</summary>
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The largest header read, in bytes. NumPy writes headers of a few hundred bytes and refuses to read
    /// more than 10,000 unless told to; this is a little more generous, and keeps a hostile length field from making
    /// the tool read gigabytes before it finds the header bad.</summary>
    public const int MaxHeaderLength = 64 * 1024;

    public static NdArray Read(string path)
    {
        using var stream = InputFile.Open(path);
        try
        {
            return Read(stream, path);
        }
        catch (IOException e)
        {
            throw InputFile.CannotRead(path, e);
        }
    }

    /// <summary>Reads a file from <paramref name="stream"/>, whose length is known: the header first, whose shape
    /// says how many bytes of data must follow, then the data, decoded a block at a time (the file's bytes are never
    /// held whole).</summary>
    private static NdArray Read(Stream stream, string path)
    {
        long fileLength = stream.Length;
        Span<byte> prefix = stackalloc byte[12];
        int got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        var start = prefix[..got];
        if (start.Length < Magic.Length || !start[..Magic.Length].SequenceEqual(Magic))
        {
            throw new UserErrorException(path, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
        }

        if (start.Length < 8)
        {
            throw new UserErrorException(path, "truncated header: the file ends inside the format version");
        }

        int major = start[6], minor = start[7];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw new UserErrorException(
                path, $"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");
        }

        int lengthSize = major == 1 ? 2 : 4;
        int headerStart = 8 + lengthSize;
        if (start.Length < headerStart)
        {
            throw new UserErrorException(path, "truncated header: the file ends inside the header length");
        }

        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(start[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(start[8..]);
        if (headerLength > MaxHeaderLength)
        {
            throw new UserErrorException(
                path, $"the header is {headerLength:N0} bytes; at most {MaxHeaderLength:N0} are read (NumPy writes a few hundred)");
        }

        if (fileLength - headerStart < headerLength)
        {
            throw new UserErrorException(
                path, $"truncated header: it should be {headerLength} bytes, the file has {fileLength - headerStart} after the header length");
        }

        stream.Position = headerStart;
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        string header;
        try
        {
            header = major == 3
                ? new UTF8Encoding(false, true).GetString(headerBytes)
                : new ASCIIEncoding().GetString(headerBytes);
            if (major < 3 && headerBytes.AsSpan().ContainsAnyExceptInRange((byte)0, (byte)127))
            {
                throw new DecoderFallbackException();
            }
        }
        catch (DecoderFallbackException)
        {
            throw new UserErrorException(
                path, major == 3 ? "bad header: it is not valid UTF-8" : $"bad header: it is not ASCII (version {major}.0)");
        }

        var (type, bigEndian, fortranOrder, shape) = NpyHeader.Parse(header, path);
        if (fortranOrder && shape.Length > 1)
        {
            throw new UserErrorException(
                path, $"Fortran-order arrays are not supported (shape {NdArray.FormatShape(shape)}); save a C-order copy, e.g. np.save(f, np.ascontiguousarray(a))");
        }

        long count = NdArray.CheckedElementCount(shape, type.Size(), path);
        long dataLength = count * type.Size();
        long available = fileLength - headerStart - headerLength;
        if (available < dataLength)
        {
            throw new UserErrorException(
                path, $"truncated data: shape {NdArray.FormatShape(shape)} of {type.NumPyName()} needs {dataLength} bytes, the file has {available}");
        }

        if (available > dataLength)
        {
            throw new UserErrorException(
                path, $"bad data: {available - dataLength} bytes after the {dataLength} that shape {NdArray.FormatShape(shape)} of {type.NumPyName()} needs");
        }

        var values = new double[count];
        var block = new byte[System.Math.Min(dataLength, 1 << 16)];
        int size = type.Size();
        for (long done = 0; done < count;)
        {
            int n = (int)System.Math.Min(count - done, block.Length / size);
            var chunk = block.AsSpan(0, n * size);
            if (stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false) < chunk.Length)
            {
                throw new UserErrorException(path, "truncated data: the file became shorter while it was read");
            }

            Decode(chunk, type, bigEndian, values.AsSpan((int)done, n));
            done += n;
        }

        return new NdArray(shape, type, values);
    }

    private static void Decode(ReadOnlySpan<byte> data, ElementType type, bool bigEndian, Span<double> values)
    {
        int count = values.Length;
        int size = type.Size();
        for (int i = 0; i < count; i++)
        {
            var b = data.Slice(i * size, size);
            values[i] = type switch
            {
                ElementType.Float32 => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
                ElementType.Float64 => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b),
                ElementType.Int32 => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
                ElementType.Int64 => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
                ElementType.UInt8 => b[0],
                ElementType.Bool => b[0] != 0 ? 1.0 : 0.0,
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
            };
        }
    }
}
