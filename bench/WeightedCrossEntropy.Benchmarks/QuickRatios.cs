using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace WeightedCrossEntropy.Benchmarks;

/// <summary>
/// <c>ratios</c>: a quick Stopwatch check, not BenchmarkDotNet. Times the library's paths on 16 Mi float32 elements
/// (by default) against the all-core triad in one process: each case is warmed up (until tiered JIT has promoted it),
/// then the cases run round-robin <c>--reps</c> times (15) so that a noisy neighbour hits them alike, and the median
/// is reported as ns per element and as a ratio to the triad's median.
/// </summary>
/// <remarks>Options: <c>--n N</c> (elements, a multiple of 8; default 16,777,216), <c>--reps R</c> (default 15),
/// <c>--double</c> (float64 instead of float32).</remarks>
public static class QuickRatios
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int n = 16_777_216;
        int reps = 15;
        bool useDouble = false;
        for (int a = 0; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--n" when a + 1 < args.Length:
                    n = int.Parse(args[++a], CultureInfo.InvariantCulture);
                    break;
                case "--reps" when a + 1 < args.Length:
                    reps = int.Parse(args[++a], CultureInfo.InvariantCulture);
                    break;
                case "--double":
                    useDouble = true;
                    break;
                default:
                    Console.Error.WriteLine($"ratios: unknown option '{args[a]}'. Options: --n N, --reps R, --double.");
                    return 2;
            }
        }

        return useDouble ? Run<double>(n, reps) : Run<float>(n, reps);
    }

    private sealed record Case<T>(string Name, int BytesPerElement, Func<Workload<T>, T[], Action> Bind)
        where T : unmanaged, IFloatingPointIeee754<T>;

    private static List<Case<T>> Cases<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var cases = new List<Case<T>>
        {
            new("Triad (all cores, baseline)", 3 * size, (w, d) =>
            {
                var triad = new ParallelTriad<T>(w.Labels, w.Logits, d, Environment.ProcessorCount);
                return triad.Run;
            }),
            new("TriadSingleCore", 3 * size, (w, d) => () => Baselines.Triad<T>(w.Labels, w.Logits, d)),
            new("Forward", 3 * size, (w, d) => () =>
                Nn.WeightedCrossEntropyWithLogits<T>(w.Labels, w.Logits, w.PosWeight, d)),
            new("ForwardSingleThread", 3 * size, (w, d) => () =>
            {
                Nn.MaxDegreeOfParallelism = 1;
                try
                {
                    Nn.WeightedCrossEntropyWithLogits<T>(w.Labels, w.Logits, w.PosWeight, d);
                }
                finally
                {
                    Nn.MaxDegreeOfParallelism = -1;
                }
            }),
            new("Gradient", 3 * size, (w, d) => () =>
                Nn.WeightedCrossEntropyWithLogitsGradient<T>(w.Labels, w.Logits, w.PosWeight, d)),
            new("FusedMean", 3 * size, (w, d) => () =>
                Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(w.Labels, w.Logits, w.PosWeight, d, Reduction.Mean)),
        };
#if WCE_BYTE_FORWARD
        cases.Add(new("ForwardByteLabels", 2 * size + 1, (w, d) => () =>
            Nn.WeightedCrossEntropyWithLogits<T>(w.ByteLabels, w.Logits, w.PosWeight, d)));
#endif
#if WCE_BYTE_GRADIENT
        cases.Add(new("GradientByteLabels", 2 * size + 1, (w, d) => () =>
            Nn.WeightedCrossEntropyWithLogitsGradient<T>(w.ByteLabels, w.Logits, w.PosWeight, d)));
#endif
#if WCE_BYTE_FUSED
        cases.Add(new("FusedMeanByteLabels", 2 * size + 1, (w, d) => () =>
            Nn.WeightedCrossEntropyWithLogitsAndGradient<T>(w.ByteLabels, w.Logits, w.PosWeight, d, Reduction.Mean)));
#endif
        return cases;
    }

    private static int Run<T>(int n, int reps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Console.WriteLine("QUICK CHECK (Stopwatch medians, not BenchmarkDotNet; the README's table comes from BenchmarkDotNet).");
        Console.WriteLine(
            $"{typeof(T).Name}, N = {n:N0}, {reps} reps round-robin after warm-up; {Environment.ProcessorCount} cores, " +
            $"Vector256 {(Vector256.IsHardwareAccelerated ? "on" : "off")}, Vector512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, " +
            $".NET {Environment.Version}.");
        Console.WriteLine("Numbers move with other load on the machine: compare ratios taken in the same run.");
        Console.WriteLine();

        var cases = Cases<T>();

        // Warm-up on a small workload first: enough calls for tiered compilation to promote every method (call
        // counting starts after ~100 ms and needs 30 calls), then a few full-size calls.
        var small = Workload<T>.Create(System.Math.Min(n, 65_536));
        var smallDestination = new T[small.Length];
        var warmActions = cases.Select(c => c.Bind(small, smallDestination)).ToArray();
        for (int round = 0; round < 3; round++)
        {
            foreach (var action in warmActions)
            {
                for (int k = 0; k < 40; k++)
                {
                    action();
                }
            }

            Thread.Sleep(200);
        }

        var workload = Workload<T>.Create(n);
        var destination = new T[n];
        var actions = cases.Select(c => c.Bind(workload, destination)).ToArray();
        foreach (var action in actions)
        {
            for (int k = 0; k < 3; k++)
            {
                action();
            }
        }

        var times = new double[cases.Count][];
        for (int c = 0; c < cases.Count; c++)
        {
            times[c] = new double[reps];
        }

        for (int r = 0; r < reps; r++)
        {
            for (int c = 0; c < cases.Count; c++)
            {
                long start = Stopwatch.GetTimestamp();
                actions[c]();
                times[c][r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }

        double triadMedian = Median(times[0]);
        double triadMin = times[0].Min();
        Console.WriteLine(
            $"{"case",-30} {"median ms",10} {"min ms",9} {"ns/elem",8} {"GB/s",7} {"× triad",8} {"(min/min)",9}");
        for (int c = 0; c < cases.Count; c++)
        {
            double median = Median(times[c]);
            double min = times[c].Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{cases[c].Name,-30} {median * 1e3,10:F2} {min * 1e3,9:F2} {median * 1e9 / n,8:F3} " +
                $"{(double)cases[c].BytesPerElement * n / median / 1e9,7:F1} {median / triadMedian,8:F2} " +
                $"{min / triadMin,9:F2}"));
        }

        Console.WriteLine();
        Console.WriteLine("ns/elem, GB/s and × triad are from medians; GB/s counts each path's own traffic (labels and");
        Console.WriteLine("logits read, result written; byte labels 1 B). (min/min) compares the fastest reps: on a busy");
        Console.WriteLine("machine it is the steadier of the two.");
        return 0;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
