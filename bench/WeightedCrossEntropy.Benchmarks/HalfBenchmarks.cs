using BenchmarkDotNet.Attributes;

namespace WeightedCrossEntropy.Benchmarks;

/// <summary>
/// The span API in Half (the storage type of mixed-precision training) on the workload, beside the float32
/// forward pass on the same data: Half is converted to double a block at a time, computed by the float64 kernels and
/// rounded once back, in the same chunks on every core.
/// </summary>
/// <remarks>Run with <c>--filter '*HalfBenchmarks*'</c>; the sizes come from <c>WCE_BENCH_N</c> as in
/// <see cref="LossBenchmarks{T}"/>.</remarks>
[MemoryDiagnoser]
[MedianColumn]
public class HalfBenchmarks
{
    private Workload<Half> _half = null!;
    private Half[] _destination = null!;
    private Workload<float> _single = null!;
    private float[] _singleDestination = null!;

    /// <summary>Elements, as in <see cref="LossBenchmarks{T}.N"/>.</summary>
    [ParamsSource(nameof(Sizes))]
    public int N { get; set; }

    public static IEnumerable<int> Sizes() => LossBenchmarks<float>.Sizes();

    [GlobalSetup]
    public void Setup()
    {
        _half = Workload<Half>.Create(N);
        _destination = new Half[N];
        _single = Workload<float>.Create(N);
        _singleDestination = new float[N];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _half = null!;
        _destination = null!;
        _single = null!;
        _singleDestination = null!;
    }

    /// <summary>The float32 forward pass on the same workload: the scale for the Half rows.</summary>
    [Benchmark(Baseline = true)]
    public void SingleForward() =>
        Nn.WeightedCrossEntropyWithLogits<float>(_single.Labels, _single.Logits, _single.PosWeight, _singleDestination);

    [Benchmark]
    public void HalfForward() =>
        Nn.WeightedCrossEntropyWithLogits<Half>(_half.Labels, _half.Logits, _half.PosWeight, _destination);

    [Benchmark]
    public void HalfGradient() =>
        Nn.WeightedCrossEntropyWithLogitsGradient<Half>(_half.Labels, _half.Logits, _half.PosWeight, _destination);

    [Benchmark]
    public Half HalfFusedMean() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<Half>(
            _half.Labels, _half.Logits, _half.PosWeight, _destination, Reduction.Mean);
}
