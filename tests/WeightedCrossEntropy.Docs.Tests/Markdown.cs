using System.Text;
using System.Text.RegularExpressions;

namespace WeightedCrossEntropy.Docs.Tests;

/// <summary>A fenced code block of a Markdown file.</summary>
/// <param name="Info">The info string after the opening fence (<c>csharp</c>, <c>console</c>, empty).</param>
/// <param name="OpeningLine">The opening fence's line, 1-based.</param>
/// <param name="Lines">The block's content, line by line, without the fences.</param>
/// <param name="Marker">The name of a <c>&lt;!-- wce-docs...: ... --&gt;</c> comment on the last non-empty line
/// before the fence (<c>wce-docs</c>, <c>wce-docs-files</c>), or null.</param>
/// <param name="MarkerText">What the marker comment holds after its colon, trimmed (the arguments of
/// <c>wce-docs</c>).</param>
internal sealed record FencedBlock(string Info, int OpeningLine, IReadOnlyList<string> Lines, string? Marker, string MarkerText)
{
    /// <summary>The content's first line, 1-based.</summary>
    public int FirstLine => OpeningLine + 1;

    public string Text => string.Join('\n', Lines);
}

/// <summary>Just enough Markdown: fenced code blocks (``` or ~~~ at the start of a line) and the marker comments
/// before them. Line endings are normalized to \n.</summary>
internal sealed partial class MarkdownFile
{
    private readonly List<string> lines;

    public MarkdownFile(string text)
    {
        lines = [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')];
        Blocks = Parse(lines);
    }

    public IReadOnlyList<FencedBlock> Blocks { get; }

    public static MarkdownFile Read(string path) => new(File.ReadAllText(path));

    /// <summary>The file with the content of each given block replaced (fences and everything else kept).</summary>
    public string WithBlocks(IReadOnlyDictionary<FencedBlock, IReadOnlyList<string>> replacements)
    {
        var result = new List<string>(lines);
        foreach (var (block, content) in replacements.OrderByDescending(p => p.Key.OpeningLine))
        {
            result.RemoveRange(block.FirstLine - 1, block.Lines.Count);
            result.InsertRange(block.FirstLine - 1, content);
        }

        return string.Join('\n', result);
    }

    /// <summary>The file with some lines replaced, by their 1-based numbers.</summary>
    public string WithLines(IReadOnlyDictionary<int, string> replacements)
    {
        var result = new List<string>(lines);
        foreach (var (number, line) in replacements)
        {
            result[number - 1] = line;
        }

        return string.Join('\n', result);
    }

    public string Line(int number) => lines[number - 1];

    private static List<FencedBlock> Parse(List<string> lines)
    {
        var blocks = new List<FencedBlock>();
        for (int i = 0; i < lines.Count; i++)
        {
            var opening = Fence().Match(lines[i]);
            if (!opening.Success)
            {
                continue;
            }

            string fence = opening.Groups["fence"].Value;
            int end = i + 1;
            while (end < lines.Count && !IsClosing(lines[end], fence))
            {
                end++;
            }

            if (end == lines.Count)
            {
                throw new FormatException($"line {i + 1}: the code block opened here is never closed");
            }

            string? marker = null;
            string markerText = string.Empty;
            int before = i - 1;
            while (before >= 0 && lines[before].Trim().Length == 0)
            {
                before--;
            }

            if (before >= 0 && MarkerComment().Match(lines[before]) is { Success: true } m)
            {
                marker = m.Groups["name"].Value;
                markerText = m.Groups["text"].Value.Trim();
            }

            blocks.Add(new FencedBlock(opening.Groups["info"].Value.Trim(), i + 1, lines.GetRange(i + 1, end - i - 1), marker, markerText));
            i = end;
        }

        return blocks;
    }

    private static bool IsClosing(string line, string fence)
    {
        var trimmed = line.TrimEnd();
        return trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.Trim(fence[0]).Length == 0;
    }

    [GeneratedRegex(@"^(?<fence>```+|~~~+)(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^<!--\s*(?<name>wce-docs[a-z-]*)\s*(:(?<text>.*?))?\s*-->\s*$")]
    private static partial Regex MarkerComment();
}

/// <summary>Where the repository's documents are, and whether to rewrite them.</summary>
internal static class DocFiles
{
    /// <summary>With WCE_UPDATE_DOCS=1 the tests rewrite what the documents show instead of failing on it.</summary>
    public static bool Update => Environment.GetEnvironmentVariable("WCE_UPDATE_DOCS") == "1";

    /// <summary>The repository's root folder (the one with WeightedCrossEntropy.slnx).</summary>
    public static string Root => Path.GetFullPath(Path.Combine(Testing.RepoFiles.Data(), ".."));

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    public static void Write(string path, string text) => File.WriteAllText(path, text, new UTF8Encoding(false));
}
