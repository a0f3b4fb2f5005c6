using ScottPlot;
using WeightedCrossEntropy.Cli.Io;

namespace WeightedCrossEntropy.Cli.Plotting;

/// <summary>Saves a plot as PNG or SVG by the file's extension, through a temporary file.</summary>
internal static class PlotFile
{
    public const int Width = 1000;
    public const int Height = 600;

    /// <summary>Refuses an extension other than .png or .svg, or a missing folder, before any work is done.</summary>
    public static void Check(string path)
    {
        if (!IsPng(path) && !IsSvg(path))
        {
            throw new UserErrorException(path, "unknown plot type: the name must end in .png or .svg");
        }

        AtomicFile.CheckWritable(path);
    }

    public static void Save(Plot plot, string path)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var bytes = IsSvg(path)
            ? System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(Width, Height))
            : plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, bytes);
    }

    /// <summary>A log10 axis: the data are plotted as log10(value) and the ticks are labelled with the value.</summary>
    public static void UseLogScale(IAxis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = v => System.Math.Pow(10, v).ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static bool IsPng(string path) => Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase);

    private static bool IsSvg(string path) => Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase);
}
