using System.CommandLine;
using WeightedCrossEntropy.Cli.Console;
using WeightedCrossEntropy.Cli.Data;
using WeightedCrossEntropy.Cli.Plotting;
using WeightedCrossEntropy.Cli.Training;

namespace WeightedCrossEntropy.Cli.Commands;

/// <summary><c>wce train</c>: train a one-vs-rest logistic model on a CSV with one pos_weight and print its test
/// scores per class.</summary>
internal static class TrainCommand
{
    public static Option<string> DataOption() => new("--data")
    {
        Description = "A CSV with a header row of column names, or scikit-learn's layout (first line n_samples,n_features,class names...).",
        Required = true,
        HelpName = "FILE",
    };

    public static Option<string?> LabelColumnOption() => new("--label-column")
    {
        Description = "The label column: a header name, or a number (1 = first, -1 = last). Default: the last non-empty column.",
        HelpName = "NAME|INDEX",
    };

    public static Option<string?> PositiveClassOption() => new("--positive-class")
    {
        Description = "The class to score as positive, by name or by its value in the file. With two classes the other is negative (default: the second in order); with more, NAME is trained against all the others as one output (default: one output per class).",
        HelpName = "NAME",
    };

    public static Option<string?> PlotOption(string what) => new("--plot")
    {
        Description = what + " (.png or .svg).",
        HelpName = "FILE",
    };

    public static Command Create(Terminal terminal)
    {
        var data = DataOption();
        var labelColumn = LabelColumnOption();
        var positiveClass = PositiveClassOption();
        var posWeight = new Option<string>("--pos-weight")
        {
            Description = "none (1), auto (negatives/positives per class on the training split), xN (N × auto), a number, or one number per class.",
            DefaultValueFactory = _ => "none",
            HelpName = "none|auto|xN|NUMBER|LIST",
        };
        posWeight.CompletionSources.Add("none", "auto", "x0.5", "x2");
        var plot = PlotOption("Plot each class's precision–recall curve on the test split");
        var training = new TrainingArguments();
        var command = new Command("train", "Train a linear one-vs-rest logistic model with the weighted loss and print per-class precision, recall, F1 and PR-AUC on a held-out split.")
        {
            data, labelColumn, positiveClass, posWeight,
        };
        training.AddTo(command);
        command.Options.Add(plot);
        command.SetAction(result => Run(
            terminal,
            result.GetRequiredValue(data),
            result.GetValue(labelColumn),
            result.GetValue(positiveClass),
            result.GetRequiredValue(posWeight),
            training.Read(result),
            result.GetValue(plot)));
        return command;
    }

    public static int Run(
        Terminal terminal, string dataPath, string? labelColumn, string? positiveClass, string posWeight, TrainingOptions options,
        string? plotPath)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        var spec = PosWeightSpec.Parse(posWeight, "--pos-weight");
        if (plotPath is not null)
        {
            PlotFile.Check(plotPath);
        }

        var dataset = DatasetReader.Read(dataPath, labelColumn, positiveClass);
        var experiment = new Experiment(dataset, options);
        var run = terminal.Run("Training", options.Epochs, progress => experiment.Run(spec, "--pos-weight", progress));
        Report.Describe(terminal, experiment);
        terminal.Out.WriteLine(spec.Text switch
        {
            "none" => "pos_weight: none (1 for every class)",
            "auto" => "pos_weight: auto (negatives/positives per class on the training split)",
            _ when spec.IsRelative => $"pos_weight: {spec.Text} ({spec.Label[1..]} × negatives/positives per class on the training split)",
            _ => $"pos_weight: {spec.Text}",
        });
        terminal.Out.WriteLine($"final training loss: {Report.Score(run.FinalLoss)}");
        terminal.Out.WriteLine();
        Report.Classes(terminal, experiment, run);
        if (plotPath is not null)
        {
            PlotFile.Save(PrecisionRecallPlot.Create(experiment, run, $"{dataset.Name}: precision–recall on the test split, pos_weight {spec.Label}"), plotPath);
            terminal.Out.WriteLine($"plot: {plotPath}");
        }

        return 0;
    }
}
