using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace WeightedCrossEntropy.Benchmarks;

/// <summary>
/// <c>ratios</c> runs the quick Stopwatch check (<see cref="QuickRatios"/>), <c>pipes</c> the vector-throughput
/// probe (<see cref="VectorThroughput"/>); anything else goes to BenchmarkDotNet's
/// command line (<c>--filter</c>, <c>--job</c>, <c>--list flat</c>, …) with two defaults of this project: the
/// in-process toolchain (pass <c>--outOfProcess</c> to opt out) and, unless a <c>--job</c> is given, a job of
/// 3 warm-up and 10 measured iterations of about 250 ms each (see docs/benchmarks.md).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "ratios")
        {
            return QuickRatios.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "pipes")
        {
            return VectorThroughput.Run();
        }

        var arguments = WithProjectDefaults(args);
        Console.WriteLine($"BenchmarkDotNet arguments: {string.Join(' ', arguments)}");
        var config = DefaultConfig.Instance
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared))
            .AddColumn(StatisticColumn.Median);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(arguments, config);
        return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success))
            ? 1
            : 0;
    }

    /// <summary>Adds <c>--inProcess</c> (unless <c>--outOfProcess</c>) and, without a job or iteration options of
    /// the caller's, <c>--warmupCount 3 --iterationCount 10 --iterationTime 250</c>.</summary>
    private static string[] WithProjectDefaults(string[] args)
    {
        var result = args.Where(a => !a.Equals("--outOfProcess", StringComparison.OrdinalIgnoreCase)).ToList();
        bool outOfProcess = result.Count != args.Length;
        bool Has(params string[] names) =>
            result.Any(a => names.Any(n => a.Equals(n, StringComparison.OrdinalIgnoreCase)));

        if (!outOfProcess && !Has("--inProcess", "-i"))
        {
            result.Add("--inProcess");
        }

        if (!Has("--job", "-j", "--warmupCount", "--iterationCount", "--minIterationCount", "--maxIterationCount",
                "--runOncePerIteration", "--strategy", "--iterationTime", "--list", "--help", "-h", "--version", "--info"))
        {
            result.AddRange(["--warmupCount", "3", "--iterationCount", "10", "--iterationTime", "250"]);
        }

        return [.. result];
    }
}
