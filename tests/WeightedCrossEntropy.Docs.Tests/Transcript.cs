using System.Globalization;
using System.Text.RegularExpressions;

namespace WeightedCrossEntropy.Docs.Tests;

/// <summary>A shown block that differs from what the tool prints now.</summary>
internal sealed record TranscriptMismatch(FencedBlock Block, IReadOnlyList<string> Expected)
{
    /// <summary>The first differing line, for the failure message.</summary>
    public string Describe(string document)
    {
        int i = 0;
        while (i < Block.Lines.Count && i < Expected.Count && Block.Lines[i] == Expected[i])
        {
            i++;
        }

        string shown = i < Block.Lines.Count ? Block.Lines[i] : "(end of block)";
        string now = i < Expected.Count ? Expected[i] : "(end of output)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{document}:{Block.FirstLine + i}: the block of '{Block.MarkerText}' shows\n    {shown}\n  but wce prints\n    {now}");
    }
}

/// <summary>
/// Replays the runs of wce a document shows, in order, in a fresh folder that holds a copy of the
/// repository's <c>data/</c> and an empty <c>docs/</c> (so commands read as they would from a clone's root). Marked
/// blocks (the HTML comment on the line before the fence):
/// <list type="bullet">
/// <item><c>&lt;!-- wce-docs-files --&gt;</c>: a block of <c>$ cat &gt; NAME &lt;&lt;'EOF'</c> ... <c>EOF</c>
/// here-documents; each writes NAME (an input of the commands after it).</item>
/// <item><c>&lt;!-- wce-docs: ARGS --&gt;</c>: <c>$ wce ARGS</c> and then what it prints, stdout then stderr, and
/// <c>(exit code N)</c> when N is not 0.</item>
/// <item><c>&lt;!-- wce-docs-show: NAME --&gt;</c>: <c>$ cat NAME</c> and the file's content (an output of a
/// command before it).</item>
/// </list>
/// The folder's path, where the tool prints it, reads <c>$PWD</c>.
/// </summary>
internal static partial class Transcript
{
    /// <summary>Runs the marked blocks of <paramref name="file"/>.</summary>
    /// <param name="keep">Called with the work folder before it is deleted (to copy regenerated plots).</param>
    /// <returns>The shown blocks that differ, with what they should show.</returns>
    public static List<TranscriptMismatch> Replay(MarkdownFile file, Action<string>? keep = null)
    {
        var mismatches = new List<TranscriptMismatch>();
        var blocks = file.Blocks.Where(b => b.Marker is not null).ToList();
        if (blocks.Count == 0)
        {
            return mismatches;
        }

        var work = Directory.CreateTempSubdirectory("wce-docs-").FullName;
        var previous = Directory.GetCurrentDirectory();
        try
        {
            Directory.CreateDirectory(Path.Combine(work, "data"));
            Directory.CreateDirectory(Path.Combine(work, "docs"));
            foreach (var csv in Directory.GetFiles(DocFiles.Of("data"), "*.csv"))
            {
                File.Copy(csv, Path.Combine(work, "data", Path.GetFileName(csv)));
            }

            Directory.SetCurrentDirectory(work);
            foreach (var block in blocks)
            {
                var expected = block.Marker switch
                {
                    "wce-docs-files" => WriteFiles(block),
                    "wce-docs" => RunWce(block.MarkerText, work),
                    "wce-docs-show" => Show(block.MarkerText),
                    _ => throw new FormatException($"line {block.OpeningLine}: unknown marker '{block.Marker}'"),
                };
                if (!expected.SequenceEqual(block.Lines, StringComparer.Ordinal))
                {
                    mismatches.Add(new TranscriptMismatch(block, expected));
                }
            }

            keep?.Invoke(work);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
            Directory.Delete(work, recursive: true);
        }

        return mismatches;
    }

    /// <summary>What <c>$ wce ARGS</c> shows.</summary>
    public static List<string> RunWce(string arguments, string work)
    {
        var result = Wce.Run(Wce.SplitArguments(arguments));
        var text = (result.Out + result.Error).Replace("\r\n", "\n", StringComparison.Ordinal).Replace(work, "$PWD", StringComparison.Ordinal);
        var lines = new List<string> { "$ wce " + arguments };
        if (text.Length > 0)
        {
            lines.AddRange(text.TrimEnd('\n').Split('\n'));
        }

        if (result.ExitCode != 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"(exit code {result.ExitCode})"));
        }

        return lines;
    }

    private static List<string> Show(string name)
    {
        var lines = new List<string> { "$ cat " + name };
        lines.AddRange(File.ReadAllText(name).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'));
        return lines;
    }

    /// <summary>Writes the here-documents of the block; returns the block as it is (it shows what it does).</summary>
    private static List<string> WriteFiles(FencedBlock block)
    {
        for (int i = 0; i < block.Lines.Count; i++)
        {
            var start = HereDocument().Match(block.Lines[i]);
            if (!start.Success)
            {
                throw new FormatException($"line {block.FirstLine + i}: expected \"$ cat > NAME <<'EOF'\" in a wce-docs-files block");
            }

            int end = i + 1;
            while (end < block.Lines.Count && block.Lines[end] != "EOF")
            {
                end++;
            }

            if (end == block.Lines.Count)
            {
                throw new FormatException($"line {block.FirstLine + i}: the here-document has no EOF line");
            }

            var content = string.Join('\n', block.Lines.Skip(i + 1).Take(end - i - 1)) + "\n";
            File.WriteAllText(start.Groups["name"].Value, content);
            i = end;
        }

        return [.. block.Lines];
    }

    [GeneratedRegex(@"^\$ cat > (?<name>[^ ]+) <<'EOF'$")]
    private static partial Regex HereDocument();
}
