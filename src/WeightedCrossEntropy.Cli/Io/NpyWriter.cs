using System.Buffers.Binary;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>Writes C-order little-endian float32 or float64 <c>.npy</c> files as NumPy does (version 1.0 unless the
/// header needs 2.0, data aligned to 64 bytes), a block at a time.</summary>
internal static class NpyWriter
{
    public static void Write(Stream destination, ReadOnlySpan<double> values, int[] shape) =>
        Write(destination, values, shape, "<f8", 8, static (b, v) => BinaryPrimitives.WriteDoubleLittleEndian(b, v));

    public static void Write(Stream destination, ReadOnlySpan<float> values, int[] shape) =>
        Write(destination, values, shape, "<f4", 4, static (b, v) => BinaryPrimitives.WriteSingleLittleEndian(b, v));

    private static void Write<T>(Stream destination, ReadOnlySpan<T> values, int[] shape, string descr, int size, SpanWriter<T> write)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (major, header) = NpyHeader.Format(descr, shape);
        int prefixLength = major == 1 ? 10 : 12;
        Span<byte> prefix = stackalloc byte[12];
        NpyReader.Magic.CopyTo(prefix);
        prefix[6] = major;
        prefix[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(prefix[8..], (uint)header.Length);
        }

        destination.Write(prefix[..prefixLength]);
        destination.Write(header);
        var block = new byte[System.Math.Min((long)values.Length * size, 1 << 16)];
        int perBlock = block.Length / size;
        for (int start = 0; start < values.Length; start += perBlock)
        {
            int n = System.Math.Min(perBlock, values.Length - start);
            for (int i = 0; i < n; i++)
            {
                write(block.AsSpan(i * size, size), values[start + i]);
            }

            destination.Write(block, 0, n * size);
        }
    }

    private delegate void SpanWriter<in T>(Span<byte> destination, T value);
}
