using WeightedCrossEntropy.Cli.Data;

namespace WeightedCrossEntropy.Cli.Training;

/// <summary>The result of training with one pos_weight: the weights used, each output's test metrics, their macro
/// average, and the final training loss.</summary>
internal sealed record RunResult(
    PosWeightSpec Spec, double[] PosWeight, IReadOnlyList<ClassMetrics> Classes, MacroMetrics Macro, double FinalLoss,
    double[] TestTargets, double[] TestLogits);

/// <summary>
/// A data set split (stratified, seeded, duplicates kept together) and standardized once, on which models are
/// trained with different pos_weights and scored on the same test split.
/// </summary>
internal sealed class Experiment
{
    private readonly double[] trainX;
    private readonly double[] trainY;
    private readonly double[] testX;

    public Experiment(Dataset dataset, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        Dataset = dataset;
        Options = options;
        (TrainIndices, TestIndices) = StratifiedSplit.Split(dataset.Strata, dataset.DuplicateGroups(), options.TestFraction, options.Seed);
        int d = dataset.FeatureCount, c = dataset.ClassCount;
        var rawTrain = Rows(dataset.Features, d, TrainIndices);
        var standardizer = Standardizer.Fit(rawTrain, d);
        trainX = standardizer.Transform(rawTrain);
        testX = standardizer.Transform(Rows(dataset.Features, d, TestIndices));
        trainY = Rows(dataset.Targets, c, TrainIndices);
        TestTargets = Rows(dataset.Targets, c, TestIndices);
        CheckEnoughData(dataset, TestTargets);
        AutoPosWeight = new double[c];
        for (int k = 0; k < c; k++)
        {
            double positives = 0;
            for (int i = 0; i < TrainIndices.Length; i++)
            {
                positives += trainY[(i * c) + k];
            }

            AutoPosWeight[k] = positives > 0 ? (TrainIndices.Length - positives) / positives : 1.0;
        }
    }

    public Dataset Dataset { get; }

    public TrainingOptions Options { get; }

    public int[] TrainIndices { get; }

    public int[] TestIndices { get; }

    public double[] TestTargets { get; }

    /// <summary>Negatives/positives per class on the training split (1 for a class with no training positive).</summary>
    public double[] AutoPosWeight { get; }

    public RunResult Run(PosWeightSpec spec, string option, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int c = Dataset.ClassCount;
        var posWeight = spec.Resolve(AutoPosWeight, option, Dataset.ClassNames);
        var model = new LogisticModel(Dataset.FeatureCount, c);
        double[] logits;
        try
        {
            model.Fit(trainX, trainY, posWeight, Options, progress);
            logits = model.Predict(testX);
            if (logits.Any(double.IsNaN))
            {
                throw new TrainingDivergedException(Options.Epochs, double.NaN, "a test score is NaN");
            }
        }
        catch (TrainingDivergedException e)
        {
            string weight = spec.Values is { Length: 1 } ? spec.Label : $"{spec.Label} (largest {posWeight.Max():G4})";
            throw new UserErrorException("training", string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"diverged with pos_weight {weight} and --learning-rate {Options.LearningRate:G4}: {e.Message}; try a smaller pos_weight or learning rate"));
        }

        var classes = new List<ClassMetrics>();
        for (int k = 0; k < c; k++)
        {
            classes.Add(ClassMetrics.Compute(Column(TestTargets, c, k), Column(logits, c, k)));
        }

        return new RunResult(spec, posWeight, classes, MacroMetrics.Of(classes), model.LossHistory[^1], TestTargets, logits);
    }

    /// <summary>Refuses a split with nothing to score: no test sample, or no output with a positive test sample
    /// (every class too small to have a row on both sides).</summary>
    private void CheckEnoughData(Dataset dataset, double[] testTargets)
    {
        bool scored = false;
        for (int i = 0; i < testTargets.Length && !scored; i++)
        {
            scored = testTargets[i] > 0.5;
        }

        if (TestIndices.Length > 0 && scored)
        {
            return;
        }

        var groups = dataset.DuplicateGroups();
        var distinct = new SortedDictionary<int, HashSet<int>>();
        for (int i = 0; i < dataset.Count; i++)
        {
            if (!distinct.TryGetValue(dataset.Strata[i], out var set))
            {
                distinct[dataset.Strata[i]] = set = [];
            }

            set.Add(groups[i]);
        }

        var counts = string.Join(", ", distinct.Select(p => string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"{dataset.StratumName(p.Key)} {p.Value.Count}")));
        throw new UserErrorException(
            dataset.Source,
            string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"too little data to train and test: {dataset.Count} rows (distinct rows per class: {counts}), and no output has a positive sample in the test split; ")
            + "each class needs at least 2 distinct rows, one to train on and one to test on");
    }

    private static double[] Rows(double[] data, int width, int[] indices)
    {
        var rows = new double[indices.Length * width];
        for (int i = 0; i < indices.Length; i++)
        {
            Array.Copy(data, indices[i] * width, rows, i * width, width);
        }

        return rows;
    }

    private static double[] Column(double[] data, int width, int k)
    {
        var column = new double[data.Length / width];
        for (int i = 0; i < column.Length; i++)
        {
            column[i] = data[(i * width) + k];
        }

        return column;
    }
}
