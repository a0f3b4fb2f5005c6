using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace WeightedCrossEntropy.Benchmarks;

/// <summary>
/// The fused loss + gradient step (<see cref="Reduction.Mean"/>) with a sample weight and with label smoothing, each
/// beside the same step without either in the same run: <c>Ratio</c> is time / the time of the unweighted,
/// unsmoothed call of its category (float32 labels, byte labels, float64).
/// </summary>
/// <remarks>
/// <para>Workload: N elements as [N/8 × 8] (default 16 Mi, DRAM), pos_weight per class (9, 4, 2, 1, 0.5, 3, 6, 12),
/// hard labels 0/1 (~10% ones) as <c>float</c>, <c>double</c> and <c>byte</c>, logits uniform in [−8, 8], a fixed
/// seed. Sample weights: per class, 8 weights cycling with the classes; per element, N weights uniform in
/// [0.5, 2). Smoothed calls pass ε = 0.1 and a one-element sample weight [1]; they run the soft-label kernels, so
/// <see cref="SingleFusedSoftLabels"/> (labels uniform in [0, 1], no smoothing, no weight) is timed beside them.</para>
/// <para>Run with <c>--filter '*SampleWeightBenchmarks*'</c>; the sizes come from <c>WCE_BENCH_N</c> (default
/// 16,777,216 here).</para>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SampleWeightBenchmarks
{
    private const int Classes = 8;
    private const double LogitRange = 8.0;
    private const double PositiveRate = 0.1;
    private const int Seed = 20_261_206;
    private const double LabelSmoothing = 0.1;

    private static readonly double[] s_posWeight = [9.0, 4.0, 2.0, 1.0, 0.5, 3.0, 6.0, 12.0];
    private static readonly double[] s_classWeight = [1.0, 0.5, 2.0, 1.5, 0.75, 3.0, 1.25, 0.25];

    private float[] _labels = null!;
    private float[] _softLabels = null!;
    private byte[] _byteLabels = null!;
    private float[] _logits = null!;
    private float[] _gradient = null!;
    private float[] _posWeight = null!;
    private float[] _classWeight = null!;
    private float[] _elementWeight = null!;
    private readonly float[] _unitWeight = [1f];

    private double[] _labels64 = null!;
    private double[] _logits64 = null!;
    private double[] _gradient64 = null!;
    private double[] _posWeight64 = null!;
    private double[] _classWeight64 = null!;
    private double[] _elementWeight64 = null!;

    /// <summary>Elements: 16,777,216 (16 Mi), or the comma-separated list in <c>WCE_BENCH_N</c> (multiples of 8).</summary>
    [ParamsSource(nameof(Sizes))]
    public int N { get; set; }

    public static IEnumerable<int> Sizes()
    {
        string? sizes = Environment.GetEnvironmentVariable("WCE_BENCH_N");
        return string.IsNullOrWhiteSpace(sizes)
            ? [16_777_216]
            : sizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GlobalSetup]
    public void Setup()
    {
        if (N <= 0 || N % Classes != 0)
        {
            throw new InvalidOperationException($"N must be a positive multiple of {Classes}, got {N}.");
        }

        _labels = new float[N];
        _softLabels = new float[N];
        _byteLabels = new byte[N];
        _logits = new float[N];
        _gradient = new float[N];
        _elementWeight = new float[N];
        _labels64 = new double[N];
        _logits64 = new double[N];
        _gradient64 = new double[N];
        _elementWeight64 = new double[N];
#pragma warning disable CA5394 // Random is the point here: a reproducible, seeded workload, nothing secret.
        var random = new Random(Seed);
        for (int i = 0; i < N; i++)
        {
            bool positive = random.NextDouble() < PositiveRate;
            double logit = (random.NextDouble() * 2.0 - 1.0) * LogitRange;
            double weight = 0.5 + (1.5 * random.NextDouble());
            _byteLabels[i] = positive ? (byte)1 : (byte)0;
            _labels[i] = positive ? 1f : 0f;
            _labels64[i] = positive ? 1.0 : 0.0;
            _softLabels[i] = (float)random.NextDouble();
            _logits[i] = (float)logit;
            _logits64[i] = logit;
            _elementWeight[i] = (float)weight;
            _elementWeight64[i] = weight;
        }
#pragma warning restore CA5394

        _posWeight = [.. s_posWeight.Select(q => (float)q)];
        _posWeight64 = [.. s_posWeight];
        _classWeight = [.. s_classWeight.Select(w => (float)w)];
        _classWeight64 = [.. s_classWeight];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _labels = null!;
        _softLabels = null!;
        _byteLabels = null!;
        _logits = null!;
        _gradient = null!;
        _posWeight = null!;
        _classWeight = null!;
        _elementWeight = null!;
        _labels64 = null!;
        _logits64 = null!;
        _gradient64 = null!;
        _posWeight64 = null!;
        _classWeight64 = null!;
        _elementWeight64 = null!;
    }

    // ---- float32, labels as float ----

    /// <summary>The fused step without a sample weight (the overload that has none): the baseline of float32.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("float32")]
    public float SingleFused() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(_labels, _logits, _posWeight, _gradient, Reduction.Mean);

    [Benchmark, BenchmarkCategory("float32")]
    public float SingleFusedClassWeight() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            _labels, _logits, _posWeight, _classWeight, _gradient, Reduction.Mean);

    [Benchmark, BenchmarkCategory("float32")]
    public float SingleFusedElementWeight() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            _labels, _logits, _posWeight, _elementWeight, _gradient, Reduction.Mean);

    /// <summary>ε = 0.1, sample weight [1]: the soft-label kernels.</summary>
    [Benchmark, BenchmarkCategory("float32")]
    public float SingleFusedSmoothed() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            _labels, _logits, _posWeight, _unitWeight, _gradient, Reduction.Mean, LabelSmoothing);

    [Benchmark, BenchmarkCategory("float32")]
    public float SingleFusedSmoothedElementWeight() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            _labels, _logits, _posWeight, _elementWeight, _gradient, Reduction.Mean, LabelSmoothing);

    /// <summary>Soft labels in [0, 1] without smoothing or weight: the soft-label kernels on their own.</summary>
    [Benchmark, BenchmarkCategory("float32")]
    public float SingleFusedSoftLabels() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            _softLabels, _logits, _posWeight, _gradient, Reduction.Mean);

    // ---- float32, labels as bytes ----

    [Benchmark(Baseline = true), BenchmarkCategory("float32, byte labels")]
    public float ByteFused() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            _byteLabels, _logits, _posWeight, _gradient, Reduction.Mean);

    [Benchmark, BenchmarkCategory("float32, byte labels")]
    public float ByteFusedClassWeight() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            _byteLabels, _logits, _posWeight, _classWeight, _gradient, Reduction.Mean);

    [Benchmark, BenchmarkCategory("float32, byte labels")]
    public float ByteFusedElementWeight() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            _byteLabels, _logits, _posWeight, _elementWeight, _gradient, Reduction.Mean);

    [Benchmark, BenchmarkCategory("float32, byte labels")]
    public float ByteFusedSmoothed() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(
            _byteLabels, _logits, _posWeight, _unitWeight, _gradient, Reduction.Mean, LabelSmoothing);

    // ---- float64 ----

    [Benchmark(Baseline = true), BenchmarkCategory("float64")]
    public double DoubleFused() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(
            _labels64, _logits64, _posWeight64, _gradient64, Reduction.Mean);

    [Benchmark, BenchmarkCategory("float64")]
    public double DoubleFusedClassWeight() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(
            _labels64, _logits64, _posWeight64, _classWeight64, _gradient64, Reduction.Mean);

    [Benchmark, BenchmarkCategory("float64")]
    public double DoubleFusedElementWeight() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(
            _labels64, _logits64, _posWeight64, _elementWeight64, _gradient64, Reduction.Mean);
}
