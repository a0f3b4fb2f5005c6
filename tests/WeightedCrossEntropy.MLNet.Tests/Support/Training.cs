using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace WeightedCrossEntropy.MLNet.Tests.Support;

/// <summary>ML.NET's linear binary trainers, one thread, as the tests run them.</summary>
internal static class Training
{
    /// <summary>SdcaNonCalibrated with one thread, no L1, the bias regularized (SDCA's default), and the Weight
    /// column as example weight where <paramref name="exampleWeights"/>.</summary>
    public static BinaryPredictionTransformer<LinearBinaryModelParameters> Sdca(
        MLContext ml, IDataView data, ISupportSdcaClassificationLoss loss, double lambda, double tolerance,
        int maxIterations, bool exampleWeights = false)
    {
        var options = new SdcaNonCalibratedBinaryTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            ExampleWeightColumnName = exampleWeights ? "Weight" : null,
            LossFunction = loss,
            L2Regularization = (float)lambda,
            L1Regularization = 0,
            NumberOfThreads = 1,
            ConvergenceTolerance = (float)tolerance,
            MaximumNumberOfIterations = maxIterations,
            BiasLearningRate = 0,
            Shuffle = true,
        };
        return ml.BinaryClassification.Trainers.SdcaNonCalibrated(options).Fit(data);
    }

    public static BinaryPredictionTransformer<LinearBinaryModelParameters> Sgd(MLContext ml, IDataView data, IClassificationLoss loss)
    {
        var options = new SgdNonCalibratedTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            LossFunction = loss,
            NumberOfThreads = 1,
            NumberOfIterations = 20,
            Shuffle = true,
        };
        return ml.BinaryClassification.Trainers.SgdNonCalibrated(options).Fit(data);
    }

    public static BinaryPredictionTransformer<LinearBinaryModelParameters> AveragedPerceptron(MLContext ml, IDataView data, IClassificationLoss loss)
    {
        var options = new AveragedPerceptronTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            LossFunction = loss,
            NumberOfIterations = 10,
            Shuffle = true,
        };
        return ml.BinaryClassification.Trainers.AveragedPerceptron(options).Fit(data);
    }

    /// <summary>Held-out counts: true positives, false positives, false negatives, predicting positive where the
    /// model's score w·x + b is &gt; 0 (ML.NET's PredictedLabel for a non-calibrated linear model).</summary>
    public static (int Tp, int Fp, int Fn) Confusion(
        MLContext ml, BinaryPredictionTransformer<LinearBinaryModelParameters> transformer, Dataset test)
    {
        var scored = transformer.Transform(test.ToDataView(ml));
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < test.Count; i++)
        {
            if (predicted[i] && test.Labels[i]) { tp++; }
            else if (predicted[i]) { fp++; }
            else if (test.Labels[i]) { fn++; }
        }

        return (tp, fp, fn);
    }
}
