using System.CommandLine;
using WeightedCrossEntropy.Cli.Training;

namespace WeightedCrossEntropy.Cli.Commands;

/// <summary>The options <c>wce train</c>, <c>sweep</c> and <c>demo</c> share: how to train and split.</summary>
internal sealed class TrainingArguments
{
    private readonly Option<int> epochs = new("--epochs")
    {
        Description = "Full-batch Adam epochs.",
        DefaultValueFactory = _ => new TrainingOptions().Epochs,
        HelpName = "N",
    };

    private readonly Option<double> learningRate = new("--learning-rate")
    {
        Description = "Adam's learning rate.",
        DefaultValueFactory = _ => new TrainingOptions().LearningRate,
        HelpName = "RATE",
    };

    private readonly Option<double> testFraction = new("--test-fraction")
    {
        Description = "Share of each class held out for testing (stratified).",
        DefaultValueFactory = _ => new TrainingOptions().TestFraction,
        HelpName = "F",
    };

    private readonly Option<ulong> seed = new("--seed")
    {
        Description = "Seed of the train/test split; training itself has no randomness.",
        DefaultValueFactory = _ => new TrainingOptions().Seed,
        HelpName = "S",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(epochs);
        command.Options.Add(learningRate);
        command.Options.Add(testFraction);
        command.Options.Add(seed);
    }

    public TrainingOptions Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var options = new TrainingOptions
        {
            Epochs = result.GetValue(epochs),
            LearningRate = result.GetValue(learningRate),
            TestFraction = result.GetValue(testFraction),
            Seed = result.GetValue(seed),
        };
        if (options.Epochs < 1)
        {
            throw new UserErrorException("--epochs", "must be at least 1");
        }

        if (!(options.LearningRate > 0) || !double.IsFinite(options.LearningRate))
        {
            throw new UserErrorException("--learning-rate", "must be a finite number > 0");
        }

        if (!(options.TestFraction > 0 && options.TestFraction < 1))
        {
            throw new UserErrorException("--test-fraction", "must be between 0 and 1 (exclusive)");
        }

        return options;
    }
}
