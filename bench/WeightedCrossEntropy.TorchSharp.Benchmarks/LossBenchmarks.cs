using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TorchSharp;
using static TorchSharp.torch;

namespace WeightedCrossEntropy.TorchSharp.Benchmarks;

using Reduction = global::TorchSharp.torch.nn.Reduction;

/// <summary>
/// A training step's loss, this library's <see cref="Losses.binary_cross_entropy_with_logits"/> beside TorchSharp's
/// <c>torch.nn.functional.binary_cross_entropy_with_logits</c> (the baseline of each category): [Rows × 8] float32
/// logits uniform in [−6, 6] that require a gradient, hard labels with about 10% ones, per-class pos_weight [8],
/// Mean. <c>ForwardBackward</c> is the loss and <c>backward()</c> (the gradient accumulates into the logits' grad,
/// as between two zero_grad calls); <c>ForwardNoGrad</c> is the loss under <c>no_grad</c>. Each invocation runs in
/// its own DisposeScope.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class LossBenchmarks
{
    private Tensor logits = null!;
    private Tensor labels = null!;
    private Tensor posWeight = null!;

    [Params(512, 2_097_152)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(42);
        logits = (rand(Rows, 8) * 12 - 6).detach().requires_grad_(true);
        labels = rand(Rows, 8).lt(0.1).to(ScalarType.Float32);
        posWeight = tensor(new float[] { 9, 8, 10, 12, 7, 9, 11, 8 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        logits.Dispose();
        labels.Dispose();
        posWeight.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("ForwardBackward")]
    public void TorchSharp_ForwardBackward()
    {
        using var scope = NewDisposeScope();
        var loss = nn.functional.binary_cross_entropy_with_logits(logits, labels, null, Reduction.Mean, posWeight);
        if (loss.requires_grad)
        {
            loss.backward();
        }
    }

    [Benchmark]
    [BenchmarkCategory("ForwardBackward")]
    public void Ours_ForwardBackward()
    {
        using var scope = NewDisposeScope();
        var loss = Losses.binary_cross_entropy_with_logits(logits, labels, null, Reduction.Mean, posWeight);
        if (loss.requires_grad)
        {
            loss.backward();
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("ForwardNoGrad")]
    public float TorchSharp_ForwardNoGrad()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return nn.functional.binary_cross_entropy_with_logits(logits, labels, null, Reduction.Mean, posWeight)
            .item<float>();
    }

    [Benchmark]
    [BenchmarkCategory("ForwardNoGrad")]
    public float Ours_ForwardNoGrad()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Losses.binary_cross_entropy_with_logits(logits, labels, null, Reduction.Mean, posWeight)
            .item<float>();
    }
}
