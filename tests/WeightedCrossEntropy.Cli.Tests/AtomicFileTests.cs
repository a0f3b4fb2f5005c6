using System.Text;
using WeightedCrossEntropy.Cli.Io;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>Several outputs change together or not at all.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void When_a_later_move_fails_the_earlier_outputs_are_put_back()
    {
        // The third target is a folder holding a file: the new file cannot be renamed over it, after the first two
        // (one replacing a file, one new) have been moved into place.
        File.WriteAllText(folder["a.csv"], "old a");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder["a.csv"], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Directory.CreateDirectory(folder["c.csv"]);
        File.WriteAllText(folder["c.csv/inside"], "x");

        var error = Assert.Throws<UserErrorException>(() => AtomicFile.WriteAll(
        [
            Output("a.csv", "new a"),
            Output("b.csv", "new b"),
            Output("c.csv", "new c"),
        ]));

        Assert.Equal(folder["c.csv"], error.Subject);
        Assert.StartsWith("cannot write the file: ", error.Message, StringComparison.Ordinal);
        Assert.Equal("old a", File.ReadAllText(folder["a.csv"]));
        Assert.False(File.Exists(folder["b.csv"]));
        Assert.Equal(["a.csv"], folder.Snapshot().Keys);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder["a.csv"]));
        }
    }

    [Fact]
    public void When_a_content_fails_to_be_written_nothing_changes()
    {
        File.WriteAllText(folder["a.csv"], "old a");

        Assert.Throws<UserErrorException>(() => AtomicFile.WriteAll(
        [
            Output("a.csv", "new a"),
            new AtomicFile.Output(folder["b.csv"], _ => throw new IOException("disk full")),
        ]));

        Assert.Equal("old a", File.ReadAllText(folder["a.csv"]));
        Assert.Equal(["a.csv"], folder.Snapshot().Keys);
    }

    [Fact]
    public void On_success_every_output_is_in_place_and_no_backup_is_left()
    {
        File.WriteAllText(folder["a.csv"], "old a");

        AtomicFile.WriteAll([Output("a.csv", "new a"), Output("b.csv", "new b")]);

        Assert.Equal("new a", File.ReadAllText(folder["a.csv"]));
        Assert.Equal("new b", File.ReadAllText(folder["b.csv"]));
        Assert.Equal(["a.csv", "b.csv"], folder.Snapshot().Keys);
    }

    private AtomicFile.Output Output(string name, string text) =>
        new(folder[name], stream => stream.Write(Encoding.UTF8.GetBytes(text)));
}
