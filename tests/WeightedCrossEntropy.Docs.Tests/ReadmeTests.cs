using System.Text.RegularExpressions;

namespace WeightedCrossEntropy.Docs.Tests;

/// <summary>README.md's C# blocks compile as pasted into a fresh console app, run, and print what their
/// <c>// prints</c> comments say.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string ReadmePath = DocFiles.Of("README.md");

    public static TheoryData<int> CSharpBlocks()
    {
        var data = new TheoryData<int>();
        var count = MarkdownFile.Read(ReadmePath).Blocks.Count(b => b.Info == "csharp");
        for (int i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void A_csharp_block_compiles_runs_and_prints_what_its_comments_say(int index)
    {
        var readme = MarkdownFile.Read(ReadmePath);
        var block = readme.Blocks.Where(b => b.Info == "csharp").ElementAt(index);
        var snippet = new Snippet(block.Text + "\n", $"README.md block from line {block.FirstLine}");
        var (results, _) = snippet.Run();

        var wrong = results.Where(r => !r.Matches).ToList();
        if (wrong.Count > 0 && DocFiles.Update)
        {
            var lines = new Dictionary<int, string>();
            foreach (var r in wrong)
            {
                Assert.DoesNotContain('\n', r.Actual);
                int number = block.FirstLine + r.Comment.CommentLine - 1;
                var line = readme.Line(number);
                lines[number] = line[..line.IndexOf("// prints ", StringComparison.Ordinal)] + "// prints " + r.Actual;
            }

            DocFiles.Write(ReadmePath, readme.WithLines(lines));
            return;
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong.Select(r =>
            $"README.md:{block.FirstLine + r.Comment.CommentLine - 1}: the comment says it prints\n    {r.Comment.Expected}\n  but it prints\n    {r.Actual}")));
    }

    [Fact]
    public void The_first_csharp_block_is_a_whole_program_with_its_usings()
    {
        // CI pastes exactly this block into a fresh `dotnet new console` app with the package added.
        var first = MarkdownFile.Read(ReadmePath).Blocks.First(b => b.Info == "csharp");
        Assert.Contains("using WeightedCrossEntropy;", first.Lines);
        Assert.Contains("using System.Numerics.Tensors;", first.Lines);
        Assert.NotEmpty(new Snippet(first.Text + "\n", "README.md first block").Comments);
    }

    [Fact]
    public void The_readme_has_at_most_250_lines()
    {
        var lines = File.ReadAllText(ReadmePath).TrimEnd('\n').Split('\n');
        Assert.True(lines.Length <= 250, $"README.md has {lines.Length} lines; the depth belongs in docs/");
    }

    [Fact]
    public void Every_relative_link_of_the_docs_points_to_a_file()
    {
        var missing = new List<string>();
        foreach (var document in new[] { "README.md" }.Concat(Directory.GetFiles(DocFiles.Of("docs"), "*.md").Select(p => Path.Combine("docs", Path.GetFileName(p)))))
        {
            var folder = Path.GetDirectoryName(DocFiles.Of(document))!;
            foreach (Match link in Link().Matches(File.ReadAllText(DocFiles.Of(document))))
            {
                var target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                if (!File.Exists(Path.Combine(folder, target)) && !Directory.Exists(Path.Combine(folder, target)))
                {
                    missing.Add($"{document}: {target}");
                }
            }
        }

        Assert.True(missing.Count == 0, "links to nothing:\n" + string.Join('\n', missing));
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();
}
