using System.Buffers.Binary;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>Writes C-order little-endian float32 or float64 <c>.npy</c> files as NumPy does (version 1.0 unless the
/// header needs 2.0, data aligned to 64 bytes).</summary>
internal static class NpyWriter
{
    public static byte[] Encode(ReadOnlySpan<double> values, int[] shape) => Encode(values, shape, "<f8", 8, static (b, v) => BinaryPrimitives.WriteDoubleLittleEndian(b, v));

    public static byte[] Encode(ReadOnlySpan<float> values, int[] shape) => Encode(values, shape, "<f4", 4, static (b, v) => BinaryPrimitives.WriteSingleLittleEndian(b, v));

    private static byte[] Encode<T>(ReadOnlySpan<T> values, int[] shape, string descr, int size, SpanWriter<T> write)
    {
        var (major, header) = NpyHeader.Format(descr, shape);
        int prefix = major == 1 ? 10 : 12;
        var bytes = new byte[prefix + header.Length + ((long)values.Length * size)];
        NpyReader.Magic.CopyTo(bytes);
        bytes[6] = major;
        bytes[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)header.Length);
        }

        header.CopyTo(bytes, prefix);
        var data = bytes.AsSpan(prefix + header.Length);
        for (int i = 0; i < values.Length; i++)
        {
            write(data.Slice(i * size, size), values[i]);
        }

        return bytes;
    }

    private delegate void SpanWriter<in T>(Span<byte> destination, T value);
}
