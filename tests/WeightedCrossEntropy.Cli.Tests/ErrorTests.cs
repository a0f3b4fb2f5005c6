using WeightedCrossEntropy.Testing;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>
/// Every user mistake: exit code 2, one line on stderr naming the file (or option) and what is wrong, no stack
/// trace, nothing written to stdout, and no output file created or changed.
/// </summary>
public sealed class ErrorTests : IDisposable
{
    private const string OldOutput = "previous output, must survive\n";
    private readonly TempFolder folder = new();

    public ErrorTests()
    {
        File.WriteAllBytes(folder["z.npy"], NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 1, 0, 1, 0, 0, 1)));
        File.WriteAllBytes(folder["x.npy"], NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0.5, -1, 2, 0, 3, -4)));
        File.WriteAllText(folder["existing.csv"], OldOutput);
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Shapes_that_differ_name_both_shapes()
    {
        Write("x32.npy", NpyBytes.File("<f8", "(3, 2)", NpyBytes.Doubles(false, 0, 0, 0, 0, 0, 0)));
        AssertLossFails("z.npy", "x32.npy", [], "z.npy", "the labels' shape (2, 3) differs from the logits' shape (3, 2)");
    }

    [Fact]
    public void A_pos_weight_list_that_does_not_broadcast_is_refused_with_the_right_aligned_rule()
    {
        AssertLossFails("z.npy", "x.npy", ["--pos-weight", "1,2"], "--pos-weight",
            "pos_weight of shape (2,) does not broadcast to the logits' shape (2, 3): axis -1 has 2, the logits 3; pos_weight broadcasts right-aligned");
    }

    [Fact]
    public void A_pos_weight_file_with_more_dimensions_than_the_logits_is_refused()
    {
        Write("q.npy", NpyBytes.File("<f8", "(1, 1, 3)", NpyBytes.Doubles(false, 1, 2, 3)));
        AssertLossFails("z.npy", "x.npy", ["--pos-weight", folder["q.npy"]], "q.npy",
            "pos_weight of shape (1, 1, 3) does not broadcast to the logits' shape (2, 3): it has more dimensions than the logits");
    }

    [Fact]
    public void A_pos_weight_that_is_not_a_number_is_refused()
    {
        AssertLossFails("z.npy", "x.npy", ["--pos-weight", "heavy"], "--pos-weight", "'heavy' is not a number");
    }

    [Theory]
    [InlineData("<f2", "unsupported dtype '<f2'")]
    [InlineData("<c16", "unsupported dtype '<c16'")]
    [InlineData("<U3", "unsupported dtype '<U3'")]
    [InlineData("|O", "object arrays are not supported (reading them would mean unpickling)")]
    public void Unsupported_dtypes_and_object_arrays_are_refused(string descr, string message)
    {
        Write("bad.npy", NpyBytes.File(descr, "(2, 3)", new byte[48]));
        AssertLossFails("bad.npy", "x.npy", [], "bad.npy", message);
    }

    [Fact]
    public void Integer_logits_are_refused()
    {
        Write("xi.npy", NpyBytes.File("<i4", "(2, 3)", NpyBytes.Ints(false, 0, 0, 0, 0, 0, 0)));
        AssertLossFails("z.npy", "xi.npy", [], "xi.npy", "logits must be float32 or float64, not int32");
    }

    [Fact]
    public void A_structured_dtype_is_refused()
    {
        Write("rec.npy", NpyBytes.WithHeader("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (6,), }", new byte[48]));
        AssertLossFails("rec.npy", "x.npy", [], "rec.npy", "structured dtypes");
    }

    [Fact]
    public void Fortran_order_is_refused()
    {
        Write("f.npy", NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0, 0, 0, 0, 0, 0), fortranOrder: "True"));
        AssertLossFails("z.npy", "f.npy", [], "f.npy", "Fortran-order arrays are not supported");
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False}", "bad header: the key 'shape' is missing")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}", "bad header: unexpected")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3), }", "bad header: a shape entry is not a non-negative integer")]
    [InlineData("{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 3), }", "bad header: unexpected '0'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), ", "bad header")]
    [InlineData("__import__('os').system('echo hi')", "bad header: expected '{'")]
    public void A_bad_header_is_refused(string header, string message)
    {
        Write("h.npy", NpyBytes.WithHeader(header, NpyBytes.Doubles(false, 0, 0, 0, 0, 0, 0)));
        AssertLossFails("z.npy", "h.npy", [], "h.npy", message);
    }

    [Fact]
    public void A_file_that_is_not_npy_is_refused()
    {
        Write("text.npy", "1,2,3\n"u8.ToArray());
        AssertLossFails("text.npy", "x.npy", [], "text.npy", "not a NumPy .npy file");
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        var bytes = NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0, 0, 0, 0, 0, 0));
        bytes[6] = 4;
        Write("v4.npy", bytes);
        AssertLossFails("z.npy", "v4.npy", [], "v4.npy", "unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)");
    }

    [Fact]
    public void A_truncated_header_is_refused()
    {
        var bytes = NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0, 0, 0, 0, 0, 0));
        Write("th.npy", bytes[..40]);
        AssertLossFails("z.npy", "th.npy", [], "th.npy", "truncated header: it should be 118 bytes, the file has 30");
    }

    [Fact]
    public void Truncated_data_is_refused()
    {
        var bytes = NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 0, 0, 0, 0, 0, 0));
        Write("td.npy", bytes[..^1]);
        AssertLossFails("z.npy", "td.npy", [], "td.npy", "truncated data: shape (2, 3) of float64 needs 48 bytes, the file has 47");
    }

    [Fact]
    public void A_non_numeric_csv_cell_names_its_line_and_column()
    {
        File.WriteAllText(folder["z.csv"], "a,b,c\n1,0,1\n0,x1,1\n");
        AssertLossFails("z.csv", "x.npy", [], "z.csv", "non-numeric cell 'x1' at line 3, column 2");
    }

    [Fact]
    public void A_ragged_csv_is_refused()
    {
        File.WriteAllText(folder["z.csv"], "1,0,1\n0,1\n");
        AssertLossFails("z.csv", "x.npy", [], "z.csv", "line 2 has 2 fields, line 1 has 3");
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        AssertLossFails("missing.npy", "x.npy", [], "missing.npy", "file not found");
    }

    [Fact]
    public void An_output_equal_to_an_input_is_refused_and_the_input_is_untouched()
    {
        var before = File.ReadAllBytes(folder["x.npy"]);
        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--out", folder["x.npy"]);

        AssertOneLine(result, folder["x.npy"], "--out names the same file as an input or another output");
        Assert.Equal(before, File.ReadAllBytes(folder["x.npy"]));
    }

    [Fact]
    public void A_gradient_path_equal_to_the_output_is_refused()
    {
        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--out", folder["existing.csv"], "--grad", folder["existing.csv"]);
        AssertOneLine(result, folder["existing.csv"], "--grad names the same file as an input or another output");
        Assert.Equal(OldOutput, File.ReadAllText(folder["existing.csv"]));
    }

    [Fact]
    public void An_output_of_unknown_type_is_refused()
    {
        var result = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--out", folder["loss.txt"]);
        AssertOneLine(result, folder["loss.txt"], "unknown file type: the name must end in .npy or .csv");
        Assert.False(File.Exists(folder["loss.txt"]));
    }

    [Fact]
    public void A_bad_command_line_exits_2_with_one_line()
    {
        var missing = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"]);
        var reduction = Wce.Run("loss", "--labels", folder["z.npy"], "--logits", folder["x.npy"], "--out", folder["o.npy"], "--reduction", "max");
        var unknown = Wce.Run("fit");

        foreach (var result in new[] { missing, reduction, unknown })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("wce: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        }

        Assert.Contains("--out", missing.Error, StringComparison.Ordinal);
        Assert.Contains("max", reduction.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder["o.npy"]));
    }

    [Fact]
    public void An_unknown_label_column_is_named_with_the_columns_there_are()
    {
        File.WriteAllText(folder["d.csv"], "f1,f2,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n");
        var byName = Wce.Run("train", "--data", folder["d.csv"], "--label-column", "target");
        var byIndex = Wce.Run("train", "--data", folder["d.csv"], "--label-column", "7");

        AssertOneLine(byName, folder["d.csv"], "no label column named 'target' (columns: f1, f2, label)");
        AssertOneLine(byIndex, folder["d.csv"], "no label column 7: the file has 3 columns");
    }

    [Fact]
    public void A_truncated_data_set_is_refused()
    {
        var lines = File.ReadAllLines(RepoFiles.Data("yeast.csv"));
        File.WriteAllLines(folder["yeast-cut.csv"], lines[..100]);
        var result = Wce.Run("train", "--data", folder["yeast-cut.csv"]);
        AssertOneLine(result, folder["yeast-cut.csv"], "the header (line 1) says 1484 samples, the file has 99 data rows");
    }

    [Fact]
    public void A_non_numeric_feature_names_its_line_and_column()
    {
        File.WriteAllText(folder["d.csv"], "f1,f2,label\n1,2,a\n3,?,b\n");
        var result = Wce.Run("train", "--data", folder["d.csv"]);
        AssertOneLine(result, folder["d.csv"], "non-numeric cell '?' at line 3, column 2 (feature 'f2')");
    }

    [Fact]
    public void Bad_training_options_are_refused_before_any_plot_is_written()
    {
        var data = RepoFiles.Data("yeast.csv");
        var weights = Wce.Run("sweep", "--data", data, "--pos-weights", "1,heavy", "--plot", folder["p.png"]);
        var perClass = Wce.Run("train", "--data", data, "--pos-weight", "1,2,3", "--epochs", "1");
        var plotType = Wce.Run("demo", "--plot", folder["p.jpg"]);
        var fraction = Wce.Run("train", "--data", data, "--test-fraction", "1");

        AssertOneLine(weights, "--pos-weights", "'heavy' is not none, auto, xN or positive numbers");
        AssertOneLine(perClass, "--pos-weight", "3 weights for 10 classes");
        AssertOneLine(plotType, folder["p.jpg"], "unknown plot type: the name must end in .png or .svg");
        AssertOneLine(fraction, "--test-fraction", "must be between 0 and 1");
    }

    private void Write(string name, byte[] bytes) => File.WriteAllBytes(folder[name], bytes);

    /// <summary>Runs <c>wce loss</c> into an existing output and a new gradient file, and checks the failure.</summary>
    private void AssertLossFails(string labels, string logits, string[] extra, string subject, string message)
    {
        var before = folder.Snapshot();
        var result = Wce.Run(["loss", "--labels", folder[labels], "--logits", folder[logits], .. extra, "--out", folder["existing.csv"], "--grad", folder["grad.npy"]]);

        AssertOneLine(result, subject.StartsWith('-') ? subject : folder[subject], message);
        var after = folder.Snapshot();
        Assert.Equal(before.Keys, after.Keys);
        Assert.Equal(OldOutput, File.ReadAllText(folder["existing.csv"]));
    }

    private static void AssertOneLine(WceResult result, string subject, string message)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"wce: {subject}: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
