using System.CommandLine;
using WeightedCrossEntropy.Cli.Console;
using WeightedCrossEntropy.Cli.Data;
using WeightedCrossEntropy.Cli.Plotting;
using WeightedCrossEntropy.Cli.Training;

namespace WeightedCrossEntropy.Cli.Commands;

/// <summary><c>wce sweep</c>: train once per pos_weight on the same split and show how precision and recall
/// move.</summary>
internal static class SweepCommand
{
    public const string DefaultPosWeights = "0.25,0.5,1,2,x0.5,x1,x2";

    public static Option<string> PosWeightsOption(bool required) => new("--pos-weights")
    {
        Description = "Comma-separated pos_weights: absolute numbers, or xN for N × auto (auto = negatives/positives per class on the training split).",
        Required = required,
        DefaultValueFactory = required ? null : _ => DefaultPosWeights,
        HelpName = "LIST",
    };

    public static Command Create(Terminal terminal)
    {
        var data = TrainCommand.DataOption();
        var labelColumn = TrainCommand.LabelColumnOption();
        var positiveClass = TrainCommand.PositiveClassOption();
        var posWeights = PosWeightsOption(required: true);
        var plot = TrainCommand.PlotOption("Plot macro recall and precision and each class's recall against pos_weight");
        var training = new TrainingArguments();
        var command = new Command("sweep", "Train once per pos_weight on the same split; print and plot how recall and precision trade off.")
        {
            data, labelColumn, positiveClass, posWeights,
        };
        training.AddTo(command);
        command.Options.Add(plot);
        command.SetAction(result =>
        {
            var options = training.Read(result);
            var specs = PosWeightSpec.ParseList(result.GetRequiredValue(posWeights), "--pos-weights");
            var plotPath = result.GetValue(plot);
            if (plotPath is not null)
            {
                PlotFile.Check(plotPath);
            }

            var dataset = DatasetReader.Read(result.GetRequiredValue(data), result.GetValue(labelColumn), result.GetValue(positiveClass));
            return Run(terminal, dataset, options, specs, plotPath);
        });
        return command;
    }

    /// <summary>The sweep, shared with <c>wce demo</c>.</summary>
    public static int Run(Terminal terminal, Dataset dataset, TrainingOptions options, List<PosWeightSpec> specs, string? plotPath)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(specs);
        var experiment = new Experiment(dataset, options);
        foreach (var spec in specs)
        {
            spec.Resolve(experiment.AutoPosWeight, "--pos-weights", dataset.ClassNames);
        }

        var runs = terminal.Run($"Training {specs.Count} models", specs.Count * (double)options.Epochs, progress =>
        {
            var results = new List<RunResult>();
            foreach (var spec in specs)
            {
                double done = results.Count * (double)options.Epochs;
                results.Add(experiment.Run(spec, "--pos-weights", new Progress(progress, done)));
            }

            return results;
        });

        Report.Describe(terminal, experiment);
        terminal.Out.WriteLine();
        Report.Sweep(terminal, experiment, runs);
        if (plotPath is not null)
        {
            PlotFile.Save(SweepPlot.Create(experiment, runs, $"{dataset.Name}: recall and precision against pos_weight"), plotPath);
            terminal.Out.WriteLine($"plot: {plotPath}");
        }

        return 0;
    }

    /// <summary>Adds the epochs of the models already trained to what the current one reports.</summary>
    private sealed class Progress(IProgress<double> inner, double offset) : IProgress<double>
    {
        public void Report(double value) => inner.Report(offset + value);
    }
}
