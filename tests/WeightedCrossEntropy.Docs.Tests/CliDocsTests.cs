namespace WeightedCrossEntropy.Docs.Tests;

/// <summary>The terminal sessions docs/cli.md and README.md show are what wce prints now. With WCE_UPDATE_DOCS=1
/// the blocks (and the plots the sessions write under docs/) are rewritten instead; `git diff` shows the
/// change.</summary>
public sealed class CliDocsTests
{
    [Theory]
    [InlineData("docs/cli.md")]
    [InlineData("README.md")]
    public void The_shown_sessions_are_what_wce_prints(string document)
    {
        var path = DocFiles.Of(document.Split('/'));
        var file = MarkdownFile.Read(path);
        var mismatches = Transcript.Replay(file, DocFiles.Update ? KeepPlots : null);
        if (mismatches.Count > 0 && DocFiles.Update)
        {
            DocFiles.Write(path, file.WithBlocks(mismatches.ToDictionary(m => m.Block, m => m.Expected)));
            return;
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Select(m => m.Describe(document))) +
            "\n(WCE_UPDATE_DOCS=1 dotnet test --project tests/WeightedCrossEntropy.Docs.Tests rewrites them)");
    }

    /// <summary>Copies the plots a session wrote under docs/ into the repository's docs/.</summary>
    private static void KeepPlots(string work)
    {
        foreach (var plot in Directory.GetFiles(Path.Combine(work, "docs")))
        {
            File.Copy(plot, DocFiles.Of("docs", Path.GetFileName(plot)), overwrite: true);
        }
    }
}
