using Microsoft.ML;
using Microsoft.ML.Trainers;
using WeightedCrossEntropy.MLNet.Tests.Support;

namespace WeightedCrossEntropy.MLNet.Tests;

/// <summary>
/// The independent check of the dual derivation: for hard labels the weighted loss is <see cref="LogLoss"/> with an
/// example weight of q on every positive, so SDCA must reach the same model both ways. Both runs must also meet
/// SDCA's own convergence rule against the true minimum of the primal problem, found here by Newton's method.
/// </summary>
public sealed class SdcaAgreementTests
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string, double> Cases => new()
    {
        { "breast cancer", 1e-3 },
        { "yeast VAC", 1e-2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sdca_with_the_weighted_loss_reaches_the_model_of_LogLoss_with_example_weights(string name, double lambda)
    {
        var data = name == "breast cancer" ? Dataset.BreastCancer() : Dataset.Yeast("VAC");
        var (train, _) = data.Split(seed: 1);
        var ml = new MLContext(seed: 1);
        var loss = WeightedLogLoss.FromLabels(train.ToDataView(ml));
        double q = loss.PosWeight;
        var weighted = Training.Sdca(new MLContext(seed: 1), train.ToDataView(ml), loss, lambda, Tolerance, 10_000).Model;
        var reference = Training.Sdca(
            new MLContext(seed: 1), train.ToDataView(ml, (float)q), new LogLoss(), lambda, Tolerance, 10_000,
            exampleWeights: true).Model;

        var (wStar, bStar) = Primal.Minimize(train, q, lambda);
        double pStar = Primal.Objective(train, q, lambda, wStar.Select(v => (float)v).ToArray(), (float)bStar);
        double pWeighted = Primal.Objective(train, q, lambda, weighted.Weights, weighted.Bias);
        double pReference = Primal.Objective(train, q, lambda, reference.Weights, reference.Bias);

        // SDCA ends where the relative duality gap is below the tolerance, and the gap bounds P − P*.
        double slack = 1e-12; // P* evaluated at the float-rounded minimizer
        Assert.True(pWeighted - pStar <= (Tolerance * pWeighted) + slack, $"weighted: P − P* = {pWeighted - pStar:E3}, P = {pWeighted}");
        Assert.True(pReference - pStar <= (Tolerance * pReference) + slack, $"LogLoss: P − P* = {pReference - pStar:E3}, P = {pReference}");

        // P is λ-strongly convex: |θ − θ*|² ≤ 2·(P − P*)/λ for each model, so they are this close to each other.
        double bound = System.Math.Sqrt(2 * Tolerance * pWeighted / lambda) + System.Math.Sqrt(2 * Tolerance * pReference / lambda);
        double distance = System.Math.Sqrt(
            weighted.Weights.Zip(reference.Weights, (a, b) => System.Math.Pow(a - b, 2)).Sum() +
            System.Math.Pow(weighted.Bias - reference.Bias, 2));
        double maxAbs = weighted.Weights.Zip(reference.Weights, (a, b) => (double)System.Math.Abs(a - b))
            .Append(System.Math.Abs(weighted.Bias - reference.Bias)).Max();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{name}: q = {q:R}, λ = {lambda}, |θ_weighted − θ_LogLoss|₂ = {distance:E3} (max {maxAbs:E3}), bound {bound:E3}; " +
            $"P − P*: weighted {pWeighted - pStar:E3}, LogLoss {pReference - pStar:E3}, P* = {pStar:R}");
        Assert.True(distance <= bound, $"|θ_weighted − θ_LogLoss| = {distance:E3} > {bound:E3}");
    }
}
