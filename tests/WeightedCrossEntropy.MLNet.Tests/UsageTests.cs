using Microsoft.ML;
using WeightedCrossEntropy.MLNet.Tests.Support;

namespace WeightedCrossEntropy.MLNet.Tests;

/// <summary>The usage shown in docs/mlnet.md and PACKAGE.md, through the trainers' catalog methods.</summary>
public sealed class UsageTests
{
    [Fact]
    public void The_catalog_trainers_take_the_loss_as_documented()
    {
        var (trainSet, testSet) = Dataset.Yeast("VAC").Split(seed: 2);
        var ml = new MLContext(seed: 1);
        IDataView train = trainSet.ToDataView(ml);

        var loss = WeightedLogLoss.FromLabels(train);                      // negatives / positives: 48.48
        var sdca = ml.BinaryClassification.Trainers.SdcaNonCalibrated(lossFunction: loss, l2Regularization: 0.1f);
        var sgd = ml.BinaryClassification.Trainers.SgdNonCalibrated(lossFunction: loss);
        var perceptron = ml.BinaryClassification.Trainers.AveragedPerceptron(lossFunction: loss);

        foreach (var model in new[] { sdca.Fit(train), sgd.Fit(train), perceptron.Fit(train) })
        {
            Assert.All(model.Model.Weights, w => Assert.True(float.IsFinite(w)));
            var (tp, _, _) = Training.Confusion(ml, model, testSet);
            Assert.True(tp > 0, "the weighted model finds some of the rare class");
        }
    }
}
