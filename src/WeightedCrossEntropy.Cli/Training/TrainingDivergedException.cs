namespace WeightedCrossEntropy.Cli.Training;

/// <summary>Training stopped because the loss or the scores stopped being finite numbers: the weights ran off to
/// infinity (a pos_weight or learning rate far too large, or features of extreme magnitude).</summary>
internal sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException()
    {
    }

    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="epoch">The epoch (1-based) where it was seen.</param>
    /// <param name="loss">The training loss there.</param>
    /// <param name="what">What was not finite.</param>
    public TrainingDivergedException(int epoch, double loss, string what)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} at epoch {epoch} (training loss {loss:G4})"))
    {
        Epoch = epoch;
        Loss = loss;
    }

    public int Epoch { get; }

    public double Loss { get; }
}
