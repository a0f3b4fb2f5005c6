using ScottPlot;
using WeightedCrossEntropy.Cli.Training;

namespace WeightedCrossEntropy.Cli.Plotting;

/// <summary>
/// Macro recall and macro precision (bold; precision over the outputs that predict a positive dashed) and each
/// class's recall (thin) against pos_weight on a log axis. A
/// class's recall sits at the weight that class was trained with (for <c>xN</c>, N × its own auto weight); the
/// macro scores of an <c>xN</c> run sit at the geometric mean of its per-class weights.
/// </summary>
internal static class SweepPlot
{
    public static Plot Create(Experiment experiment, IReadOnlyList<RunResult> runs, string title)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(runs);
        var plot = new Plot();
        var names = experiment.Dataset.ClassNames;
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < names.Length; k++)
        {
            var points = runs
                .Where(r => !double.IsNaN(r.Classes[k].Recall))
                .Select(r => (X: System.Math.Log10(r.PosWeight[k]), Y: r.Classes[k].Recall))
                .OrderBy(p => p.X)
                .ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), palette.GetColor(k).WithAlpha(0.55));
            line.LineWidth = 1.5f;
            line.MarkerSize = 4;
            line.LegendText = $"recall {names[k]}";
        }

        var macro = runs
            .Select(r => (X: System.Math.Log10(GeometricMean(r.PosWeight)), r.Macro, r.Spec.Label))
            .OrderBy(p => p.X)
            .ToArray();
        var xs = macro.Select(p => p.X).ToArray();
        var recall = plot.Add.Scatter(xs, macro.Select(p => p.Macro.Recall).ToArray(), Colors.Black);
        recall.LineWidth = 3.5f;
        recall.MarkerSize = 9;
        recall.LegendText = "macro recall";
        var precision = plot.Add.Scatter(xs, macro.Select(p => p.Macro.Precision).ToArray(), Colors.Crimson);
        precision.LineWidth = 3.5f;
        precision.MarkerSize = 9;
        precision.MarkerShape = MarkerShape.FilledSquare;
        precision.LegendText = "macro precision (nothing predicted = 0)";
        var predicting = macro.Where(p => !double.IsNaN(p.Macro.PrecisionOfPredicting)).ToArray();
        var precisionStar = plot.Add.Scatter(
            predicting.Select(p => p.X).ToArray(), predicting.Select(p => p.Macro.PrecisionOfPredicting).ToArray(), Colors.Crimson);
        precisionStar.LineWidth = 2f;
        precisionStar.LinePattern = LinePattern.Dashed;
        precisionStar.MarkerSize = 7;
        precisionStar.MarkerShape = MarkerShape.OpenSquare;
        precisionStar.LegendText = "macro precision of the outputs that predict";
        foreach (var p in macro)
        {
            var label = plot.Add.Text(p.Label, p.X, 1.02);
            label.LabelFontSize = 12;
            label.LabelAlignment = Alignment.LowerCenter;
        }

        PlotFile.UseLogScale(plot.Axes.Bottom);
        KeepTwoDecades(plot, runs.SelectMany(r => r.PosWeight.Append(GeometricMean(r.PosWeight))));
        plot.Axes.SetLimitsY(0, 1.08);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        plot.Title(title);
        plot.XLabel("pos_weight (log scale); xN: each class at N × its auto weight, macro at their geometric mean");
        plot.YLabel("score on the test split");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>Where every pos_weight lies within less than two decades, widens the x axis to two decades around
    /// them: the log axis's integer-only ticks need two powers of ten in view (with one, or all points on one x,
    /// ScottPlot's minor-tick generator does not finish).</summary>
    private static void KeepTwoDecades(Plot plot, IEnumerable<double> posWeights)
    {
        var xs = posWeights.Where(w => w > 0 && double.IsFinite(w)).Select(System.Math.Log10).ToArray();
        if (xs.Length == 0)
        {
            plot.Axes.SetLimitsX(-1, 1);
            return;
        }

        double low = xs.Min(), high = xs.Max();
        if (high - low < 2)
        {
            double middle = (low + high) / 2;
            plot.Axes.SetLimitsX(middle - 1.1, middle + 1.1);
        }
    }

    private static double GeometricMean(double[] values) => System.Math.Exp(values.Average(System.Math.Log));
}
