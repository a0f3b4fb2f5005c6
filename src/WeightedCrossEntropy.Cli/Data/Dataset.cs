namespace WeightedCrossEntropy.Cli.Data;

/// <summary>
/// A classification data set ready for training: n samples of d numeric features and C binary targets (one
/// sigmoid output each: C = 1 for a binary label, one per class for one-vs-rest, or several labels per sample).
/// </summary>
internal sealed class Dataset
{
    private readonly string? source;

    public Dataset(string name, string[] featureNames, string[] classNames, double[] features, double[] targets, int[] strata)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(strata);
        Name = name;
        FeatureNames = featureNames;
        ClassNames = classNames;
        Features = features;
        Targets = targets;
        Strata = strata;
        if (features.Length != Count * FeatureCount || targets.Length != Count * ClassCount)
        {
            throw new ArgumentException("Features, targets and strata disagree on the number of samples.");
        }
    }

    /// <summary>What to call the data set in output: its file name.</summary>
    public string Name { get; }

    public string[] FeatureNames { get; }

    /// <summary>One name per output: the class of a one-vs-rest output, or a binary label's positive class.</summary>
    public string[] ClassNames { get; }

    /// <summary>Row-major n × d.</summary>
    public double[] Features { get; }

    /// <summary>Row-major n × C, each 0 or 1.</summary>
    public double[] Targets { get; }

    /// <summary>What the split keeps in proportion, one value per sample: the class, or for several labels per
    /// sample the rarest label it has.</summary>
    public int[] Strata { get; }

    public int Count => Strata.Length;

    public string StratumName(int stratum) =>
        StratumNames is not null && stratum >= 0 && stratum < StratumNames.Length
            ? StratumNames[stratum]
            : stratum.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public int FeatureCount => FeatureNames.Length;

    public int ClassCount => ClassNames.Length;

    /// <summary>The file as the user named it, for error messages; <see cref="Name"/> where there is none.</summary>
    public string Source
    {
        get => source ?? Name;
        init => source = value;
    }

    /// <summary>What to call each stratum (a class) in messages; stratum numbers where not given.</summary>
    public string[]? StratumNames { get; init; }

    /// <summary>A description such as "binary (positive class: 1)" for the output's first lines.</summary>
    public string? Kind { get; init; }

    /// <summary>For each sample, the first sample with the same features and targets: exact duplicates (yeast has
    /// 22 pairs) are kept on one side of the split, so the test set never holds a copy of a training row.</summary>
    public int[] DuplicateGroups()
    {
        var groups = new int[Count];
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Count; i++)
        {
            var key = string.Join(
                ',',
                Features.AsSpan(i * FeatureCount, FeatureCount).ToArray().Concat(Targets.AsSpan(i * ClassCount, ClassCount).ToArray())
                    .Select(v => BitConverter.DoubleToInt64Bits(v).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            groups[i] = first.TryGetValue(key, out int g) ? g : first[key] = i;
        }

        return groups;
    }
}
