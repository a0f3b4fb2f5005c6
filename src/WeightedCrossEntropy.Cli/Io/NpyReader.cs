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

    public static NdArray Read(string path) => Parse(InputFile.ReadAllBytes(path), path);

    /// <param name="bytes">The whole file.</param>
    /// <param name="path">The file as the user named it, for messages.</param>
    public static NdArray Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < Magic.Length || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new UserErrorException(path, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
        }

        if (bytes.Length < 8)
        {
            throw new UserErrorException(path, "truncated header: the file ends inside the format version");
        }

        int major = bytes[6], minor = bytes[7];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw new UserErrorException(
                path, $"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");
        }

        int lengthSize = major == 1 ? 2 : 4;
        int headerStart = 8 + lengthSize;
        if (bytes.Length < headerStart)
        {
            throw new UserErrorException(path, "truncated header: the file ends inside the header length");
        }

        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (bytes.Length - headerStart < headerLength)
        {
            throw new UserErrorException(
                path, $"truncated header: it should be {headerLength} bytes, the file has {bytes.Length - headerStart} after the header length");
        }

        var headerBytes = bytes.Slice(headerStart, (int)headerLength);
        string header;
        try
        {
            header = major == 3
                ? new UTF8Encoding(false, true).GetString(headerBytes)
                : new ASCIIEncoding().GetString(headerBytes);
            if (major < 3 && headerBytes.ContainsAnyExceptInRange((byte)0, (byte)127))
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

        long count = NdArray.ElementCount(shape);
        if (count > Array.MaxLength)
        {
            throw new UserErrorException(path, $"too many elements: shape {NdArray.FormatShape(shape)}");
        }

        long dataLength = count * type.Size();
        var data = bytes[(headerStart + (int)headerLength)..];
        if (data.Length < dataLength)
        {
            throw new UserErrorException(
                path, $"truncated data: shape {NdArray.FormatShape(shape)} of {type.NumPyName()} needs {dataLength} bytes, the file has {data.Length}");
        }

        if (data.Length > dataLength)
        {
            throw new UserErrorException(
                path, $"bad data: {data.Length - dataLength} bytes after the {dataLength} that shape {NdArray.FormatShape(shape)} of {type.NumPyName()} needs");
        }

        return new NdArray(shape, type, Decode(data, type, bigEndian, (int)count));
    }

    private static double[] Decode(ReadOnlySpan<byte> data, ElementType type, bool bigEndian, int count)
    {
        var values = new double[count];
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

        return values;
    }
}
