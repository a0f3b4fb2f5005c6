using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using WeightedCrossEntropy.Testing;

namespace WeightedCrossEntropy.MLNet.Tests.Support;

/// <summary>A binary data set: features per row and a label (true = the positive class).</summary>
internal sealed record Dataset(string Name, float[][] Features, bool[] Labels)
{
    public int Count => Labels.Length;

    public int Dimension => Features[0].Length;

    public int Positives => Labels.Count(l => l);

    /// <summary>data/breast_cancer.csv with malignant (label 0 in the file) as the positive class.</summary>
    public static Dataset BreastCancer() => Load(
        "breast_cancer.csv", "breast cancer, malignant", f => f.Take(30).ToArray(), f => f[30] == "0");

    /// <summary>data/yeast.csv: one localization site against the rest.</summary>
    public static Dataset Yeast(string positiveClass) => Load(
        "yeast.csv", "yeast, " + positiveClass, f => f.Skip(1).Take(8).ToArray(), f => f[9] == positiveClass);

    private static Dataset Load(
        string file, string name, Func<string[], string[]> features, Func<string[], bool> label)
    {
        var path = RepoFiles.Data(file);
        var rows = new List<float[]>();
        var labels = new List<bool>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            rows.Add(features(f).Select(s => float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray());
            labels.Add(label(f));
        }

        return new Dataset(name, rows.ToArray(), labels.ToArray());
    }

    /// <summary>A stratified split: a fraction of each class's rows (shuffled by the seed) for training, the rest
    /// held out; features standardized with the training rows' mean and standard deviation.</summary>
    public (Dataset Train, Dataset Test) Split(int seed, double trainFraction = 0.7)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var cls in new[] { true, false })
        {
            var indices = Enumerable.Range(0, Count).Where(i => Labels[i] == cls).ToArray();
            random.Shuffle(indices);
            int cut = (int)System.Math.Round(indices.Length * trainFraction);
            train.AddRange(indices.Take(cut));
            test.AddRange(indices.Skip(cut));
        }

        train.Sort();
        test.Sort();
        var mean = new double[Dimension];
        var sd = new double[Dimension];
        for (int j = 0; j < Dimension; j++)
        {
            mean[j] = train.Average(i => (double)Features[i][j]);
            sd[j] = System.Math.Sqrt(train.Average(i => System.Math.Pow(Features[i][j] - mean[j], 2)));
            if (sd[j] == 0)
            {
                sd[j] = 1;
            }
        }

        Dataset Take(List<int> rows, string part) => new(
            $"{Name} ({part})",
            rows.Select(i => Features[i].Select((v, j) => (float)((v - mean[j]) / sd[j])).ToArray()).ToArray(),
            rows.Select(i => Labels[i]).ToArray());
        return (Take(train, "train"), Take(test, "test"));
    }

    /// <summary>The rows as an ML.NET data view: Label (Boolean), Features (vector of Single) and Weight (Single:
    /// <paramref name="positiveWeight"/> on positive rows, 1 on negative ones).</summary>
    public IDataView ToDataView(MLContext ml, float positiveWeight = 1)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        var rows = Enumerable.Range(0, Count).Select(i => new Row
        {
            Label = Labels[i],
            Features = Features[i],
            Weight = Labels[i] ? positiveWeight : 1,
        }).ToArray();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    public sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];

        public float Weight { get; set; }
    }
}
