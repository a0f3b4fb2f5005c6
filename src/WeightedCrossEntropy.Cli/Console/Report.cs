using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using WeightedCrossEntropy.Cli.Training;

namespace WeightedCrossEntropy.Cli.Console;

/// <summary>What the training commands print: a description of the data, split and model, and tables.</summary>
internal static class Report
{
    public static void Describe(Terminal terminal, Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(experiment);
        var data = experiment.Dataset;
        var o = experiment.Options;
        var w = terminal.Out;
        w.WriteLine(Invariant($"data:  {data.Name}: {data.Count} samples, {data.FeatureCount} features; {data.Kind}"));
        w.WriteLine(Invariant(
            $"split: {experiment.TrainIndices.Length} train, {experiment.TestIndices.Length} test (stratified, test fraction {o.TestFraction}, seed {o.Seed}; duplicate rows kept on one side)"));
        w.WriteLine(Invariant(
            $"model: linear logistic per output on standardized features; Adam, learning rate {o.LearningRate}, {o.Epochs} full-batch epochs, L2 {o.L2}; loss: mean weighted cross-entropy (the library's fused loss and gradient)"));
    }

    /// <summary>Per-class support, pos_weight, precision, recall, F1 and PR-AUC, and the macro averages.</summary>
    public static void Classes(Terminal terminal, Experiment experiment, RunResult run)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(run);
        var table = NewTable("class", "support", "pos_weight", "precision", "recall", "F1", "PR-AUC");
        var names = experiment.Dataset.ClassNames;
        for (int k = 0; k < names.Length; k++)
        {
            var m = run.Classes[k];
            AddRow(table, names[k], Count(m.Support), Weight(run.PosWeight[k]), Score(m.Precision), Score(m.Recall), Score(m.F1), Score(m.AveragePrecision));
        }

        if (names.Length > 1)
        {
            var macro = run.Macro;
            string[] footer = ["macro", Count(macro.Support), string.Empty, Score(macro.Precision), Score(macro.Recall), Score(macro.F1), Score(macro.AveragePrecision)];
            for (int i = 0; i < footer.Length; i++)
            {
                table.Columns[i].Footer = new Text(footer[i]);
            }

            table.ShowFooters = true;
        }

        terminal.Tables.Write(table);
        Footnotes(terminal, run.Classes);
        var silent = Enumerable.Range(0, names.Length).Where(k => run.Classes[k].Support > 0 && run.Classes[k].Predicted == 0).ToList();
        if (silent.Count > 0)
        {
            string which = string.Join(", ", silent.Select(k => names[k]));
            string macro = names.Length > 1
                ? Invariant($"; macro precision over the {run.Macro.Predicting} of {run.Macro.Scored} scored outputs that predict a positive: {Score(run.Macro.PrecisionOfPredicting)}")
                : string.Empty;
            terminal.Out.WriteLine(Invariant(
                $"precision 0 for {which}: no test sample predicted positive at probability 0.5 (precision counts as 0){macro}."));
        }
    }

    /// <summary>The sweep: macro scores per pos_weight, then each class's recall per pos_weight.</summary>
    public static void Sweep(Terminal terminal, Experiment experiment, IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(runs);
        var names = experiment.Dataset.ClassNames;
        terminal.Out.WriteLine(names.Length == 1
            ? Invariant($"Scores of the one output (positive class {names[0]}) on the test split ({experiment.TestIndices.Length} samples):")
            : Invariant($"Macro averages over {names.Length} outputs on the test split ({experiment.TestIndices.Length} samples):"));
        var macro = NewTable("pos_weight", "precision", "precision*", "recall", "F1", "PR-AUC", "train loss");
        foreach (var run in runs)
        {
            var m = run.Macro;
            AddRow(
                macro, run.Spec.Label, Score(m.Precision), Invariant($"{Score(m.PrecisionOfPredicting)} ({m.Predicting}/{m.Scored})"),
                Score(m.Recall), Score(m.F1), Score(m.AveragePrecision), Score(run.FinalLoss));
        }

        terminal.Tables.Write(macro);
        terminal.Out.WriteLine(
            "precision counts an output that predicts no positive (at probability 0.5) as 0, so it can fall as pos_weight falls; " +
            "precision* averages only the outputs that predict one (how many, of those scored, in brackets).");
        terminal.Out.WriteLine();
        terminal.Out.WriteLine("Recall per class (auto = negatives/positives on the training split; xN = N × auto):");
        var perClass = NewTable(["class", "support", "auto", .. runs.Select(r => r.Spec.Label)]);
        for (int k = 0; k < names.Length; k++)
        {
            AddRow(perClass, [names[k], Count(runs[0].Classes[k].Support), Weight(experiment.AutoPosWeight[k]), .. runs.Select(r => Score(r.Classes[k].Recall))]);
        }

        terminal.Tables.Write(perClass);
        Footnotes(terminal, runs[0].Classes);
    }

    public static string Score(double value) => double.IsNaN(value) ? "–" : value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Weight(double value) => value switch
    {
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static void Footnotes(Terminal terminal, IReadOnlyList<ClassMetrics> classes)
    {
        if (classes.Any(m => m.Support == 0))
        {
            terminal.Out.WriteLine("– : no positive sample in the test split; left out of the macro average.");
        }
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static Table NewTable(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        for (int i = 0; i < columns.Length; i++)
        {
            var column = new TableColumn(new Text(columns[i]));
            table.AddColumn(i == 0 ? column.LeftAligned() : column.RightAligned());
        }

        return table;
    }

    private static void AddRow(Table table, params string[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c)));
}
