namespace WeightedCrossEntropy.Cli.Training;

/// <summary>
/// A small seeded generator (Steele, Lea and Flood's SplitMix64) so that a seed gives the same split and the same
/// synthetic data on every machine and .NET version, which <see cref="Random"/> does not promise.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong NextUInt64()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n) without modulo bias.</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong limit = ulong.MaxValue - (ulong.MaxValue % (ulong)n);
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r >= limit);
        return (int)(r % (ulong)n);
    }

    /// <summary>Standard normal, by the Box–Muller transform.</summary>
    public double NextGaussian()
    {
        double u = 1.0 - NextDouble(); // (0, 1]
        double v = NextDouble();
        return System.Math.Sqrt(-2.0 * System.Math.Log(u)) * System.Math.Cos(2.0 * System.Math.PI * v);
    }

    /// <summary>Fisher–Yates.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
