using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace WeightedCrossEntropy.TorchSharp.Benchmarks;

/// <summary>
/// BenchmarkDotNet's command line (<c>--filter</c>, …), run in process: the patched native library of this output
/// folder (tools/torchsharp-glibcxx-fix.sh) is the one that loads, which a separately built benchmark process would
/// not have. The job: 2 warm-up and 8 measured iterations.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(2)
            .WithIterationCount(8);
        var config = DefaultConfig.Instance
            .AddJob(job)
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared))
            .AddColumn(StatisticColumn.Median)
            .WithOptions(ConfigOptions.JoinSummary);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success))
            ? 1
            : 0;
    }
}
