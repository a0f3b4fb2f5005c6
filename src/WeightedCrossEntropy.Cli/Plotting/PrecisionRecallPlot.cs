using ScottPlot;
using WeightedCrossEntropy.Cli.Training;

namespace WeightedCrossEntropy.Cli.Plotting;

/// <summary>Each output's precision–recall curve on the test split, drawn as steps whose area is the average
/// precision in the legend, with the operating point (logit 0, probability 0.5) marked: where pos_weight moves it
/// along the curve.</summary>
internal static class PrecisionRecallPlot
{
    public static Plot Create(Experiment experiment, RunResult run, string title)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(run);
        var plot = new Plot();
        var names = experiment.Dataset.ClassNames;
        var palette = new ScottPlot.Palettes.Category10();
        int c = names.Length;
        for (int k = 0; k < c; k++)
        {
            var m = run.Classes[k];
            if (m.Support == 0)
            {
                continue;
            }

            var (recall, precision) = Curve(run.TestTargets, run.TestLogits, c, k);
            var line = plot.Add.ScatterLine(recall, precision, palette.GetColor(k));
            line.LineWidth = 2;
            line.LegendText = $"{names[k]} (AP {Console.Report.Score(m.AveragePrecision)})";
            var marker = plot.Add.Marker(m.Recall, m.Precision, MarkerShape.FilledCircle, 10, palette.GetColor(k));
            marker.LegendText = string.Empty;
        }

        plot.Axes.SetLimits(0, 1.02, 0, 1.05);
        plot.Title(title);
        plot.XLabel("recall");
        plot.YLabel("precision (dots: the operating point at probability 0.5)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>Output <paramref name="k"/>'s curve: steps from recall 0 at the precision of the highest scores that
    /// find a positive, whose area is the average precision (<see cref="ClassMetrics.PrecisionRecallCurve"/>).</summary>
    internal static (double[] Recall, double[] Precision) Curve(double[] targets, double[] logits, int c, int k)
    {
        int n = targets.Length / c;
        var t = new double[n];
        var s = new double[n];
        for (int i = 0; i < n; i++)
        {
            t[i] = targets[(i * c) + k];
            s[i] = logits[(i * c) + k];
        }

        return ClassMetrics.PrecisionRecallCurve(t, s);
    }
}
