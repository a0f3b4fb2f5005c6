using System.Diagnostics;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>
/// Inputs that are not regular files (a device, a FIFO), and text from files or names that would print control
/// characters or endless lines to the terminal: refused in one clean line, quickly.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly TempFolder folder = new();

    public HostileFileTests()
    {
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0.5, -1, 2, 0, 3, -4)));
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void An_input_linked_to_dev_zero_is_refused_without_reading_it()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs /dev/zero");
        File.CreateSymbolicLink(folder["z.npy"], "/dev/zero");
        File.CreateSymbolicLink(folder["d.csv"], "/dev/zero");

        var npy = Loss(folder["z.npy"]);
        var csv = Loss(folder["d.csv"]);
        var train = Bounded.Run(Limit, "train", "--data", folder["d.csv"]);

        AssertOneCleanLine(npy, folder["z.npy"], "is not a regular file");
        AssertOneCleanLine(csv, folder["d.csv"], "is not a regular file");
        AssertOneCleanLine(train, folder["d.csv"], "is not a regular file");
    }

    [Fact]
    public void A_fifo_with_no_writer_is_refused_instead_of_waiting()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs mkfifo");
        using (var mkfifo = Process.Start("mkfifo", folder["z.npy"]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        AssertOneCleanLine(Loss(folder["z.npy"]), folder["z.npy"], "is not a regular file");
    }

    [Fact]
    public void A_header_descr_with_an_escape_sequence_and_a_newline_is_echoed_escaped_on_one_line()
    {
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File("<f8\u001b[31mX\n", "(2, 3)", new byte[48]));

        var result = Loss(folder["z.npy"]);

        AssertOneCleanLine(result, folder["z.npy"], @"unsupported dtype '<f8\x1b[31mX\n'");
    }

    [Fact]
    public void A_bad_header_is_quoted_escaped_and_cut()
    {
        var dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), \u009b2J\u202e" + new string('A', 500) + "}";
        File.WriteAllBytes(folder["z.npy"], NpyBytes.WithHeader(dict, new byte[48], major: 3));

        var result = Loss(folder["z.npy"]);

        AssertOneCleanLine(result, folder["z.npy"], @"(2, 3), \x9b2J\u202eAAA");
        Assert.DoesNotContain(new string('A', 121), result.Error, StringComparison.Ordinal);
        Assert.Contains("...\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_cell_with_control_characters_is_echoed_escaped()
    {
        File.WriteAllText(folder["z.csv"], "1,0,1\n0,\u001b]0;owned\u0007,1\n");

        var result = Loss(folder["z.csv"]);

        AssertOneCleanLine(result, folder["z.csv"], @"non-numeric cell '\x1b]0;owned\x07' at line 2, column 2");
    }

    [Fact]
    public void A_long_csv_cell_is_cut_to_60_characters()
    {
        File.WriteAllText(folder["z.csv"], "1,0,1\n0," + new string('x', 10_000) + ",1\n");

        var result = Loss(folder["z.csv"]);

        AssertOneCleanLine(result, folder["z.csv"], $"non-numeric cell '{new string('x', 60)}...' at line 2, column 2");
    }

    [Fact]
    public void Training_data_with_control_characters_in_a_cell_and_a_column_name_is_echoed_escaped()
    {
        File.WriteAllText(folder["d.csv"], "f1,f\u001b[8m2,label\n1,2,a\n3,\u001b[2J,b\n");

        var result = Bounded.Run(Limit, "train", "--data", folder["d.csv"]);

        AssertOneCleanLine(result, folder["d.csv"], @"non-numeric cell '\x1b[2J' at line 3, column 2 (feature 'f\x1b[8m2')");
    }

    [Fact]
    public void A_file_name_with_a_newline_is_named_on_one_line()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows file names cannot hold a newline");
        var name = folder["bad\nname\u001b[1m.npy"];

        var result = Loss(name);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal($"wce: {folder["bad"]}\\nname\\x1b[1m.npy: file not found", line);
    }

    [Fact]
    public void An_argument_starting_with_at_is_not_read_as_a_response_file()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs /dev/zero");

        var result = Bounded.Run(Limit, "@/dev/zero");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("'@/dev/zero'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_with_a_nul_character_is_not_found()
    {
        AssertOneCleanLine(Loss(folder["x.npy"] + "\0.npy"), folder["x.npy"] + @"\x00.npy", "file not found");

        var output = Bounded.Run(Limit, "loss", "--labels", folder["x.npy"], "--logits", folder["x.npy"], "--out", folder["o\0.npy"]);
        AssertOneCleanLine(output, folder["o"] + @"\x00.npy", "a file name cannot hold a NUL character");
    }

    private WceResult Loss(string labels) =>
        Bounded.Run(Limit, "loss", "--labels", labels, "--logits", folder["x.npy"], "--out", folder["loss.npy"]);

    private void AssertOneCleanLine(WceResult result, string subject, string message)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        Assert.EndsWith("\n", result.Error, StringComparison.Ordinal);
        var line = result.Error[..^1];
        Assert.DoesNotContain(line, Bounded.IsUnsafe);
        Assert.StartsWith($"wce: {subject}: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.False(File.Exists(folder["loss.npy"]));
    }
}
