using System.Globalization;
using WeightedCrossEntropy.Cli.Io;

namespace WeightedCrossEntropy.Cli.Training;

/// <summary>
/// A pos_weight as the training commands take it: <c>none</c> (1 for every class), <c>auto</c> (negatives/positives
/// per class on the training split), <c>xN</c> (N times auto), a number for every class, or a comma-separated list
/// with one per class.
/// </summary>
internal sealed record PosWeightSpec(string Text, double[]? Values, double AutoFactor)
{
    public bool IsRelative => Values is null;

    /// <summary>How the value is shown in tables: <c>1</c>, <c>x1 (auto)</c>, <c>x0.5</c>, <c>2,3,1</c>.</summary>
    public string Label => Values switch
    {
        null when AutoFactor == 1 => "x1 (auto)",
        null => "x" + AutoFactor.ToString("G", CultureInfo.InvariantCulture),
        _ => string.Join(",", Values.Select(v => v.ToString("G", CultureInfo.InvariantCulture))),
    };

    public static PosWeightSpec Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new PosWeightSpec("none", [1.0], 0);
        }

        if (t.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return new PosWeightSpec("auto", null, 1);
        }

        if (t.StartsWith('x') || t.StartsWith('X'))
        {
            return new PosWeightSpec(t, null, Positive(t[1..], option, t));
        }

        var entries = Entries(t, option);
        var values = entries.Select(v => Positive(v, option, t)).ToArray();
        return new PosWeightSpec(t, values, 0);
    }

    /// <summary>A list for <c>wce sweep</c>: each entry a positive number or <c>xN</c> (also none and auto).</summary>
    public static List<PosWeightSpec> ParseList(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim().Length == 0)
        {
            throw new UserErrorException(option, "give at least one pos_weight");
        }

        return Entries(text.Trim(), option).Select(item => Parse(item, option)).ToList();
    }

    /// <summary>The weight of each output, given the auto weights; an <c>xN</c> that overflows for some class is
    /// refused, naming the class.</summary>
    public double[] Resolve(double[] auto, string option, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(auto);
        if (Values is null)
        {
            var weights = auto.Select(a => a * AutoFactor).ToArray();
            int bad = Array.FindIndex(weights, w => !double.IsFinite(w));
            if (bad >= 0)
            {
                string name = classNames is not null && bad < classNames.Count ? classNames[bad] : $"{bad + 1}";
                throw new UserErrorException(option, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Text} gives class {name} pos_weight {weights[bad]} ({AutoFactor:G} × auto {auto[bad]:G4}); give a smaller factor"));
            }

            return weights;
        }

        if (Values.Length == 1)
        {
            return Enumerable.Repeat(Values[0], auto.Length).ToArray();
        }

        if (Values.Length != auto.Length)
        {
            throw new UserErrorException(
                option, $"{Values.Length} weights for {auto.Length} {(auto.Length == 1 ? "output" : "classes")}; give one number, or one per class");
        }

        return Values;
    }

    /// <summary>The comma-separated entries of <paramref name="text"/>, trimmed; an empty one is refused by its
    /// position.</summary>
    private static string[] Entries(string text, string option)
    {
        var entries = text.Split(',', StringSplitOptions.TrimEntries);
        int empty = Array.FindIndex(entries, e => e.Length == 0);
        if (empty >= 0)
        {
            throw new UserErrorException(option, string.Create(
                CultureInfo.InvariantCulture,
                $"entry {empty + 1} of '{text}' is empty; separate the pos_weights by single commas"));
        }

        return entries;
    }

    private static double Positive(string text, string option, string whole)
    {
        if (!Numbers.TryParse(text, out double value) || !double.IsFinite(value) || value <= 0)
        {
            throw new UserErrorException(
                option, $"{Quoted.Text(whole)} is not none, auto, xN or positive numbers: pos_weight must be a finite number > 0");
        }

        return value;
    }
}
