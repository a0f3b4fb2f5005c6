using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using WeightedCrossEntropy.MLNet.Tests.Support;

namespace WeightedCrossEntropy.MLNet.Tests;

/// <summary>
/// Held-out precision and recall of ML.NET's linear trainers with <see cref="LogLoss"/> and with
/// <see cref="WeightedLogLoss"/> at pos_weight = negatives / positives of the training split, pooled over five
/// stratified 70/30 splits (features standardized on the training rows). The tables in docs/mlnet.md are this test's
/// output (run the test executable with -showliveoutput).
/// </summary>
public sealed class HeldOutTests
{
    private const int Splits = 5;

    public static TheoryData<string, string> Cases => new()
    {
        { "breast cancer", "SDCA" },
        { "yeast VAC", "SDCA" },
        { "breast cancer", "SGD" },
        { "yeast VAC", "SGD" },
        { "breast cancer", "AveragedPerceptron" },
        { "yeast VAC", "AveragedPerceptron" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Recall_rises_with_pos_weight_negatives_over_positives(string name, string trainer)
    {
        var data = name == "breast cancer" ? Dataset.BreastCancer() : Dataset.Yeast("VAC");
        (int Tp, int Fp, int Fn) plain = default, weighted = default;
        var weights = new List<double>();
        for (int seed = 1; seed <= Splits; seed++)
        {
            var (train, test) = data.Split(seed);
            var ml = new MLContext(seed: seed);
            var loss = WeightedLogLoss.FromLabels(train.ToDataView(ml));
            weights.Add(loss.PosWeight);
            plain = Add(plain, Training.Confusion(ml, Fit(new MLContext(seed: seed), train, new LogLoss(), trainer), test));
            weighted = Add(weighted, Training.Confusion(ml, Fit(new MLContext(seed: seed), train, loss, trainer), test));
        }

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {data.Name} ({data.Positives} of {data.Count}) | {trainer} | LogLoss | {Row(plain)} |"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {data.Name} ({data.Positives} of {data.Count}) | {trainer} | WeightedLogLoss, q = {Range(weights)} | {Row(weighted)} |"));

        Assert.True(Recall(weighted) > Recall(plain),
            $"recall {Recall(weighted):F3} with pos_weight vs {Recall(plain):F3} with LogLoss ({trainer}, {data.Name})");
    }

    private static BinaryPredictionTransformer<LinearBinaryModelParameters> Fit(
        MLContext ml, Dataset train, ISupportSdcaClassificationLoss loss, string trainer) => trainer switch
        {
            "SDCA" => Training.Sdca(ml, train.ToDataView(ml), loss, lambda: 0.1, tolerance: 1e-4, maxIterations: 1000),
            "SGD" => Training.Sgd(ml, train.ToDataView(ml), loss),
            _ => Training.AveragedPerceptron(ml, train.ToDataView(ml), loss),
        };

    private static string Range(List<double> q) => q.Min() == q.Max()
        ? q[0].ToString("0.##", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{q.Min():0.##}–{q.Max():0.##}");

    private static (int, int, int) Add((int Tp, int Fp, int Fn) a, (int Tp, int Fp, int Fn) b) =>
        (a.Tp + b.Tp, a.Fp + b.Fp, a.Fn + b.Fn);

    private static double Recall((int Tp, int Fp, int Fn) c) => (double)c.Tp / (c.Tp + c.Fn);

    private static string Row((int Tp, int Fp, int Fn) c)
    {
        string precision = c.Tp + c.Fp == 0 ? "– (none predicted)" : ((double)c.Tp / (c.Tp + c.Fp)).ToString("F3", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{precision} | {Recall(c):F3} | {c.Tp} | {c.Fp} | {c.Fn}");
    }
}
