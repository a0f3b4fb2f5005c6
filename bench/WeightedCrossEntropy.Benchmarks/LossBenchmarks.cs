using System.Numerics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace WeightedCrossEntropy.Benchmarks;

/// <summary>
/// Every path of the library on the workload ([N/8 × 8], per-class pos_weight of length 8, ~10% positive
/// hard labels, logits uniform in [−6, 6], fixed seed), beside the baselines, for float and double.
/// </summary>
/// <remarks>
/// <para>The ratio column is relative to <see cref="Triad"/>, the memory-bound triad on all cores: a ratio of 1 means
/// the path runs at memory speed, for the traffic of the forward pass (two arrays read, one written).</para>
/// <para>Method names are chosen for <c>--filter</c>: <c>*Forward*</c>, <c>*Gradient*</c>, <c>*Fused*</c>,
/// <c>*ByteLabels*</c>, <c>*ForwardTensor*</c>, <c>*Triad*</c>, <c>*Baseline*</c>; add <c>'*Triad'</c> to any filter to keep
/// the ratio column.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
[MemoryDiagnoser]
[MedianColumn]
public partial class LossBenchmarks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Workload<T> _workload = null!;
    private T[] _destination = null!;
    private ParallelTriad<T> _parallelTriad = null!;

    // Only for the TensorPrimitives baseline.
    private T[] _posWeightMinusOne = null!;
    private T[] _scratch1 = null!;
    private T[] _scratch2 = null!;

    /// <summary>Elements: 4 Ki (in L1/L2), 256 Ki (in L2/L3), 16 Mi (DRAM); see <see cref="Sizes"/>.</summary>
    [ParamsSource(nameof(Sizes))]
    public int N { get; set; }

    /// <summary>4,096, 262,144 and 16,777,216 elements, or the comma-separated list in the environment variable
    /// <c>WCE_BENCH_N</c> (BenchmarkDotNet's <c>--filter</c> selects methods, not parameter values).</summary>
    public static IEnumerable<int> Sizes()
    {
        string? sizes = Environment.GetEnvironmentVariable("WCE_BENCH_N");
        return string.IsNullOrWhiteSpace(sizes)
            ? [4_096, 262_144, 16_777_216]
            : sizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GlobalSetup]
    public void Setup()
    {
        _workload = Workload<T>.Create(N);
        _destination = new T[N];
        _parallelTriad = new ParallelTriad<T>(_workload.Labels, _workload.Logits, _destination, Environment.ProcessorCount);
        SetupExtensions();
    }

    [GlobalSetup(Target = nameof(ForwardComposedTensorPrimitivesBaseline))]
    public void SetupComposed()
    {
        Setup();
        _posWeightMinusOne = _workload.TiledPosWeightMinusOne();
        _scratch1 = new T[N];
        _scratch2 = new T[N];
    }

    [GlobalSetup(Target = nameof(ForwardSingleThread))]
    public void SetupSingleThread()
    {
        Setup();
        Nn.MaxDegreeOfParallelism = 1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Nn.MaxDegreeOfParallelism = -1;
        _workload = null!;
        _destination = null!;
        _parallelTriad = null!;
        _posWeightMinusOne = null!;
        _scratch1 = null!;
        _scratch2 = null!;
    }

    /// <summary>Setup of the optional benchmarks at the end of this file (a no-op when none is compiled).</summary>
    partial void SetupExtensions();

    // ---- Baselines ----

    /// <summary>The triad on all cores (Parallel.For over ProcessorCount contiguous chunks): the memory roof.</summary>
    [Benchmark(Baseline = true)]
    public void Triad() => _parallelTriad.Run();

    /// <summary>The triad on one core: the roof for a single-threaded kernel, and the honest one at 4 Ki.</summary>
    [Benchmark]
    public void TriadSingleCore() =>
        Baselines.Triad<T>(_workload.Labels, _workload.Logits, _destination);

    /// <summary>TensorFlow's formula as a plain scalar C# loop, one core.</summary>
    [Benchmark]
    public void ForwardScalarLoopBaseline() =>
        Baselines.ScalarTensorFlowFormula<T>(_workload.Labels, _workload.Logits, _workload.PosWeight, _destination);

    /// <summary>TensorFlow's formula from eleven TensorPrimitives calls, one core.</summary>
    [Benchmark]
    public void ForwardComposedTensorPrimitivesBaseline() =>
        Baselines.ComposedTensorPrimitives<T>(
            _workload.Labels, _workload.Logits, _posWeightMinusOne, _destination, _scratch1, _scratch2);

    // ---- The library: span API ----

    [Benchmark]
    public void Forward() =>
        Nn.WeightedCrossEntropyWithLogits<T>(_workload.Labels, _workload.Logits, _workload.PosWeight, _destination);

    /// <summary>The forward pass with <see cref="Nn.MaxDegreeOfParallelism"/> = 1: compare with
    /// <see cref="TriadSingleCore"/>. (Below 128 Ki elements every call is single-threaded anyway.)</summary>
    [Benchmark]
    public void ForwardSingleThread() =>
        Nn.WeightedCrossEntropyWithLogits<T>(_workload.Labels, _workload.Logits, _workload.PosWeight, _destination);

    [Benchmark]
    public void Gradient() =>
        Nn.WeightedCrossEntropyWithLogitsGradient<T>(
            _workload.Labels, _workload.Logits, _workload.PosWeight, _destination);

    [Benchmark]
    public T FusedMean() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(
            _workload.Labels, _workload.Logits, _workload.PosWeight, _destination, Reduction.Mean);

    /// <summary>∂loss/∂labels, elementwise: no hard-label kernel (float32 takes SingleFastPath's float lanes).</summary>
    [Benchmark]
    public void LabelsGradient() =>
        Nn.WeightedCrossEntropyWithLogitsLabelsGradient<T>(
            _workload.Labels, _workload.Logits, _workload.PosWeight, _destination);

    /// <summary>∂loss/∂pos_weight, elementwise: the loss kernel of the positives, +0 for the negatives.</summary>
    [Benchmark]
    public void PosWeightGradient() =>
        Nn.WeightedCrossEntropyWithLogitsPosWeightGradient<T>(
            _workload.Labels, _workload.Logits, _workload.PosWeight, _destination);

    // ---- API the library is still gaining: each block compiles only when the csproj's DetectLibraryApi target found
    // the overload's signature in src/WeightedCrossEntropy/Nn*.cs (the build prints which; see docs/benchmarks.md).

#if WCE_BYTE_FORWARD
    /// <summary>The forward pass with hard labels as bytes: 9 B per float32 element instead of 12.</summary>
    [Benchmark]
    public void ForwardByteLabels() =>
        Nn.WeightedCrossEntropyWithLogits<T>(_workload.ByteLabels, _workload.Logits, _workload.PosWeight, _destination);
#endif

#if WCE_BYTE_GRADIENT
    [Benchmark]
    public void GradientByteLabels() =>
        Nn.WeightedCrossEntropyWithLogitsGradient<T>(
            _workload.ByteLabels, _workload.Logits, _workload.PosWeight, _destination);
#endif

#if WCE_BYTE_FUSED
    [Benchmark]
    public T FusedMeanByteLabels() =>
        Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(
            _workload.ByteLabels, _workload.Logits, _workload.PosWeight, _destination, Reduction.Mean);
#endif

#if WCE_TENSOR_FORWARD
    /// <summary>Spatial size of the [N/2048, 8, 16, 16] layout used with [8, 1, 1] weights.</summary>
    private const int Spatial = 16 * 16;

    private static readonly nint[] s_classWeightLengths = [Workload<T>.Classes];
    private static readonly nint[] s_channelWeightLengths = [Workload<T>.Classes, 1, 1];
    private nint[] _rowLengths = [];
    private nint[] _channelLengths = [];

    partial void SetupExtensions()
    {
        _rowLengths = [N / Workload<T>.Classes, Workload<T>.Classes];
        _channelLengths = [N / (Workload<T>.Classes * Spatial), Workload<T>.Classes, 16, 16];
    }

    /// <summary>The tensor form, [N/8, 8] logits with [8] weights (right-aligned broadcast on the last axis). It
    /// returns a new tensor, so every call allocates the N-element result.</summary>
    [Benchmark]
    public Tensor<T> ForwardTensorClassWeights() =>
        Nn.WeightedCrossEntropyWithLogits<T>(
            new ReadOnlyTensorSpan<T>(_workload.Labels, _rowLengths),
            new ReadOnlyTensorSpan<T>(_workload.Logits, _rowLengths),
            new ReadOnlyTensorSpan<T>(_workload.PosWeight, s_classWeightLengths));

    /// <summary>The tensor form, [N/2048, 8, 16, 16] (NCHW) logits with [8, 1, 1] weights: one weight per channel,
    /// constant over runs of 256 elements.</summary>
    [Benchmark]
    public Tensor<T> ForwardTensorChannelWeights() =>
        Nn.WeightedCrossEntropyWithLogits<T>(
            new ReadOnlyTensorSpan<T>(_workload.Labels, _channelLengths),
            new ReadOnlyTensorSpan<T>(_workload.Logits, _channelLengths),
            new ReadOnlyTensorSpan<T>(_workload.PosWeight, s_channelWeightLengths));

    /// <summary>The tensor form's Mean, [N/2048, 8, 16, 16] with [8, 1, 1] weights: one pass with the loss summed
    /// (the per-element losses go to a rented scratch buffer, so nothing N-sized is allocated).</summary>
    [Benchmark]
    public T ForwardTensorChannelWeightsMean() =>
        Nn.WeightedCrossEntropyWithLogits<T>(
            new ReadOnlyTensorSpan<T>(_workload.Labels, _channelLengths),
            new ReadOnlyTensorSpan<T>(_workload.Logits, _channelLengths),
            new ReadOnlyTensorSpan<T>(_workload.PosWeight, s_channelWeightLengths), Reduction.Mean);

    /// <summary>The tensor gradients of the Mean, [N/8, 8] with [8] weights: ∂/∂labels and ∂/∂logits as new N-element
    /// tensors and ∂/∂pos_weight summed to [8].</summary>
    [Benchmark]
    public WeightedCrossEntropyGradients<T> GradientsTensorClassWeightsMean() =>
        Nn.WeightedCrossEntropyWithLogitsGradients<T>(
            new ReadOnlyTensorSpan<T>(_workload.Labels, _rowLengths),
            new ReadOnlyTensorSpan<T>(_workload.Logits, _rowLengths),
            new ReadOnlyTensorSpan<T>(_workload.PosWeight, s_classWeightLengths), Reduction.Mean);

    /// <summary>The same on [N/2048, 8, 16, 16] with [8, 1, 1] weights: ∂/∂pos_weight summed over N, H and W.</summary>
    [Benchmark]
    public WeightedCrossEntropyGradients<T> GradientsTensorChannelWeightsMean() =>
        Nn.WeightedCrossEntropyWithLogitsGradients<T>(
            new ReadOnlyTensorSpan<T>(_workload.Labels, _channelLengths),
            new ReadOnlyTensorSpan<T>(_workload.Logits, _channelLengths),
            new ReadOnlyTensorSpan<T>(_workload.PosWeight, s_channelWeightLengths), Reduction.Mean);

    /// <summary>The tensor gradients with an upstream gradient (the logits stand in for it), [N/8, 8] with [8]
    /// weights: each local derivative times g, ∂/∂pos_weight summed as Σ g·z·sp(−x) per class.</summary>
    [Benchmark]
    public WeightedCrossEntropyGradients<T> GradientsTensorClassWeightsUpstream() =>
        Nn.WeightedCrossEntropyWithLogitsGradients<T>(
            new ReadOnlyTensorSpan<T>(_workload.Labels, _rowLengths),
            new ReadOnlyTensorSpan<T>(_workload.Logits, _rowLengths),
            new ReadOnlyTensorSpan<T>(_workload.PosWeight, s_classWeightLengths),
            new ReadOnlyTensorSpan<T>(_workload.Logits, _rowLengths));
#endif
}
