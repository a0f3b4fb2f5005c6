using WeightedCrossEntropy.Cli.Data;

namespace WeightedCrossEntropy.Cli.Training;

/// <summary>The result of training with one pos_weight: the weights used, each output's test metrics, their macro
/// average, and the final training loss.</summary>
internal sealed record RunResult(
    PosWeightSpec Spec, double[] PosWeight, IReadOnlyList<ClassMetrics> Classes, ClassMetrics Macro, double FinalLoss,
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
        var posWeight = spec.Resolve(AutoPosWeight, option);
        var model = new LogisticModel(Dataset.FeatureCount, c);
        model.Fit(trainX, trainY, posWeight, Options, progress);
        var logits = model.Predict(testX);
        var classes = new List<ClassMetrics>();
        for (int k = 0; k < c; k++)
        {
            classes.Add(ClassMetrics.Compute(Column(TestTargets, c, k), Column(logits, c, k)));
        }

        return new RunResult(spec, posWeight, classes, ClassMetrics.Macro(classes), model.LossHistory[^1], TestTargets, logits);
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
