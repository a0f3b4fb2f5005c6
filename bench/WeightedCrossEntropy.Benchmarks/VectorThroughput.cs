using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WeightedCrossEntropy.Benchmarks;

/// <summary>
/// <c>pipes</c>: how many vector operations of each kind this core completes per nanosecond, the ceiling the kernels'
/// operation counts are measured against (docs/benchmarks.md, "What bounds each path"). Twelve independent chains per
/// loop, so latency is hidden and only throughput shows; mixes of two kinds show which share execution pipes.
/// </summary>
/// <remarks>A Stopwatch probe, not a BenchmarkDotNet benchmark: the numbers are steady to a percent on a quiet core,
/// and the median of 5 runs of 20 million iterations each is printed.</remarks>
public static class VectorThroughput
{
    private const int Iterations = 20_000_000;

    public static int Run()
    {
        Console.WriteLine("ns per vector operation (median of 5), 12 independent chains:");
        Report("Vector512<double> FMA", () => Chains<Vector512<double>, Fma512, Fma512>());
        Report("Vector512<double> add", () => Chains<Vector512<double>, Add512, Add512>());
        Report("Vector512<double> and", () => Chains<Vector512<double>, And512, And512>());
        Report("Vector512<double> FMA + add", () => Chains<Vector512<double>, Fma512, Add512>());
        Report("Vector512<double> FMA + and", () => Chains<Vector512<double>, Fma512, And512>());
        Report("Vector512<double> divide", () => Chains<Vector512<double>, Divide512, Divide512>(Iterations / 8));
        Report("Vector256<double> FMA", () => Chains<Vector256<double>, Fma256, Fma256>());
        Report("Vector256<double> add", () => Chains<Vector256<double>, Add256, Add256>());
        Report("Vector256<double> and", () => Chains<Vector256<double>, And256, And256>());
        Report("Vector256<double> FMA + add", () => Chains<Vector256<double>, Fma256, Add256>());
        Report("Vector256<double> FMA + and", () => Chains<Vector256<double>, Fma256, And256>());
        Report("Vector256<double> divide", () => Chains<Vector256<double>, Divide256, Divide256>(Iterations / 8));
        Console.WriteLine("float lanes of the same width run at the same rates (one operation per vector).");
        return 0;
    }

    private static void Report(string what, Func<double> run)
    {
        run();
        var times = Enumerable.Range(0, 5).Select(_ => run()).Order().ToArray();
        Console.WriteLine($"  {what,-30} {times[2]:F4} ns");
    }

    /// <summary>Six chains of <typeparamref name="TA"/> and six of <typeparamref name="TB"/>; ns per operation.</summary>
    private static double Chains<TV, TA, TB>(int iterations = Iterations)
        where TV : struct
        where TA : struct, IOperation<TV>
        where TB : struct, IOperation<TV>
    {
        long start = Stopwatch.GetTimestamp();
        var result = Loop<TV, TA, TB>(TA.Create(0.999999), TA.Create(1e-9), iterations);
        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        Sink = TA.First(result);
        return ns / (12.0 * iterations);
    }

    /// <summary>The loop alone, in its own method: vector registers do not survive a call, so with the clock read
    /// in the same method the JIT would keep the chains on the stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static TV Loop<TV, TA, TB>(TV m, TV k, int iterations)
        where TV : struct
        where TA : struct, IOperation<TV>
        where TB : struct, IOperation<TV>
    {
        var a0 = TA.Create(1.0);
        var a1 = TA.Create(1.1);
        var a2 = TA.Create(1.2);
        var a3 = TA.Create(1.3);
        var a4 = TA.Create(1.4);
        var a5 = TA.Create(1.5);
        var b0 = TA.Create(1.6);
        var b1 = TA.Create(1.7);
        var b2 = TA.Create(1.8);
        var b3 = TA.Create(1.9);
        var b4 = TA.Create(2.0);
        var b5 = TA.Create(2.1);
        for (int i = 0; i < iterations; i++)
        {
            a0 = TA.Apply(a0, m, k);
            a1 = TA.Apply(a1, m, k);
            a2 = TA.Apply(a2, m, k);
            a3 = TA.Apply(a3, m, k);
            a4 = TA.Apply(a4, m, k);
            a5 = TA.Apply(a5, m, k);
            b0 = TB.Apply(b0, m, k);
            b1 = TB.Apply(b1, m, k);
            b2 = TB.Apply(b2, m, k);
            b3 = TB.Apply(b3, m, k);
            b4 = TB.Apply(b4, m, k);
            b5 = TB.Apply(b5, m, k);
        }

        return TA.Sum(
            TA.Sum(TA.Sum(TA.Sum(a0, a1), TA.Sum(a2, a3)), TA.Sum(TA.Sum(a4, a5), TA.Sum(b0, b1))),
            TA.Sum(TA.Sum(b2, b3), TA.Sum(b4, b5)));
    }

    /// <summary>Keeps the chains' results alive.</summary>
    public static double Sink { get; private set; }

    private interface IOperation<TV>
        where TV : struct
    {
        static abstract TV Create(double value);

        static abstract TV Apply(TV a, TV m, TV k);

        static abstract TV Sum(TV a, TV b);

        static abstract double First(TV a);
    }

    private readonly struct Fma512 : IOperation<Vector512<double>>
    {
        public static Vector512<double> Create(double value) => Vector512.Create(value);
        public static Vector512<double> Apply(Vector512<double> a, Vector512<double> m, Vector512<double> k) => Vector512.FusedMultiplyAdd(a, m, k);
        public static Vector512<double> Sum(Vector512<double> a, Vector512<double> b) => a + b;
        public static double First(Vector512<double> a) => a.ToScalar();
    }

    private readonly struct Add512 : IOperation<Vector512<double>>
    {
        public static Vector512<double> Create(double value) => Vector512.Create(value);
        public static Vector512<double> Apply(Vector512<double> a, Vector512<double> m, Vector512<double> k) => a + k;
        public static Vector512<double> Sum(Vector512<double> a, Vector512<double> b) => a + b;
        public static double First(Vector512<double> a) => a.ToScalar();
    }

    private readonly struct And512 : IOperation<Vector512<double>>
    {
        public static Vector512<double> Create(double value) => Vector512.Create(value);
        public static Vector512<double> Apply(Vector512<double> a, Vector512<double> m, Vector512<double> k) => a & m;
        public static Vector512<double> Sum(Vector512<double> a, Vector512<double> b) => a + b;
        public static double First(Vector512<double> a) => a.ToScalar();
    }

    private readonly struct Divide512 : IOperation<Vector512<double>>
    {
        public static Vector512<double> Create(double value) => Vector512.Create(value);
        public static Vector512<double> Apply(Vector512<double> a, Vector512<double> m, Vector512<double> k) => a / m;
        public static Vector512<double> Sum(Vector512<double> a, Vector512<double> b) => a + b;
        public static double First(Vector512<double> a) => a.ToScalar();
    }

    private readonly struct Fma256 : IOperation<Vector256<double>>
    {
        public static Vector256<double> Create(double value) => Vector256.Create(value);
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> m, Vector256<double> k) => Vector256.FusedMultiplyAdd(a, m, k);
        public static Vector256<double> Sum(Vector256<double> a, Vector256<double> b) => a + b;
        public static double First(Vector256<double> a) => a.ToScalar();
    }

    private readonly struct Add256 : IOperation<Vector256<double>>
    {
        public static Vector256<double> Create(double value) => Vector256.Create(value);
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> m, Vector256<double> k) => a + k;
        public static Vector256<double> Sum(Vector256<double> a, Vector256<double> b) => a + b;
        public static double First(Vector256<double> a) => a.ToScalar();
    }

    private readonly struct And256 : IOperation<Vector256<double>>
    {
        public static Vector256<double> Create(double value) => Vector256.Create(value);
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> m, Vector256<double> k) => a & m;
        public static Vector256<double> Sum(Vector256<double> a, Vector256<double> b) => a + b;
        public static double First(Vector256<double> a) => a.ToScalar();
    }

    private readonly struct Divide256 : IOperation<Vector256<double>>
    {
        public static Vector256<double> Create(double value) => Vector256.Create(value);
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> m, Vector256<double> k) => a / m;
        public static Vector256<double> Sum(Vector256<double> a, Vector256<double> b) => a + b;
        public static double First(Vector256<double> a) => a.ToScalar();
    }
}
