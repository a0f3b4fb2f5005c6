namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>
/// Outputs compared with inputs and with each other as files, not path strings (links in folders and names, and
/// <c>..</c> after a link); a replaced output keeps its permissions.
/// </summary>
public sealed class OutputSafetyTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly byte[] logits = NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0.5, -1, 2, 0, 3, -4));
    private readonly byte[] labels = NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 1, 0, 1, 0, 0, 1));

    public OutputSafetyTests()
    {
        File.WriteAllBytes(folder["z.npy"], labels);
        File.WriteAllBytes(folder["x.npy"], logits);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void An_output_reaching_an_input_through_a_linked_folder_is_refused()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need a privilege on Windows");
        Directory.CreateSymbolicLink(folder["alias"], ".");

        var result = Loss("--out", folder["alias/x.npy"]);

        AssertRefused(result, folder["alias/x.npy"], "--out names the same file as an input");
        Assert.Equal(logits, File.ReadAllBytes(folder["x.npy"]));
    }

    [Fact]
    public void An_output_that_is_a_link_to_an_input_is_refused()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need a privilege on Windows");
        File.CreateSymbolicLink(folder["link.npy"], "x.npy");

        var result = Loss("--out", folder["link.npy"]);

        AssertRefused(result, folder["link.npy"], "--out names the same file as an input");
        Assert.Equal(logits, File.ReadAllBytes(folder["x.npy"]));
    }

    [Fact]
    public void Dot_dot_after_a_linked_folder_goes_to_the_parent_of_its_target()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need a privilege on Windows");
        // c -> a/b, so c/../x.npy is a/x.npy for the file system (not x.npy, as a string would say).
        Directory.CreateDirectory(folder["a/b"]);
        Directory.CreateSymbolicLink(folder["c"], "a/b");
        File.WriteAllBytes(folder["a/x.npy"], logits);

        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["a/x.npy"], "--out", folder["c/../x.npy"]);

        AssertRefused(result, folder["c/../x.npy"], "--out names the same file as an input");
        Assert.Equal(logits, File.ReadAllBytes(folder["a/x.npy"]));
    }

    [Fact]
    public void The_gradient_and_the_loss_in_one_file_through_a_linked_folder_are_refused()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "symbolic links need a privilege on Windows");
        Directory.CreateSymbolicLink(folder["alias"], ".");

        var result = Loss("--out", folder["o.npy"], "--grad", folder["alias/o.npy"]);

        AssertRefused(result, folder["alias/o.npy"], "--grad names the same file as an input or another output");
        Assert.False(File.Exists(folder["o.npy"]));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)]
    public void A_replaced_output_keeps_its_permissions(UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix permissions");
            return;
        }

        File.WriteAllText(folder["loss.npy"], "old");
        File.WriteAllText(folder["grad.csv"], "old");
        File.SetUnixFileMode(folder["loss.npy"], mode);
        File.SetUnixFileMode(folder["grad.csv"], mode);

        var result = Loss("--out", folder["loss.npy"], "--grad", folder["grad.csv"]);

        Assert.Equal(0, result.ExitCode);
        Assert.NotEqual("old", File.ReadAllText(folder["grad.csv"]));
        Assert.Equal(mode, File.GetUnixFileMode(folder["loss.npy"]));
        Assert.Equal(mode, File.GetUnixFileMode(folder["grad.csv"]));
        Assert.Equal(["grad.csv", "loss.npy", "x.npy", "z.npy"], folder.Snapshot().Keys);
    }

    private WceResult Loss(params string[] outputs) =>
        Wce.Run(["loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], .. outputs]);

    private static void AssertRefused(WceResult result, string subject, string message)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"wce: {subject}: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }
}
