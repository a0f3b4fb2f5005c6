namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>
/// Shapes read from .npy headers whose element counts overflow, exceed what an array can hold, or are empty with
/// huge other dimensions: refused with the file and its shape named, or (when empty) computed without expanding
/// anything.
/// </summary>
public sealed class ShapeLimitTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_shape_whose_element_count_wraps_to_zero_is_refused()
    {
        // 65536^4 = 2^64, which wraps to 0 in 64-bit arithmetic: a file with no data would pass as empty.
        Write("z.npy", "<f8", "(65536, 65536, 65536, 65536)");
        Write("x.npy", "<f8", "(65536, 65536, 65536, 65536)");

        var result = Loss("z.npy", "x.npy", "1");

        AssertRefused(result, "z.npy", "shape (65536, 65536, 65536, 65536) is too large");
    }

    [Fact]
    public void A_shape_of_2_to_the_92_elements_with_a_per_class_pos_weight_is_refused()
    {
        Write("z.npy", "<f8", "(4, 1073741824, 1073741824, 1073741824)");
        Write("x.npy", "<f8", "(4, 1073741824, 1073741824, 1073741824)");
        Write("q.npy", "<f8", "(4, 1, 1, 1)", NpyBytes.Doubles(false, 1, 2, 3, 4));

        var result = Loss("z.npy", "x.npy", folder["q.npy"]);

        AssertRefused(result, "z.npy", "shape (4, 1073741824, 1073741824, 1073741824) is too large");
    }

    [Fact]
    public void A_shape_beyond_the_largest_array_names_the_count_and_the_limit()
    {
        // 3 × 2^30 elements fit in 64 bits but not in one .NET array.
        Write("z.npy", "<f8", "(3, 1073741824)");
        Write("x.npy", "<f8", "(3, 1073741824)");

        var result = Loss("z.npy", "x.npy", "1");

        AssertRefused(result, "z.npy", "shape (3, 1073741824) has 3.221e9 elements; at most 2,147,483,591 are supported");
    }

    [Theory]
    [InlineData("(0, 2, 2147483647)")]
    [InlineData("(0, 2, 1000000000)")]
    public void An_empty_array_with_huge_dimensions_and_a_broadcast_pos_weight_is_computed_without_expanding_anything(string shape)
    {
        Write("z.npy", "<f8", shape);
        Write("x.npy", "<f8", shape);
        Write("q.npy", "<f8", "(2, 1)", NpyBytes.Doubles(false, 2, 3));

        var result = Bounded.Run(Limit, out long allocated, "loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"],
            "--pos-weight", folder["q.npy"], "--out", folder["loss.npy"], "--grad", folder["grad.npy"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        string dict = $"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}";
        Assert.Empty(NpyBytes.ReadFloat64(File.ReadAllBytes(folder["loss.npy"]), dict));
        Assert.Empty(NpyBytes.ReadFloat64(File.ReadAllBytes(folder["grad.npy"]), dict));

        // Nothing proportional to the 2·10^9 weights the broadcast would expand to (16 GB as doubles).
        Assert.InRange(allocated, 0, 64L << 20);
    }

    [Fact]
    public void A_shape_with_more_than_64_dimensions_is_refused_and_64_are_read()
    {
        Write("z65.npy", "<f8", Ones(65), NpyBytes.Doubles(false, 1));
        Write("z64.npy", "<f8", Ones(64), NpyBytes.Doubles(false, 1));
        Write("x64.npy", "<f8", Ones(64), NpyBytes.Doubles(false, 0));

        AssertRefused(Loss("z65.npy", "x64.npy", "1"), "z65.npy", "the shape has more than 64 dimensions");

        var read = Loss("z64.npy", "x64.npy", "1");
        Assert.Equal(0, read.ExitCode);
        var loss = NpyBytes.ReadFloat64(File.ReadAllBytes(folder["loss.npy"]), $"{{'descr': '<f8', 'fortran_order': False, 'shape': {Ones(64)}, }}");
        Assert.Equal(System.Math.Log(2), Assert.Single(loss), 1e-15);
    }

    [Fact]
    public void A_rank_60000_header_is_refused_at_once()
    {
        // Its header (about 180 KB) is beyond the header limit as well as the rank limit.
        Write("z.npy", "<f8", Ones(60_000), NpyBytes.Doubles(false, 1), major: 2);
        Write("x.npy", "<f8", "(1,)", NpyBytes.Doubles(false, 0));

        var result = Loss("z.npy", "x.npy", "1");

        AssertRefused(result, "z.npy", "at most 65,536 are read");
    }

    [Fact]
    public void A_header_longer_than_64_KiB_is_refused_though_it_is_valid()
    {
        // A valid dict padded with spaces to 100,000 bytes (format 2.0): NumPy itself refuses such headers.
        var dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }".PadRight(100_000 - 1);
        File.WriteAllBytes(folder["z.npy"], NpyBytes.WithHeader(dict, NpyBytes.Doubles(false, 1), major: 2));
        Write("x.npy", "<f8", "(1,)", NpyBytes.Doubles(false, 0));

        var result = Loss("z.npy", "x.npy", "1");

        AssertRefused(result, "z.npy", "the header is 100,");
        Assert.Contains("at most 65,536 are read", result.Error, StringComparison.Ordinal);
    }

    private static string Ones(int rank) => "(" + string.Join(", ", Enumerable.Repeat("1", rank)) + (rank == 1 ? ",)" : ")");

    private void Write(string name, string descr, string shape, byte[]? data = null, byte major = 1) =>
        File.WriteAllBytes(folder[name], NpyBytes.File(descr, shape, data ?? [], major));

    private WceResult Loss(string labels, string logits, string posWeight) =>
        Bounded.Run(Limit, "loss", "--labels", folder[labels], "--logits", folder[logits], "--pos-weight", posWeight,
            "--out", folder["loss.npy"], "--grad", folder["grad.npy"]);

    private void AssertRefused(WceResult result, string file, string message)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"wce: {folder[file]}: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.False(File.Exists(folder["loss.npy"]));
        Assert.False(File.Exists(folder["grad.npy"]));
    }
}
