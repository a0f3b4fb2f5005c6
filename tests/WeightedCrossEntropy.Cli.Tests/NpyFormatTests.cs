namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>Every supported dtype, byte order and format version, read through <c>wce loss</c>.</summary>
public sealed class NpyFormatTests : IDisposable
{
    // Labels 1, 0, 1, 0, 0, 1 in every label dtype; logits 0 everywhere, so with pos_weight 3 the gradient is
    // (1 − z)/2 − 3z/2: −1.5 where z = 1 and 0.5 where z = 0, exactly.
    private static readonly double[] Labels = [1, 0, 1, 0, 0, 1];
    private static readonly double[] ExpectedGradient = [-1.5, 0.5, -1.5, 0.5, 0.5, -1.5];
    private readonly TempFolder folder = new();

    public static TheoryData<string, byte> LabelDtypesAndVersions()
    {
        var data = new TheoryData<string, byte>();
        foreach (var descr in new[] { "<f4", ">f4", "<f8", ">f8", "|b1", "|u1", "<i4", ">i4", "<i8", ">i8" })
        {
            foreach (byte major in new byte[] { 1, 2, 3 })
            {
                data.Add(descr, major);
            }
        }

        return data;
    }

    public static TheoryData<string, byte> LogitDtypesAndVersions()
    {
        var data = new TheoryData<string, byte>();
        foreach (var descr in new[] { "<f4", ">f4", "<f8", ">f8" })
        {
            foreach (byte major in new byte[] { 1, 2, 3 })
            {
                data.Add(descr, major);
            }
        }

        return data;
    }

    public void Dispose() => folder.Dispose();

    [Theory]
    [MemberData(nameof(LabelDtypesAndVersions))]
    public void Labels_are_read_in_every_dtype_byte_order_and_version(string descr, byte major)
    {
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File(descr, "(2, 3)", Encode(descr, Labels), major));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0, 0, 0, 0, 0, 0)));

        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--pos-weight", "3",
            "--out", folder["loss.npy"], "--grad", folder["g.npy"]);

        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ExpectedGradient, NpyBytes.ReadFloat64(File.ReadAllBytes(folder["g.npy"]), "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"));
    }

    [Theory]
    [MemberData(nameof(LogitDtypesAndVersions))]
    public void Logits_are_read_in_every_float_dtype_byte_order_and_version_and_their_dtype_is_kept(string descr, byte major)
    {
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File("<f8", "(3, 2)", NpyBytes.Doubles(false, Labels)));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File(descr, "(3, 2)", Encode(descr, [0, 0, 0, 0, 0, 0]), major));

        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--pos-weight", "3",
            "--out", folder["loss.npy"], "--grad", folder["g.npy"]);

        Assert.Equal(0, result.ExitCode);
        var bytes = File.ReadAllBytes(folder["g.npy"]);
        if (descr[1] == 'f' && descr[2] == '4')
        {
            Assert.Equal(ExpectedGradient.Select(v => (float)v), NpyBytes.ReadFloat32(bytes, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"));
        }
        else
        {
            Assert.Equal(ExpectedGradient, NpyBytes.ReadFloat64(bytes, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }"));
        }
    }

    [Fact]
    public void A_header_as_python_2_and_old_numpy_wrote_it_is_read()
    {
        // Double quotes, keys in another order, no trailing comma, longs with L.
        File.WriteAllBytes(folder["z.npy"], NpyBytes.WithHeader("{\"shape\": (2L, 3L), \"fortran_order\": False, \"descr\": \"<f8\"}", NpyBytes.Doubles(false, Labels)));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0, 0, 0, 0, 0, 0)));

        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--pos-weight", "3",
            "--out", folder["loss.npy"], "--grad", folder["g.npy"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ExpectedGradient, NpyBytes.ReadFloat64(File.ReadAllBytes(folder["g.npy"]), "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"));
    }

    [Fact]
    public void A_0_d_and_an_empty_array_are_read_and_written()
    {
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File("<f8", "()", NpyBytes.Doubles(false, 1)));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File("<f8", "()", NpyBytes.Doubles(false, 0)));
        File.WriteAllBytes(folder["ze.npy"], NpyBytes.File("<f8", "(0, 3)", []));
        File.WriteAllBytes(folder["xe.npy"], NpyBytes.File("<f4", "(0, 3)", []));

        var scalar = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--pos-weight", "5", "--out", folder["s.npy"], "--grad", folder["g.npy"]);
        var empty = Wce.Run("loss", "--labels", folder["ze.npy"], "--logits", folder["xe.npy"], "--pos-weight", "1,2,3", "--out", folder["e.npy"]);

        Assert.Equal(0, scalar.ExitCode);
        Assert.Equal([-2.5], NpyBytes.ReadFloat64(File.ReadAllBytes(folder["g.npy"]), "{'descr': '<f8', 'fortran_order': False, 'shape': (), }"));
        Assert.Equal(0, empty.ExitCode);
        Assert.Empty(NpyBytes.ReadFloat32(File.ReadAllBytes(folder["e.npy"]), "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }"));
    }

    private static byte[] Encode(string descr, double[] values)
    {
        bool big = descr[0] == '>';
        return descr[1..] switch
        {
            "f4" => NpyBytes.Singles(big, values.Select(v => (float)v).ToArray()),
            "f8" => NpyBytes.Doubles(big, values),
            "b1" or "u1" => values.Select(v => (byte)v).ToArray(),
            "i4" => NpyBytes.Ints(big, values.Select(v => (int)v).ToArray()),
            "i8" => NpyBytes.Longs(big, values.Select(v => (long)v).ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(descr)),
        };
    }
}
