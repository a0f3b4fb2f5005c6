namespace WeightedCrossEntropy.Cli.Training;

/// <summary>Shifts and scales each feature to mean 0 and standard deviation 1 on the training split; a constant
/// feature is only shifted.</summary>
internal sealed class Standardizer
{
    private readonly double[] mean;
    private readonly double[] scale;

    private Standardizer(double[] mean, double[] scale)
    {
        this.mean = mean;
        this.scale = scale;
    }

    /// <param name="features">Row-major n × d.</param>
    public static Standardizer Fit(ReadOnlySpan<double> features, int d)
    {
        int n = features.Length / d;
        var mean = new double[d];
        var scale = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += features[(i * d) + j];
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double t = features[(i * d) + j] - mean[j];
                scale[j] += t * t;
            }
        }

        for (int j = 0; j < d; j++)
        {
            double std = System.Math.Sqrt(scale[j] / n);
            scale[j] = std > 0 ? 1.0 / std : 1.0;
        }

        return new Standardizer(mean, scale);
    }

    public double[] Transform(ReadOnlySpan<double> features)
    {
        int d = mean.Length;
        var result = new double[features.Length];
        for (int k = 0; k < features.Length; k++)
        {
            int j = k % d;
            result[k] = (features[k] - mean[j]) * scale[j];
        }

        return result;
    }
}
