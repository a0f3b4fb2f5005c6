// Trains a small multi-label network on the yeast data (10 localization sites, one sigmoid output each, from 31%
// down to 0.3% of the proteins) with WeightedCrossEntropy.TorchSharp's BCEWithLogitsLoss, once with pos_weight 1 and
// once with pos_weight = negatives/positives per class (PosWeights.FromLabels), and prints each class's recall and
// precision on a held-out split. Usage: dotnet run --project samples/TorchSharpYeast [-c Release]
using System.Globalization;
using TorchSharp;
using WeightedCrossEntropy;
using WeightedCrossEntropy.TorchSharp;
using static TorchSharp.torch;

const int Epochs = 300;
const double LearningRate = 0.01;
const double TestFraction = 0.3;

var data = YeastData.Load(YeastData.FindRepositoryFile("data", "yeast.csv"));
var (train, test) = data.Split(TestFraction, seed: 7);
int classes = data.ClassNames.Length;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"yeast: {data.Rows.Count} distinct proteins, {classes} classes; train {train.Count}, held out {test.Count} (stratified, seed 7)"));
Console.WriteLine($"network: Linear(8, 32) → ReLU → Linear(32, {classes}); Adam, learning rate {LearningRate}, {Epochs} full-batch epochs, Mean loss");

var (trainX, trainY) = data.Tensors(train, data.Standardizer(train));
var (testX, testY) = data.Tensors(test, data.Standardizer(train));

float[] trainLabels = trainY.data<float>().ToArray();
float[] derived = PosWeights.FromLabels<float>(trainLabels, classes);
float[] ones = Enumerable.Repeat(1f, classes).ToArray();
Console.WriteLine("pos_weight (negatives/positives in the training split): " +
    string.Join(", ", data.ClassNames.Select((n, c) => string.Create(CultureInfo.InvariantCulture, $"{n} {derived[c]:0.#}"))));
Console.WriteLine();

var unweighted = TrainAndEvaluate(ones);
var weighted = TrainAndEvaluate(derived);

Console.WriteLine("class  held-out positives | recall: pos_weight 1 → derived | precision: pos_weight 1 → derived");
for (int c = 0; c < classes; c++)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{data.ClassNames[c],-5}  {unweighted.Positives[c],18} | {unweighted.Recall[c],17:0.00} → {weighted.Recall[c],-7:0.00} | {unweighted.Precision[c],20:0.00} → {weighted.Precision[c]:0.00}"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{"mean",-5}  {"",18} | {unweighted.Recall.Average(),17:0.00} → {weighted.Recall.Average(),-7:0.00} | {unweighted.Precision.Average(),20:0.00} → {weighted.Precision.Average():0.00}"));

Scores TrainAndEvaluate(float[] posWeight)
{
    using var scope = NewDisposeScope();
    manual_seed(1);
    var model = nn.Sequential(
        ("hidden", nn.Linear(8, 32)),
        ("relu", nn.ReLU()),
        ("output", nn.Linear(32, classes)));
    var lossFunction = Losses.BCEWithLogitsLoss(pos_weights: tensor(posWeight));
    var optimizer = optim.Adam(model.parameters(), LearningRate);
    for (int epoch = 0; epoch < Epochs; epoch++)
    {
        using var step = NewDisposeScope();
        optimizer.zero_grad();
        var loss = lossFunction.call(model.call(trainX), trainY);
        loss.backward();
        optimizer.step();
    }

    using var noGrad = no_grad();
    model.eval();
    float[] predicted = model.call(testX).gt(0).to(ScalarType.Float32).data<float>().ToArray();
    float[] actual = testY.data<float>().ToArray();
    return Scores.Of(predicted, actual, classes);
}

internal sealed record Scores(int[] Positives, double[] Recall, double[] Precision)
{
    public static Scores Of(float[] predicted, float[] actual, int classes)
    {
        var tp = new int[classes];
        var fp = new int[classes];
        var positives = new int[classes];
        for (int i = 0; i < actual.Length; i++)
        {
            int c = i % classes;
            bool p = predicted[i] > 0.5f;
            bool a = actual[i] > 0.5f;
            positives[c] += a ? 1 : 0;
            tp[c] += p && a ? 1 : 0;
            fp[c] += p && !a ? 1 : 0;
        }

        return new Scores(
            positives,
            Enumerable.Range(0, classes).Select(c => positives[c] == 0 ? 0 : (double)tp[c] / positives[c]).ToArray(),
            Enumerable.Range(0, classes).Select(c => tp[c] + fp[c] == 0 ? 0 : (double)tp[c] / (tp[c] + fp[c])).ToArray());
    }
}

/// <summary>The yeast proteins: 8 features and one of 10 sites, as one-vs-rest labels.</summary>
internal sealed class YeastData
{
    private YeastData(string[] classNames, List<(float[] Features, int Class)> rows)
    {
        ClassNames = classNames;
        Rows = rows;
    }

    public string[] ClassNames { get; }

    public List<(float[] Features, int Class)> Rows { get; }

    /// <summary>A file of the repository (the folder holding WeightedCrossEntropy.slnx), found from the working
    /// folder or the program's folder upwards.</summary>
    public static string FindRepositoryFile(params string[] parts)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WeightedCrossEntropy.slnx")))
                {
                    return Path.Combine([dir.FullName, .. parts]);
                }
            }
        }

        throw new FileNotFoundException(
            "Could not find the repository (a folder holding WeightedCrossEntropy.slnx) above " +
            Directory.GetCurrentDirectory() + "; run the sample from inside the checkout.");
    }

    /// <summary>Reads the file; exact duplicate rows are kept once, so that no protein is in both splits.</summary>
    public static YeastData Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var classNames = header[2..];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<(float[], int)>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || !seen.Add(lines[i]))
            {
                continue;
            }

            var f = lines[i].Split(',');
            int cls = Array.IndexOf(classNames, f[9]);
            if (f.Length < 10 || cls < 0)
            {
                throw new FormatException($"{path}:{i + 1}: expected NAME,f1,...,f8,CLASS with CLASS one of {string.Join(' ', classNames)}.");
            }

            rows.Add((f[1..9].Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray(), cls));
        }

        return new YeastData(classNames, rows);
    }

    /// <summary>Indices of a stratified split: per class, a shuffled <paramref name="testFraction"/> (at least one)
    /// held out.</summary>
    public (List<int> Train, List<int> Test) Split(double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, Rows.Count).GroupBy(i => Rows[i].Class).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            int held = Math.Max(1, (int)Math.Round(testFraction * members.Length));
            test.AddRange(members[..held]);
            train.AddRange(members[held..]);
        }

        train.Sort();
        test.Sort();
        return (train, test);
    }

    /// <summary>Per-feature mean and standard deviation of the given rows.</summary>
    public (float[] Mean, float[] Std) Standardizer(List<int> rows)
    {
        var mean = new float[8];
        var std = new float[8];
        for (int j = 0; j < 8; j++)
        {
            double m = rows.Average(i => Rows[i].Features[j]);
            double v = rows.Average(i => (Rows[i].Features[j] - m) * (Rows[i].Features[j] - m));
            mean[j] = (float)m;
            std[j] = (float)Math.Max(Math.Sqrt(v), 1e-6);
        }

        return (mean, std);
    }

    /// <summary>Standardized features [N, 8] and one-vs-rest labels [N, classes].</summary>
    public (Tensor X, Tensor Y) Tensors(List<int> rows, (float[] Mean, float[] Std) scale)
    {
        int classes = ClassNames.Length;
        var x = new float[rows.Count * 8];
        var y = new float[rows.Count * classes];
        for (int r = 0; r < rows.Count; r++)
        {
            var (features, cls) = Rows[rows[r]];
            for (int j = 0; j < 8; j++)
            {
                x[(r * 8) + j] = (features[j] - scale.Mean[j]) / scale.Std[j];
            }

            y[(r * classes) + cls] = 1;
        }

        return (tensor(x, [rows.Count, 8]), tensor(y, [rows.Count, classes]));
    }
}
