namespace WeightedCrossEntropy.Cli.Training;

/// <summary>
/// A linear model with one sigmoid output per class (one-vs-rest logistic regression): logits = X·W + b, trained by
/// full-batch Adam on the mean weighted cross-entropy, whose value and gradient with respect to the logits come
/// from one call to the library's fused <see cref="Nn.WeightedCrossEntropyWithLogitsAndGradient{T}"/>.
/// </summary>
internal sealed class LogisticModel
{
    /// <summary>√double.MaxValue, rounded down: the largest gradient Adam can square.</summary>
    private const double MaxGradient = 1.3e154;

    private readonly int d;
    private readonly int c;

    /// <summary>d × C weights then C biases, zero to start: training is deterministic with no random start.</summary>
    private readonly double[] parameters;

    public LogisticModel(int features, int classes)
    {
        d = features;
        c = classes;
        parameters = new double[(features + 1) * classes];
    }

    /// <summary>The training loss after each epoch (before the epoch's update).</summary>
    public List<double> LossHistory { get; } = [];

    /// <param name="x">Standardized features, row-major n × d.</param>
    /// <param name="targets">Row-major n × C, 0 or 1.</param>
    /// <param name="posWeight">One weight per class.</param>
    /// <param name="progress">Told the number of epochs done.</param>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite at some epoch, or the gradient too
    /// large to square.</exception>
    public void Fit(
        double[] x, double[] targets, double[] posWeight, TrainingOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(options);
        int n = x.Length / d;
        var logits = new double[n * c];
        var logitsGradient = new double[n * c];
        var gradient = new double[parameters.Length];
        var adam = new Adam(parameters.Length, options.LearningRate);
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            Predict(x, logits);
            double loss = Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(
                targets, logits, posWeight, logitsGradient, Reduction.Mean);
            LossHistory.Add(loss);
            if (!double.IsFinite(loss))
            {
                throw new TrainingDivergedException(epoch + 1, loss, "the training loss is not a finite number");
            }

            Backward(x, logitsGradient, gradient, options.L2);
            foreach (double g in gradient)
            {
                // Adam squares the gradient: beyond √MaxValue that is ∞, and the step silently becomes 0.
                if (!(System.Math.Abs(g) < MaxGradient))
                {
                    throw new TrainingDivergedException(epoch + 1, loss, "the gradient overflows");
                }
            }

            adam.Update(parameters, gradient);
            if (progress is not null && (epoch + 1) % 50 == 0)
            {
                progress.Report(epoch + 1);
            }
        }
    }

    /// <summary>Logits for row-major n × d features into n × C.</summary>
    public void Predict(ReadOnlySpan<double> x, Span<double> logits)
    {
        int n = x.Length / d;
        var bias = parameters.AsSpan(d * c, c);
        for (int i = 0; i < n; i++)
        {
            var row = logits.Slice(i * c, c);
            bias.CopyTo(row);
            for (int j = 0; j < d; j++)
            {
                double xij = x[(i * d) + j];
                var w = parameters.AsSpan(j * c, c);
                for (int k = 0; k < c; k++)
                {
                    row[k] += xij * w[k];
                }
            }
        }
    }

    public double[] Predict(ReadOnlySpan<double> x)
    {
        var logits = new double[x.Length / d * c];
        Predict(x, logits);
        return logits;
    }

    /// <summary>∂loss/∂W = Xᵀ·G + l2·W and ∂loss/∂b = Σ rows of G, with G = ∂loss/∂logits.</summary>
    private void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> g, Span<double> gradient, double l2)
    {
        int n = x.Length / d;
        gradient.Clear();
        var gradientBias = gradient.Slice(d * c, c);
        for (int i = 0; i < n; i++)
        {
            var gi = g.Slice(i * c, c);
            for (int j = 0; j < d; j++)
            {
                double xij = x[(i * d) + j];
                var gw = gradient.Slice(j * c, c);
                for (int k = 0; k < c; k++)
                {
                    gw[k] += xij * gi[k];
                }
            }

            for (int k = 0; k < c; k++)
            {
                gradientBias[k] += gi[k];
            }
        }

        for (int k = 0; k < d * c; k++)
        {
            gradient[k] += l2 * parameters[k];
        }
    }
}
