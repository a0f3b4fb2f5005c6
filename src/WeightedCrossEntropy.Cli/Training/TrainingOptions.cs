namespace WeightedCrossEntropy.Cli.Training;

/// <summary>How a model is trained and evaluated. The defaults are what <c>wce train</c> uses.</summary>
internal sealed record TrainingOptions
{
    public int Epochs { get; init; } = 300;

    public double LearningRate { get; init; } = 0.1;

    /// <summary>L2 penalty on the weights (not the biases), added to the mean loss: keeps separable classes finite.</summary>
    public double L2 { get; init; } = 1e-4;

    public double TestFraction { get; init; } = 0.3;

    public ulong Seed { get; init; }
}
