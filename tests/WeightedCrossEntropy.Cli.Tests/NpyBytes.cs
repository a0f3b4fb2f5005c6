using System.Buffers.Binary;
using System.Text;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>
/// .npy files written byte by byte, following NumPy's format description (magic, version, header length, a dict
/// padded with spaces to a multiple of 64 bytes and ended by a newline, then the data), independently of the tool's
/// own writer, so that its reader is never checked against itself.
/// </summary>
public static class NpyBytes
{
    public static byte[] File(string descr, string shape, byte[] data, byte major = 1, string fortranOrder = "False") =>
        WithHeader($"{{'descr': '{descr}', 'fortran_order': {fortranOrder}, 'shape': {shape}, }}", data, major);

    public static byte[] WithHeader(string dict, byte[] data, byte major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        var headerText = Encoding.UTF8.GetBytes(dict);
        int padded = (prefix + headerText.Length + 1 + 63) / 64 * 64 - prefix;
        var header = new byte[padded];
        Array.Fill(header, (byte)' ');
        headerText.CopyTo(header, 0);
        header[^1] = (byte)'\n';
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        if (major == 1)
        {
            bytes.Add((byte)(padded & 0xFF));
            bytes.Add((byte)(padded >> 8));
        }
        else
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)padded);
            bytes.AddRange(length);
        }

        bytes.AddRange(header);
        bytes.AddRange(data);
        return [.. bytes];
    }

    public static byte[] Doubles(bool bigEndian, params double[] values) => Encode(values, 8, (b, v) =>
    {
        if (bigEndian) { BinaryPrimitives.WriteDoubleBigEndian(b, v); } else { BinaryPrimitives.WriteDoubleLittleEndian(b, v); }
    });

    public static byte[] Singles(bool bigEndian, params float[] values) => Encode(values, 4, (b, v) =>
    {
        if (bigEndian) { BinaryPrimitives.WriteSingleBigEndian(b, v); } else { BinaryPrimitives.WriteSingleLittleEndian(b, v); }
    });

    public static byte[] Ints(bool bigEndian, params int[] values) => Encode(values, 4, (b, v) =>
    {
        if (bigEndian) { BinaryPrimitives.WriteInt32BigEndian(b, v); } else { BinaryPrimitives.WriteInt32LittleEndian(b, v); }
    });

    public static byte[] Longs(bool bigEndian, params long[] values) => Encode(values, 8, (b, v) =>
    {
        if (bigEndian) { BinaryPrimitives.WriteInt64BigEndian(b, v); } else { BinaryPrimitives.WriteInt64LittleEndian(b, v); }
    });

    /// <summary>Little-endian float64 data of a file the tool wrote, after checking its header byte by byte.</summary>
    public static double[] ReadFloat64(byte[] file, string expectedDict) => Data(file, expectedDict, 8)
        .Chunk(8).Select(c => BinaryPrimitives.ReadDoubleLittleEndian(c)).ToArray();

    public static float[] ReadFloat32(byte[] file, string expectedDict) => Data(file, expectedDict, 4)
        .Chunk(4).Select(c => BinaryPrimitives.ReadSingleLittleEndian(c)).ToArray();

    private static byte[] Data(byte[] file, string expectedDict, int size)
    {
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, file[..8]);
        int length = file[8] | (file[9] << 8);
        Assert.Equal(0, (10 + length) % 64);
        var header = Encoding.ASCII.GetString(file, 10, length);
        Assert.Equal(expectedDict, header.TrimEnd(' ', '\n'));
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        var data = file[(10 + length)..];
        Assert.Equal(0, data.Length % size);
        return data;
    }

    private static byte[] Encode<T>(T[] values, int size, Action<Span<byte>, T> write)
    {
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            write(bytes.AsSpan(i * size, size), values[i]);
        }

        return bytes;
    }
}
