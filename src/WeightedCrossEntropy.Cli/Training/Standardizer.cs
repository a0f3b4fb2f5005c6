namespace WeightedCrossEntropy.Cli.Training;

/// <summary>Shifts and scales each feature to mean 0 and standard deviation 1 on the training split; a constant
/// feature is only shifted. Each feature is first multiplied by a power of two that brings its largest magnitude on
/// the training split near 1 (exact: it changes no result for ordinary values), so that a column of any finite
/// magnitude, up to ±1.8e308 or down to subnormal numbers, is standardized like the same column in other units
/// rather than overflowing to infinity or underflowing to zero.</summary>
internal sealed class Standardizer
{
    private readonly int[] exponent;
    private readonly double[] mean;
    private readonly double[] scale;

    private Standardizer(int[] exponent, double[] mean, double[] scale)
    {
        this.exponent = exponent;
        this.mean = mean;
        this.scale = scale;
    }

    /// <param name="features">Row-major n × d, finite.</param>
    public static Standardizer Fit(ReadOnlySpan<double> features, int d)
    {
        int n = features.Length / d;
        var exponent = new int[d];
        var mean = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double largest = 0;
            for (int i = 0; i < n; i++)
            {
                largest = System.Math.Max(largest, System.Math.Abs(features[(i * d) + j]));
            }

            // 2^exponent × largest lies in [0.5, 1): sums of n squares stay far from overflow and underflow.
            exponent[j] = largest > 0 && double.IsFinite(largest) ? -System.Math.ILogB(largest) - 1 : 0;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += System.Math.ScaleB(features[(i * d) + j], exponent[j]);
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
                double t = System.Math.ScaleB(features[(i * d) + j], exponent[j]) - mean[j];
                scale[j] += t * t;
            }
        }

        for (int j = 0; j < d; j++)
        {
            double std = System.Math.Sqrt(scale[j] / n);
            scale[j] = std > 0 ? 1.0 / std : 1.0;
        }

        return new Standardizer(exponent, mean, scale);
    }

    public double[] Transform(ReadOnlySpan<double> features)
    {
        int d = mean.Length;
        var result = new double[features.Length];
        for (int k = 0; k < features.Length; k++)
        {
            int j = k % d;
            result[k] = (System.Math.ScaleB(features[k], exponent[j]) - mean[j]) * scale[j];
        }

        return result;
    }
}
