extern alias New;
extern alias Old;

using System.Numerics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using NewNn = New::WeightedCrossEntropy.Nn;
using NewReduction = New::WeightedCrossEntropy.Reduction;
using OldNn = Old::WeightedCrossEntropy.Nn;
using OldReduction = Old::WeightedCrossEntropy.Reduction;

namespace WeightedCrossEntropy.Benchmarks.AB;

/// <summary>
/// The library at another commit (Old, built by prepare-old.sh) beside the current one (New), in one
/// BenchmarkDotNet run so that both see the same machine load: each category's ratio is New / Old (of the means; the
/// summary also has Median and Min columns). Arguments go to BenchmarkDotNet (<c>--filter</c>, <c>--job short</c>, …);
/// the toolchain is in-process. Sizes: <c>WCE_AB_N</c> (comma-separated), default 65,536 (one thread) and 1,048,576
/// (all cores).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--verify"])
        {
            return Verify.Run();
        }

        var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run([.. args, "--inProcess"], config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

/// <summary>Every public path: forward, ∂/∂logits, the fused Mean step with hard and soft labels, byte labels,
/// and the tensor forms; [N/8 × 8] with pos_weight per class, ~10% positive hard labels, logits in [−6, 6].</summary>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
[GenericTypeArguments(typeof(Half))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AB<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _labels = null!;
    private T[] _softLabels = null!;
    private byte[] _byteLabels = null!;
    private T[] _logits = null!;
    private T[] _posWeight = null!;
    private T[] _destination = null!;

    [ParamsSource(nameof(Sizes))]
    public int N { get; set; }

    public static IEnumerable<int> Sizes()
    {
        string? sizes = Environment.GetEnvironmentVariable("WCE_AB_N");
        return string.IsNullOrWhiteSpace(sizes)
            ? [65_536, 1_048_576]
            : sizes.Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20261206);
        _labels = new T[N];
        _softLabels = new T[N];
        _byteLabels = new byte[N];
        _logits = new T[N];
        _destination = new T[N];
        _posWeight = [.. Enumerable.Range(1, 8).Select(c => T.CreateTruncating(0.5 + c))];
        for (int i = 0; i < N; i++)
        {
            bool positive = rng.NextDouble() < 0.1;
            _byteLabels[i] = positive ? (byte)1 : (byte)0;
            _labels[i] = positive ? T.One : T.Zero;
            _softLabels[i] = T.CreateTruncating(rng.NextDouble());
            _logits[i] = T.CreateTruncating((rng.NextDouble() * 12) - 6);
        }
    }

    private ReadOnlyTensorSpan<T> Tensor2(T[] values) => new(values, [N / 8, 8], []);

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public void ForwardOld() => OldNn.WeightedCrossEntropyWithLogits<T>(_labels, _logits, _posWeight, _destination);

    [Benchmark, BenchmarkCategory("Forward")]
    public void ForwardNew() => NewNn.WeightedCrossEntropyWithLogits<T>(_labels, _logits, _posWeight, _destination);

    [Benchmark(Baseline = true), BenchmarkCategory("Gradient")]
    public void GradientOld() =>
        OldNn.WeightedCrossEntropyWithLogitsGradient<T>(_labels, _logits, _posWeight, _destination);

    [Benchmark, BenchmarkCategory("Gradient")]
    public void GradientNew() =>
        NewNn.WeightedCrossEntropyWithLogitsGradient<T>(_labels, _logits, _posWeight, _destination);

    [Benchmark(Baseline = true), BenchmarkCategory("Fused")]
    public T FusedOld() =>
        OldNn.WeightedCrossEntropyWithLogitsAndGradient<T>(_labels, _logits, _posWeight, _destination, OldReduction.Mean);

    [Benchmark, BenchmarkCategory("Fused")]
    public T FusedNew() =>
        NewNn.WeightedCrossEntropyWithLogitsAndGradient<T>(_labels, _logits, _posWeight, _destination, NewReduction.Mean);

    [Benchmark(Baseline = true), BenchmarkCategory("FusedSoft")]
    public T FusedSoftOld() =>
        OldNn.WeightedCrossEntropyWithLogitsAndGradient<T>(_softLabels, _logits, _posWeight, _destination, OldReduction.Mean);

    [Benchmark, BenchmarkCategory("FusedSoft")]
    public T FusedSoftNew() =>
        NewNn.WeightedCrossEntropyWithLogitsAndGradient<T>(_softLabels, _logits, _posWeight, _destination, NewReduction.Mean);

    [Benchmark(Baseline = true), BenchmarkCategory("ByteFused")]
    public T ByteFusedOld() =>
        OldNn.WeightedCrossEntropyWithLogitsAndGradient<T>(_byteLabels, _logits, _posWeight, _destination, OldReduction.Mean);

    [Benchmark, BenchmarkCategory("ByteFused")]
    public T ByteFusedNew() =>
        NewNn.WeightedCrossEntropyWithLogitsAndGradient<T>(_byteLabels, _logits, _posWeight, _destination, NewReduction.Mean);

    [Benchmark(Baseline = true), BenchmarkCategory("TensorForward")]
    public object TensorForwardOld() =>
        OldNn.WeightedCrossEntropyWithLogits(Tensor2(_labels), Tensor2(_logits), new ReadOnlyTensorSpan<T>(_posWeight));

    [Benchmark, BenchmarkCategory("TensorForward")]
    public object TensorForwardNew() =>
        NewNn.WeightedCrossEntropyWithLogits(Tensor2(_labels), Tensor2(_logits), new ReadOnlyTensorSpan<T>(_posWeight));

    [Benchmark(Baseline = true), BenchmarkCategory("TensorGradientsMean")]
    public object TensorGradientsOld() =>
        OldNn.WeightedCrossEntropyWithLogitsGradients(
            Tensor2(_labels), Tensor2(_logits), new ReadOnlyTensorSpan<T>(_posWeight), OldReduction.Mean);

    [Benchmark, BenchmarkCategory("TensorGradientsMean")]
    public object TensorGradientsNew() =>
        NewNn.WeightedCrossEntropyWithLogitsGradients(
            Tensor2(_labels), Tensor2(_logits), new ReadOnlyTensorSpan<T>(_posWeight), NewReduction.Mean);
}
