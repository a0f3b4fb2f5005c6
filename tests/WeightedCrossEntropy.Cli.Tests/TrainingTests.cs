using System.Globalization;
using WeightedCrossEntropy.Testing;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>
/// <c>wce train</c>, <c>sweep</c> and <c>demo</c> end to end on yeast (10 classes from 31% down to 0.3%): the
/// trade-off pos_weight exists for shows, in the direction the theory says.
/// </summary>
public sealed class TrainingTests : IDisposable
{
    private static readonly Lazy<(WceResult None, WceResult Auto)> YeastRuns = new(() => (
        Wce.Run("train", "--data", Yeast, "--pos-weight", "none"),
        Wce.Run("train", "--data", Yeast, "--pos-weight", "auto")));

    private readonly TempFolder folder = new();

    private static string Yeast => RepoFiles.Data("yeast.csv");

    public void Dispose() => folder.Dispose();

    [Fact]
    public void On_yeast_auto_pos_weight_raises_macro_recall_and_lowers_macro_precision()
    {
        var (none, auto) = YeastRuns.Value;
        Assert.Equal(0, none.ExitCode);
        Assert.Equal(0, auto.ExitCode);
        var before = Table(none.Out)["macro"];
        var after = Table(auto.Out)["macro"];

        Assert.True(after.Recall > before.Recall, $"macro recall {before.Recall} -> {after.Recall}");
        Assert.True(after.Precision < before.Precision, $"macro precision {before.Precision} -> {after.Precision}");
    }

    [Theory]
    [InlineData("ERL")]
    [InlineData("POX")]
    [InlineData("VAC")]
    public void On_yeast_auto_pos_weight_recalls_more_of_each_rare_class(string name)
    {
        var (none, auto) = YeastRuns.Value;
        var before = Table(none.Out)[name];
        var after = Table(auto.Out)[name];

        Assert.True(after.Recall > before.Recall, $"{name} recall {before.Recall} -> {after.Recall}");
    }

    [Fact]
    public void On_yeast_the_report_has_every_class_and_auto_is_negatives_over_positives_on_the_training_split()
    {
        var (none, auto) = YeastRuns.Value;
        var rows = Table(auto.Out);

        Assert.Equal(["CYT", "ERL", "EXC", "ME1", "ME2", "ME3", "MIT", "NUC", "POX", "VAC", "macro"], rows.Keys);
        Assert.Contains("data:  yeast.csv: 1484 samples, 8 features; 10 classes, one-vs-rest", auto.Out, StringComparison.Ordinal);

        // 30% of each class is held out (at least one): ERL has 5 rows, so round(1.5) = 2 test and 3 train, and its
        // auto weight is the other training rows over 3.
        Assert.Equal(2, rows["ERL"].Support);
        int test = rows["macro"].Support;
        int train = 1484 - test;
        Assert.Equal(((train - 3) / 3.0).ToString("0", CultureInfo.InvariantCulture), rows["ERL"].PosWeight);
        Assert.All(Table(none.Out).Values.SkipLast(1), r => Assert.Equal("1.00", r.PosWeight));
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed_and_the_seed_changes_the_split()
    {
        var first = Wce.Run("train", "--data", Yeast, "--pos-weight", "x2", "--epochs", "40", "--seed", "7");
        var second = Wce.Run("train", "--data", Yeast, "--pos-weight", "x2", "--epochs", "40", "--seed", "7");
        var other = Wce.Run("train", "--data", Yeast, "--pos-weight", "x2", "--epochs", "40", "--seed", "8");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Out, second.Out);
        Assert.NotEqual(first.Out, other.Out);
    }

    [Fact]
    public void A_sweep_trains_the_same_models_as_train_and_plots_png_and_svg()
    {
        var sweep = Wce.Run("sweep", "--data", Yeast, "--pos-weights", "1,x1", "--plot", folder["sweep.png"]);
        var svg = Wce.Run("sweep", "--data", Yeast, "--pos-weights", "0.5,4", "--epochs", "20", "--plot", folder["sweep.svg"]);

        Assert.Equal(0, sweep.ExitCode);
        Assert.Equal(string.Empty, sweep.Error);
        var (none, auto) = YeastRuns.Value;
        var macro = MacroRows(sweep.Out);
        Assert.Equal(Table(none.Out)["macro"].Recall, macro["1"].Recall);
        Assert.Equal(Table(none.Out)["macro"].Precision, macro["1"].Precision);
        Assert.Equal(Table(auto.Out)["macro"].Recall, macro["x1 (auto)"].Recall);
        Assert.Equal(Table(auto.Out)["macro"].Precision, macro["x1 (auto)"].Precision);

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, File.ReadAllBytes(folder["sweep.png"])[..8]);
        Assert.Equal(0, svg.ExitCode);
        Assert.Contains("<svg", File.ReadAllText(folder["sweep.svg"]), StringComparison.Ordinal);
        Assert.Equal(["sweep.png", "sweep.svg"], folder.Snapshot().Keys);
    }

    /// <summary>One pos_weight (every point on one x) of exactly a power of ten put ScottPlot's log-axis minor ticks
    /// into an endless loop; so did every point within one decade.</summary>
    [Theory]
    [InlineData("0.1", "one.svg")]
    [InlineData("0.01", "one.png")]
    [InlineData("1", "one.svg")]
    [InlineData("0.1,0.11", "close.svg")]
    public void A_sweep_of_pos_weights_within_one_decade_plots(string posWeights, string plotName)
    {
        var result = Bounded.Run(TimeSpan.FromSeconds(60), "sweep", "--data", RepoFiles.Data("breast_cancer.csv"), "--epochs", "2",
            "--pos-weights", posWeights, "--plot", folder[plotName]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        Assert.True(new FileInfo(folder[plotName]).Length > 1000, $"{plotName} is missing or nearly empty");
    }

    [Fact]
    public void The_demo_runs_with_no_files_and_shows_recall_rising_with_pos_weight()
    {
        var demo = Wce.Run("demo", "--pos-weights", "0.5,1,x1", "--epochs", "150");

        Assert.Equal(0, demo.ExitCode);
        Assert.Contains("Synthetic multi-label data", demo.Out, StringComparison.Ordinal);
        var macro = MacroRows(demo.Out);
        Assert.True(macro["0.5"].Recall < macro["1"].Recall && macro["1"].Recall < macro["x1 (auto)"].Recall);
        Assert.True(macro["1"].Precision > macro["x1 (auto)"].Precision);
        Assert.DoesNotContain("\u001b", demo.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_headed_csv_with_a_named_binary_label_trains_one_output_for_the_second_class()
    {
        // Two features, the label in the middle; class "yes" is rare and lies where f1 is large.
        var lines = new List<string> { "f1,label,f2" };
        for (int i = 0; i < 200; i++)
        {
            double f1 = (i % 20) / 2.0, f2 = (i * 37 % 11) / 3.0;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{f1},{(f1 >= 8.5 ? "yes" : "no")},{f2}"));
        }

        File.WriteAllLines(folder["binary.csv"], lines);
        var result = Wce.Run("train", "--data", folder["binary.csv"], "--label-column", "label", "--pos-weight", "auto");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("binary: one sigmoid output, positive class yes, negative no", result.Out, StringComparison.Ordinal);
        var row = Assert.Single(Table(result.Out)).Value;
        Assert.Equal(1.0, row.Recall);
    }

    [Fact]
    public void Breast_cancer_integer_labels_take_the_headers_class_names()
    {
        var result = Wce.Run("train", "--data", RepoFiles.Data("breast_cancer.csv"), "--epochs", "30");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("569 samples, 30 features; binary: one sigmoid output, positive class benign, negative malignant", result.Out, StringComparison.Ordinal);
    }

    internal sealed record Row(int Support, string PosWeight, double Precision, double Recall);

    /// <summary>The rows of the per-class table <c>wce train</c> prints (the macro row included).</summary>
    internal static Dictionary<string, Row> Table(string output)
    {
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var cells in Cells(output).Where(c => c.Length == 7 && c[0] != "class"))
        {
            rows[cells[0]] = new Row(int.Parse(cells[1], CultureInfo.InvariantCulture), cells[2], Number(cells[3]), Number(cells[4]));
        }

        return rows;
    }

    /// <summary>The macro table of <c>wce sweep</c>: pos_weight label → precision and recall.</summary>
    internal static Dictionary<string, Row> MacroRows(string output)
    {
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        var macroTable = output[output.IndexOf("Macro averages", StringComparison.Ordinal)..output.IndexOf("Recall per class", StringComparison.Ordinal)];
        foreach (var cells in Cells(macroTable).Where(c => c.Length == 7 && c[0] != "pos_weight"))
        {
            rows[cells[0]] = new Row(0, cells[0], Number(cells[1]), Number(cells[3]));
        }

        return rows;
    }

    /// <summary>The macro table's precision* column: pos_weight label → the precision over the outputs that
    /// predict a positive, and how many of the scored outputs do.</summary>
    internal static Dictionary<string, (double Precision, int Predicting, int Scored)> MacroPredicting(string output)
    {
        var rows = new Dictionary<string, (double, int, int)>(StringComparer.Ordinal);
        var macroTable = output[output.IndexOf("Macro averages", StringComparison.Ordinal)..output.IndexOf("Recall per class", StringComparison.Ordinal)];
        foreach (var cells in Cells(macroTable).Where(c => c.Length == 7 && c[0] != "pos_weight"))
        {
            var parts = cells[2].Split([' ', '(', '/', ')'], StringSplitOptions.RemoveEmptyEntries);
            rows[cells[0]] = (parts[0] == "–" ? double.NaN : Number(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        }

        return rows;
    }

    private static IEnumerable<string[]> Cells(string output) => output.Split('\n')
        .Where(line => line.StartsWith('│'))
        .Select(line => line.Trim().Trim('│').Split('│').Select(c => c.Trim()).ToArray());

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
