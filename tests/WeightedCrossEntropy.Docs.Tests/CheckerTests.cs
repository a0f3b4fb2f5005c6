namespace WeightedCrossEntropy.Docs.Tests;

/// <summary>The checks themselves catch a broken block: a wrong comment, code that does not compile, a shown
/// output that differs.</summary>
public sealed class CheckerTests
{
    [Fact]
    public void A_prints_comment_that_differs_from_the_output_is_caught()
    {
        var snippet = new Snippet("""
            using WeightedCrossEntropy;
            float[] loss = new float[1];
            Nn.WeightedCrossEntropyWithLogits<float>([0f], [0f], [1f], loss);
            Console.WriteLine(loss[0] == MathF.Log(2) ? "ln 2" : "other"); // prints ln 2
            Console.WriteLine(1 + 1); // prints 3
            """, "broken");

        var (results, output) = snippet.Run();

        Assert.Equal(2, results.Count);
        Assert.True(results[0].Matches, results[0].Actual);
        Assert.False(results[1].Matches);
        Assert.Equal("2", results[1].Actual);
        Assert.Equal("ln 2\n2\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Output_is_attributed_to_the_statement_over_all_its_lines_and_loops()
    {
        var snippet = new Snippet("""
            Console.Write("a");
            Console.WriteLine(
                "b"); // prints b
            for (int i = 0; i < 2; i++) { Console.WriteLine(i); } // prints 0
            """, "loop");

        var (results, _) = snippet.Run();

        Assert.Equal("b", results[0].Actual);
        Assert.Equal("0\n1", results[1].Actual);
        Assert.False(results[1].Matches);
    }

    [Fact]
    public void A_block_that_does_not_compile_or_warns_is_caught()
    {
        var missingUsing = new Snippet("Console.WriteLine(Nn.MaxDegreeOfParallelism);", "no using");
        var warning = new Snippet("string? s = null; Console.WriteLine(s.Length);", "nullable warning");

        var e1 = Assert.Throws<SnippetException>(() => missingUsing.Compile());
        var e2 = Assert.Throws<SnippetException>(() => warning.Compile());

        Assert.Contains("CS0103", e1.Message, StringComparison.Ordinal);
        Assert.Contains("CS8602", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_that_throws_is_caught()
    {
        var snippet = new Snippet("""
            using WeightedCrossEntropy;
            Nn.WeightedCrossEntropyWithLogits<float>([1f, 0f], [0f], [1f], new float[1]);
            """, "throws");

        var e = Assert.Throws<SnippetException>(() => snippet.Run());

        Assert.Contains("ArgumentException", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shown_run_that_differs_from_the_output_is_caught()
    {
        var document = new MarkdownFile("""
            <!-- wce-docs-files -->
            ```sh
            $ cat > z.csv <<'EOF'
            1,0
            EOF
            $ cat > x.csv <<'EOF'
            0,0
            EOF
            ```

            <!-- wce-docs: loss --labels z.csv --logits x.csv --reduction sum --out s.npy -->
            ```console
            $ wce loss --labels z.csv --logits x.csv --reduction sum --out s.npy
            1.3862943611198906
            ```

            <!-- wce-docs: loss --labels z.csv --logits nope.csv --out s.npy -->
            ```console
            $ wce loss --labels z.csv --logits nope.csv --out s.npy
            wce: nope.csv: file not found
            ```
            """);

        var mismatches = Transcript.Replay(document);

        // Two elements of loss ln 2 (x = 0): the sum 2·ln 2 = 1.3862943611198906 in double, so the first shown run is
        // right; the second lacks its exit code.
        var mismatch = Assert.Single(mismatches);
        Assert.Equal(18, mismatch.Block.OpeningLine);
        Assert.Equal("(exit code 2)", mismatch.Expected[^1]);
    }

    [Theory]
    [InlineData("loss --labels z.csv", new[] { "loss", "--labels", "z.csv" })]
    [InlineData("train --data 'my data.csv' --label-column \"a \\\"b\\\"\"", new[] { "train", "--data", "my data.csv", "--label-column", "a \"b\"" })]
    [InlineData("loss  --pos-weight 3,1\\ 2", new[] { "loss", "--pos-weight", "3,1 2" })]
    public void Command_lines_split_as_a_shell_splits_them(string line, string[] expected)
    {
        Assert.Equal(expected, Wce.SplitArguments(line));
    }
}
