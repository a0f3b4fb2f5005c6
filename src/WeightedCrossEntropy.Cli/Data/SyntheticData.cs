using System.Globalization;
using WeightedCrossEntropy.Cli.Training;

namespace WeightedCrossEntropy.Cli.Data;

/// <summary>
/// The built-in data set of <c>wce demo</c>, generated in code from a fixed seed, the same on every machine:
/// 6,000 samples of 12 standard normal features and 10 labels per sample (multi-label), with prevalence falling
/// geometrically from 30% (L1) to 0.5% (L10). Label k is on for the samples with the highest scores
/// wₖ·x + εₖ, where wₖ is a random unit direction and εₖ is normal noise of standard deviation 1 that the features
/// do not see, so no linear model separates a label perfectly and pos_weight has a trade-off to make.
/// </summary>
internal static class SyntheticData
{
    public const int Samples = 4000;
    public const int Features = 10;
    public const int Labels = 10;
    public const double Noise = 0.5;
    public const ulong Seed = 20_240_601;

    /// <summary>Prevalence of label k (0-based): 30% × (0.5% / 30%)^(k / 9).</summary>
    public static double Prevalence(int k) => 0.30 * System.Math.Pow(0.005 / 0.30, k / (double)(Labels - 1));

    public static Dataset Generate()
    {
        var random = new SplitMix64(Seed);
        var x = new double[Samples * Features];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextGaussian();
        }

        var targets = new double[Samples * Labels];
        var names = new string[Labels];
        for (int k = 0; k < Labels; k++)
        {
            names[k] = "L" + (k + 1).ToString(CultureInfo.InvariantCulture);
            var w = new double[Features];
            double norm = 0;
            for (int j = 0; j < Features; j++)
            {
                w[j] = random.NextGaussian();
                norm += w[j] * w[j];
            }

            norm = System.Math.Sqrt(norm);
            var scores = new double[Samples];
            for (int i = 0; i < Samples; i++)
            {
                double s = 0;
                for (int j = 0; j < Features; j++)
                {
                    s += x[(i * Features) + j] * w[j] / norm;
                }

                scores[i] = s + (Noise * random.NextGaussian());
            }

            var order = Enumerable.Range(0, Samples).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
            int positives = (int)System.Math.Round(Prevalence(k) * Samples);
            for (int r = 0; r < positives; r++)
            {
                targets[(order[r] * Labels) + k] = 1;
            }
        }

        // Stratify on each sample's rarest label (labels are ordered from common to rare), or none.
        var strata = new int[Samples];
        for (int i = 0; i < Samples; i++)
        {
            strata[i] = Labels;
            for (int k = Labels - 1; k >= 0; k--)
            {
                if (targets[(i * Labels) + k] > 0)
                {
                    strata[i] = k;
                    break;
                }
            }
        }

        var featureNames = Enumerable.Range(1, Features).Select(j => "x" + j.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new Dataset("synthetic", featureNames, names, x, targets, strata)
        {
            Kind = $"{Labels} labels per sample (multi-label), prevalence from 30% (L1) down to 0.5% (L10)",
        };
    }
}
