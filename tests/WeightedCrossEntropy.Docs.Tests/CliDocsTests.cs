using System.Runtime.Intrinsics;

namespace WeightedCrossEntropy.Docs.Tests;

/// <summary>The runs of wce docs/cli.md and README.md show are what wce prints now. With WCE_UPDATE_DOCS=1
/// the blocks (and the plots the runs write under docs/) are rewritten instead; `git diff` shows the
/// change.</summary>
public sealed class CliDocsTests
{
    [Theory]
    [InlineData("docs/cli.md")]
    [InlineData("README.md")]
    public void The_shown_runs_are_what_wce_prints(string document)
    {
        // The float64 results of `wce loss` differ in their last digit between the 256/512-bit kernels (which the
        // documents show) and the 128-bit or scalar ones (DOTNET_EnableAVX2=0, DOTNET_EnableHWIntrinsic=0, Arm64).
        Assert.SkipUnless(
            Vector256.IsHardwareAccelerated,
            "the documents show the outputs of the 256- and 512-bit kernels, which this process does not run");
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

    /// <summary>Copies the plots a run wrote under docs/ into the repository's docs/.</summary>
    private static void KeepPlots(string work)
    {
        foreach (var plot in Directory.GetFiles(Path.Combine(work, "docs")))
        {
            File.Copy(plot, DocFiles.Of("docs", Path.GetFileName(plot)), overwrite: true);
        }
    }
}
