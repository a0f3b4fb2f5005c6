using System.Globalization;
using WeightedCrossEntropy.Cli.Training;
using WeightedCrossEntropy.Testing;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>
/// The training commands on data and command lines a new user gives them: too little data, NaN, weights that
/// overflow, a label column that is not a label, a misspelt command, another separator. Each is one clear line on
/// stderr with exit code 2, never a crash, a hang or silent nonsense.
/// </summary>
public sealed class OddInputTests : IDisposable
{
    /// <summary>Long enough for any of these runs on a loaded machine; a hang fails instead of stalling the suite.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    private readonly TempFolder folder = new();

    private static string Yeast => RepoFiles.Data("yeast.csv");

    private static string BreastCancer => RepoFiles.Data("breast_cancer.csv");

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_split_with_no_test_sample_is_too_little_data_and_says_how_many_rows_a_class_needs()
    {
        File.WriteAllText(folder["tiny.csv"], "f,y\n1,a\n2,b\n");
        var result = RunWithin("train", "--data", folder["tiny.csv"]);

        var line = AssertOneLine(result, folder["tiny.csv"], "too little data to train and test: 2 rows (distinct rows per class: a 1, b 1)");
        Assert.Contains("each class needs at least 2 distinct rows", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_whose_copies_are_all_one_row_counts_once()
    {
        // b has three rows but one distinct: it stays in training; a likewise. No positive test sample anywhere.
        File.WriteAllText(folder["copies.csv"], "f,y\n1,a\n2,b\n2,b\n2,b\n");
        var result = RunWithin("sweep", "--data", folder["copies.csv"], "--pos-weights", "1");

        AssertOneLine(result, folder["copies.csv"], "4 rows (distinct rows per class: a 1, b 1)");
    }

    [Fact]
    public void A_nan_feature_is_refused_with_its_line_and_column()
    {
        File.WriteAllText(folder["nan.csv"], "f,g,y\n1,0,a\n2,1,b\nnan,0,a\n3,1,b\n4,0,a\n5,1,b\n");
        var result = RunWithin("train", "--data", folder["nan.csv"]);

        AssertOneLine(result, folder["nan.csv"], "non-finite value 'nan' at line 4, column 1 (feature 'f')");
    }

    [Fact]
    public void An_auto_factor_that_overflows_names_the_class()
    {
        var result = RunWithin("train", "--data", Yeast, "--pos-weight", "x1e308", "--epochs", "5");

        // CYT, the first class, has auto weight > 1 (it is 31% of the rows): 1e308 × auto overflows.
        AssertOneLine(result, "--pos-weight", "x1e308 gives class CYT pos_weight Infinity");
    }

    [Theory]
    [InlineData("1e300", "0.1", "diverged with pos_weight 1E+300 and --learning-rate 0.1: the gradient overflows at epoch 1")]
    [InlineData("1", "1e300", "diverged with pos_weight 1 and --learning-rate 1E+300: ")]
    public void Training_that_diverges_says_so(string weight, string rate, string message)
    {
        var result = RunWithin("train", "--data", Yeast, "--pos-weight", weight, "--learning-rate", rate, "--epochs", "20");

        AssertOneLine(result, "training", message);
    }

    [Fact]
    public void A_model_whose_scores_are_nan_is_a_clear_error_not_a_hang()
    {
        // A diverged model's scores reach the metrics only as an error: the metrics themselves stay defined.
        var metrics = Within(() => ClassMetrics.Compute([1, 0, 1], [double.NaN, double.NaN, double.NaN]));
        Assert.Equal(2, metrics.Support);
        Assert.Equal(0, metrics.Predicted);
        Assert.Equal(2.0 / 3, metrics.AveragePrecision, 15); // one threshold: every sample at once, precision 2/3
    }

    [Fact]
    public void Continuous_labels_are_refused_with_how_to_choose_the_label_column()
    {
        // No label column at all: every column continuous, no header.
        var rows = Enumerable.Range(0, 60).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i * 0.37 % 5},{i * 1.3 % 7}"));
        File.WriteAllLines(folder["features.csv"], rows);
        var noLabel = RunWithin("train", "--data", folder["features.csv"]);

        var line = AssertOneLine(noLabel, folder["features.csv"], "column 2, the label column, looks continuous, not like classes");
        Assert.Contains("--label-column NAME|INDEX", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_in_the_first_column_is_found_and_named_in_the_error()
    {
        var lines = new List<string> { "diagnosis,radius,texture" };
        for (int i = 0; i < 40; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{(i % 3 == 0 ? "M" : "B")},{10 + (i * 0.731 % 9)},{i * 1.17 % 13}"));
        }

        File.WriteAllLines(folder["first.csv"], lines);
        var result = RunWithin("train", "--data", folder["first.csv"]);
        var chosen = RunWithin("train", "--data", folder["first.csv"], "--label-column", "diagnosis", "--epochs", "20");

        var line = AssertOneLine(result, folder["first.csv"], "'texture' (column 3), the label column, looks continuous");
        Assert.EndsWith("'diagnosis' (column 1) has 2 values and may be the label: --label-column diagnosis", line, StringComparison.Ordinal);
        Assert.Equal(0, chosen.ExitCode);
        Assert.Contains("positive class M, negative B", chosen.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Whole_number_labels_with_more_than_half_the_rows_distinct_are_refused()
    {
        // 30 rows, 20 distinct whole numbers: an identifier or a count, not classes.
        var lines = Enumerable.Range(0, 30).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i * 0.5},{i % 20}"));
        File.WriteAllLines(folder["ids.csv"], lines);
        var result = RunWithin("train", "--data", folder["ids.csv"]);

        AssertOneLine(result, folder["ids.csv"], "looks continuous, not like classes: 20 distinct values in 30 rows, more than half of them");
    }

    [Fact]
    public void The_positive_class_can_be_named_for_two_classes()
    {
        // breast_cancer.csv: label 0 is malignant (the header's first class name), label 1 benign.
        int malignant = File.ReadLines(BreastCancer).Skip(1).Count(l => l.EndsWith(",0", StringComparison.Ordinal));
        var result = RunWithin("train", "--data", BreastCancer, "--positive-class", "malignant", "--epochs", "30");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("binary: one sigmoid output, positive class malignant, negative benign", result.Out, StringComparison.Ordinal);
        var row = Assert.Single(TrainingTests.Table(result.Out));
        Assert.Equal("malignant", row.Key);
        Assert.Equal((int)System.Math.Round(0.3 * malignant, MidpointRounding.ToEven), row.Value.Support);
    }

    [Fact]
    public void With_more_classes_the_positive_class_is_trained_against_all_the_others()
    {
        int vac = File.ReadLines(Yeast).Skip(1).Count(l => l.Split(',')[9] == "VAC");
        var result = RunWithin("sweep", "--data", Yeast, "--positive-class", "vac", "--pos-weights", "1,x1", "--epochs", "30");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("binary: one sigmoid output, positive class VAC, negative the other 9 classes", result.Out, StringComparison.Ordinal);
        Assert.Contains("Scores of the one output (positive class VAC) on the test split", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("over 1 outputs", result.Out, StringComparison.Ordinal);
        var row = result.Out.Split('\n').Single(l => l.StartsWith("│ VAC ", StringComparison.Ordinal)).Split('│', StringSplitOptions.TrimEntries);
        Assert.Equal((int)System.Math.Round(0.3 * vac, MidpointRounding.ToEven), int.Parse(row[2], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_unknown_positive_class_lists_the_classes()
    {
        var result = RunWithin("train", "--data", BreastCancer, "--positive-class", "cancer");

        AssertOneLine(result, "--positive-class", "no class 'cancer' in column 31, the label column of");
        Assert.EndsWith("(classes: malignant, benign)", result.Error.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_positive_class_is_quoted_escaped_and_cut_like_other_untrusted_text()
    {
        var name = "\u001b[31m" + new string('m', 200);
        var result = RunWithin("train", "--data", BreastCancer, "--positive-class", "\u001b[31m" + new string('m', 200));

        var line = AssertOneLine(result, "--positive-class", "no class '\\x1b[31m");
        Assert.DoesNotContain('\u001b', line);
        Assert.Contains("m...'", line, StringComparison.Ordinal);
        Assert.DoesNotContain(name[1..], line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train", "--pos-weight", "1,,2", "entry 2 of '1,,2' is empty")]
    [InlineData("sweep", "--pos-weights", "1,,2", "entry 2 of '1,,2' is empty")]
    [InlineData("sweep", "--pos-weights", "1,2,", "entry 3 of '1,2,' is empty")]
    [InlineData("sweep", "--pos-weights", ",x2", "entry 1 of ',x2' is empty")]
    public void An_empty_pos_weight_entry_is_refused_by_its_position(string command, string option, string value, string message)
    {
        var result = RunWithin(command, "--data", Yeast, option, value, "--epochs", "1");

        AssertOneLine(result, option, message);
    }

    [Theory]
    [InlineData(new[] { "trian" }, "Unrecognized command or argument 'trian'; did you mean 'train'? (see 'wce --help')")]
    [InlineData(new[] { "sweeep" }, "did you mean 'sweep'?")]
    [InlineData(new[] { "train", "--epoch", "3" }, "did you mean '--epochs'? (see 'wce train --help')")]
    [InlineData(new[] { "demo", "--pos-weight", "2" }, "did you mean '--pos-weights'?")]
    public void A_misspelt_command_or_option_gets_a_suggestion(string[] args, string message)
    {
        var result = Wce.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void A_word_far_from_every_command_gets_no_suggestion()
    {
        var result = Wce.Run("fit");

        Assert.DoesNotContain("did you mean", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trian", "train", 1)] // neighbours swapped: one edit
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("--epoch", "--epochs", 1)]
    [InlineData("ca", "abc", 3)] // optimal string alignment: no edit of a substring edited before
    public void Edit_distance_counts_insertions_deletions_substitutions_and_swaps(string a, string b, int distance)
    {
        Assert.Equal(distance, WeightedCrossEntropy.Cli.Suggestions.Distance(a, b));
        Assert.Equal(distance, WeightedCrossEntropy.Cli.Suggestions.Distance(b, a));
    }

    [Fact]
    public void Demo_help_states_its_default_once()
    {
        var help = Wce.Run("demo", "--help");

        Assert.Equal(0, help.ExitCode);
        int count = help.Out.Split("0.25,0.5,1,2,x0.5,x1,x2").Length - 1;
        Assert.Equal(1, count);
    }

    [Theory]
    [InlineData(";", "semicolon")]
    [InlineData("\t", "tab")]
    public void A_file_separated_by_something_else_says_so(string separator, string name)
    {
        File.WriteAllText(folder["other.csv"], string.Join('\n', new[] { "a,b,y" , "1,2,x", "3,4,z" }.Select(l => l.Replace(",", separator, StringComparison.Ordinal))));
        var result = RunWithin("train", "--data", folder["other.csv"]);

        AssertOneLine(result, folder["other.csv"], $"line 1 has no comma but 2 {name}s: the file looks {name}-separated");
    }

    [Fact]
    public void The_demo_reports_precision_over_the_outputs_that_predict_beside_precision()
    {
        var demo = RunWithin("demo", "--pos-weights", "0.25,1,x1", "--epochs", "150");

        Assert.Equal(0, demo.ExitCode);
        var plain = TrainingTests.MacroRows(demo.Out);
        var predicting = TrainingTests.MacroPredicting(demo.Out);

        // Plain precision counts the outputs that predict nothing as 0 and falls below 1; over the outputs that
        // predict, precision rises as pos_weight falls, as the trade-off says.
        Assert.True(plain["0.25"].Precision < plain["1"].Precision);
        Assert.True(predicting["0.25"].Precision > predicting["1"].Precision);
        Assert.True(predicting["1"].Precision > predicting["x1 (auto)"].Precision);
        Assert.True(predicting["0.25"].Predicting < predicting["0.25"].Scored);
        Assert.Equal(10, predicting["x1 (auto)"].Predicting);

        // With every output predicting, the two agree; with k of 10, plain precision is k/10 of precision*.
        Assert.Equal(plain["x1 (auto)"].Precision, predicting["x1 (auto)"].Precision);
        var low = predicting["0.25"];
        Assert.Equal(plain["0.25"].Precision, low.Precision * low.Predicting / low.Scored, 0.0010001);
        Assert.Contains("precision counts an output that predicts no positive (at probability 0.5) as 0", demo.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_notes_the_classes_that_predict_nothing_and_their_precision()
    {
        var result = RunWithin("train", "--data", Yeast, "--pos-weight", "0.25", "--epochs", "100");

        Assert.Equal(0, result.ExitCode);
        var rows = TrainingTests.Table(result.Out);
        var note = result.Out.Split('\n').Single(l => l.StartsWith("precision 0 for ", StringComparison.Ordinal));
        var silent = note["precision 0 for ".Length..note.IndexOf(':', StringComparison.Ordinal)].Split(", ");
        Assert.NotEmpty(silent);
        Assert.All(silent, name => Assert.Equal(0, rows[name].Recall));
        var speaking = rows.Where(r => r.Key != "macro" && r.Value.Support > 0 && !silent.Contains(r.Key)).ToList();
        double expected = speaking.Average(r => r.Value.Precision);
        var reported = double.Parse(note[(note.LastIndexOf(' ') + 1)..].TrimEnd('.'), CultureInfo.InvariantCulture);
        Assert.Equal(expected, reported, 0.0010001); // each table cell and the note are rounded to 3 decimals
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"over the {speaking.Count} of "), note, StringComparison.Ordinal);
    }

    [Fact]
    public void Average_precision_with_nan_scores_ranks_them_last_and_ends()
    {
        // 0.9 (+): recall 1/2 at precision 1; 0.5 (−): no new recall; NaN (+): recall 1 at precision 2/3.
        double ap = Within(() => ClassMetrics.AveragePrecisionOf([0, 1, 1], [0.5, 0.9, double.NaN]));
        Assert.Equal(0.5 + (1.0 / 3), ap, 15);

        // Two NaNs tie: one threshold holding both. + (0.2), then {NaN −, NaN +}: 1/2·1 + 1/2·2/3.
        ap = Within(() => ClassMetrics.AveragePrecisionOf([1, 0, 1], [0.2, double.NaN, double.NaN]));
        Assert.Equal(0.5 + (1.0 / 3), ap, 15);

        Assert.True(double.IsNaN(Within(() => ClassMetrics.AveragePrecisionOf([], []))));
    }

    [Fact]
    public void A_precision_recall_curve_starts_at_recall_0_with_the_precision_of_the_top_scores()
    {
        // Top score a positive: precision 1 until recall 1/2, then 2/3 up to recall 1 (the negative at 0.5 adds no
        // recall, so no step of its own).
        var (r1, p1) = ClassMetrics.PrecisionRecallCurve([1, 0, 1], [0.9, 0.5, 0.1]);
        Assert.Equal([0, 0.5, 0.5, 1], r1);
        Assert.Equal([1, 1, 2.0 / 3, 2.0 / 3], p1);

        // Top score a negative: the first positive is found at precision 1/2, and the curve starts there, not at
        // (0, 0).
        var (r2, p2) = ClassMetrics.PrecisionRecallCurve([0, 1, 1], [0.9, 0.5, 0.1]);
        Assert.Equal([0, 0.5, 0.5, 1], r2);
        Assert.Equal([0.5, 0.5, 2.0 / 3, 2.0 / 3], p2);

        // A tie of one positive and one negative at the top: precision 1/2 from recall 0.
        var (r3, p3) = ClassMetrics.PrecisionRecallCurve([1, 0], [0.3, 0.3]);
        Assert.Equal([0, 1], r3);
        Assert.Equal([0.5, 0.5], p3);

        // The plot's own curve for output 1 of a two-output layout, rows (z0, z1) and (x0, x1) interleaved: the
        // second case again.
        var (r4, p4) = WeightedCrossEntropy.Cli.Plotting.PrecisionRecallPlot.Curve([0, 0, 1, 1, 0, 1], [5, 0.9, -5, 0.5, 5, 0.1], 2, 1);
        Assert.Equal(r2, r4);
        Assert.Equal(p2, p4);
    }

    [Fact]
    public void The_area_under_the_drawn_curve_is_the_average_precision()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 500; trial++)
        {
            int n = random.Next(1, 40);
            var targets = Enumerable.Range(0, n).Select(_ => (double)random.Next(2)).ToArray();
            var scores = Enumerable.Range(0, n).Select(_ => (double)random.Next(6)).ToArray(); // many ties
            if (!targets.Contains(1))
            {
                continue;
            }

            var (recall, precision) = ClassMetrics.PrecisionRecallCurve(targets, scores);
            double area = 0;
            for (int i = 1; i < recall.Length; i++)
            {
                area += (recall[i] - recall[i - 1]) * (precision[i] + precision[i - 1]) / 2;
            }

            Assert.Equal(0, recall[0]);
            Assert.True(precision[0] > 0);
            Assert.Equal(1, recall[^1], 15);
            Assert.Equal(ClassMetrics.AveragePrecisionOf(targets, scores), area, 12);
        }
    }

    private static WceResult RunWithin(params string[] args) => Within(() => Wce.Run(args));

    private static T Within<T>(Func<T> action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(Limit), $"did not finish within {Limit.TotalSeconds} s");
        return task.Result;
    }

    private static string AssertOneLine(WceResult result, string subject, string message)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"wce: {subject}: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
        return line;
    }
}
