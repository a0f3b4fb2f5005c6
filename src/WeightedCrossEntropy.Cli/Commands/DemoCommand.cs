using System.CommandLine;
using System.Globalization;
using WeightedCrossEntropy.Cli.Console;
using WeightedCrossEntropy.Cli.Data;
using WeightedCrossEntropy.Cli.Plotting;
using WeightedCrossEntropy.Cli.Training;

namespace WeightedCrossEntropy.Cli.Commands;

/// <summary><c>wce demo</c>: the sweep on a built-in synthetic imbalanced multi-label data set, so that it runs on
/// a fresh clone with no files.</summary>
internal static class DemoCommand
{
    public static Command Create(Terminal terminal)
    {
        var posWeights = SweepCommand.PosWeightsOption(required: false);
        var plot = TrainCommand.PlotOption("Plot macro recall and precision and each label's recall against pos_weight");
        var training = new TrainingArguments();
        var command = new Command(
            "demo",
            $"Run the sweep on a built-in synthetic data set: {SyntheticData.Samples} samples, {SyntheticData.Features} features, {SyntheticData.Labels} labels with prevalence from 30% down to 0.5%.")
        {
            posWeights,
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

            var prevalence = string.Join(", ", Enumerable.Range(0, SyntheticData.Labels)
                .Select(k => (100 * SyntheticData.Prevalence(k)).ToString("0.0", CultureInfo.InvariantCulture) + "%"));
            terminal.Out.WriteLine(
                $"Synthetic multi-label data (generated in code, seed {SyntheticData.Seed}): {SyntheticData.Samples} samples, " +
                $"{SyntheticData.Features} standard normal features; label Lk is on for the samples with the highest wₖ·x + noise, " +
                $"prevalence L1..L{SyntheticData.Labels}: {prevalence}.");
            terminal.Out.WriteLine();
            return SweepCommand.Run(terminal, SyntheticData.Generate(), options, specs, plotPath);
        });
        return command;
    }
}
