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
        Report("Vector512<double> FMA", () => Chains<Vector512<double>, Wide512, Fma, Fma>());
        Report("Vector512<double> add", () => Chains<Vector512<double>, Wide512, Add, Add>());
        Report("Vector512<double> and", () => Chains<Vector512<double>, Wide512, And, And>());
        Report("Vector512<double> FMA + add", () => Chains<Vector512<double>, Wide512, Fma, Add>());
        Report("Vector512<double> FMA + and", () => Chains<Vector512<double>, Wide512, Fma, And>());
        Report("Vector512<double> divide", () => Chains<Vector512<double>, Wide512, Divide, Divide>(Iterations / 8));
        Report("Vector256<double> FMA", () => Chains<Vector256<double>, Wide256, Fma, Fma>());
        Report("Vector256<double> add", () => Chains<Vector256<double>, Wide256, Add, Add>());
        Report("Vector256<double> and", () => Chains<Vector256<double>, Wide256, And, And>());
        Report("Vector256<double> FMA + add", () => Chains<Vector256<double>, Wide256, Fma, Add>());
        Report("Vector256<double> FMA + and", () => Chains<Vector256<double>, Wide256, Fma, And>());
        Report("Vector256<double> divide", () => Chains<Vector256<double>, Wide256, Divide, Divide>(Iterations / 8));
        Console.WriteLine("float lanes of the same width run at the same rates (one operation per vector).");
        return 0;
    }

    /// <summary>Keeps the chains' results alive.</summary>
    public static double Sink { get; private set; }

    private static void Report(string what, Func<double> run)
    {
        run();
        var times = Enumerable.Range(0, 5).Select(_ => run()).Order().ToArray();
        Console.WriteLine($"  {what,-30} {times[2]:F4} ns");
    }

    /// <summary>Six chains of <typeparamref name="TA"/> and six of <typeparamref name="TB"/> in lanes
    /// <typeparamref name="W"/>; ns per operation.</summary>
    private static double Chains<TV, W, TA, TB>(int iterations = Iterations)
        where TV : struct
        where W : struct, IWidth<TV>
        where TA : struct, IOperation
        where TB : struct, IOperation
    {
        long start = Stopwatch.GetTimestamp();
        var result = Loop<TV, W, TA, TB>(W.Create(0.999999), W.Create(1e-9), iterations);
        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        Sink = W.First(result);
        return ns / (12.0 * iterations);
    }

    /// <summary>The loop alone, in its own method: vector registers do not survive a call, so with the clock read
    /// in the same method the JIT would keep the chains on the stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static TV Loop<TV, W, TA, TB>(TV m, TV k, int iterations)
        where TV : struct
        where W : struct, IWidth<TV>
        where TA : struct, IOperation
        where TB : struct, IOperation
    {
        var a0 = W.Create(1.0);
        var a1 = W.Create(1.1);
        var a2 = W.Create(1.2);
        var a3 = W.Create(1.3);
        var a4 = W.Create(1.4);
        var a5 = W.Create(1.5);
        var b0 = W.Create(1.6);
        var b1 = W.Create(1.7);
        var b2 = W.Create(1.8);
        var b3 = W.Create(1.9);
        var b4 = W.Create(2.0);
        var b5 = W.Create(2.1);
        for (int i = 0; i < iterations; i++)
        {
            a0 = TA.Apply<TV, W>(a0, m, k);
            a1 = TA.Apply<TV, W>(a1, m, k);
            a2 = TA.Apply<TV, W>(a2, m, k);
            a3 = TA.Apply<TV, W>(a3, m, k);
            a4 = TA.Apply<TV, W>(a4, m, k);
            a5 = TA.Apply<TV, W>(a5, m, k);
            b0 = TB.Apply<TV, W>(b0, m, k);
            b1 = TB.Apply<TV, W>(b1, m, k);
            b2 = TB.Apply<TV, W>(b2, m, k);
            b3 = TB.Apply<TV, W>(b3, m, k);
            b4 = TB.Apply<TV, W>(b4, m, k);
            b5 = TB.Apply<TV, W>(b5, m, k);
        }

        return W.Add(
            W.Add(W.Add(W.Add(a0, a1), W.Add(a2, a3)), W.Add(W.Add(a4, a5), W.Add(b0, b1))),
            W.Add(W.Add(b2, b3), W.Add(b4, b5)));
    }

    /// <summary>One vector width: the operations the chains use.</summary>
    private interface IWidth<TV>
        where TV : struct
    {
        static abstract TV Create(double value);

        static abstract TV FusedMultiplyAdd(TV a, TV b, TV c);

        static abstract TV Add(TV a, TV b);

        static abstract TV And(TV a, TV b);

        static abstract TV Divide(TV a, TV b);

        static abstract double First(TV a);
    }

    /// <summary>One kind of operation, applied to a chain's value with the constants m and k.</summary>
    private interface IOperation
    {
        static abstract TV Apply<TV, W>(TV a, TV m, TV k)
            where TV : struct
            where W : struct, IWidth<TV>;
    }

    private readonly struct Fma : IOperation
    {
        public static TV Apply<TV, W>(TV a, TV m, TV k)
            where TV : struct
            where W : struct, IWidth<TV> => W.FusedMultiplyAdd(a, m, k);
    }

    private readonly struct Add : IOperation
    {
        public static TV Apply<TV, W>(TV a, TV m, TV k)
            where TV : struct
            where W : struct, IWidth<TV> => W.Add(a, k);
    }

    private readonly struct And : IOperation
    {
        public static TV Apply<TV, W>(TV a, TV m, TV k)
            where TV : struct
            where W : struct, IWidth<TV> => W.And(a, m);
    }

    private readonly struct Divide : IOperation
    {
        public static TV Apply<TV, W>(TV a, TV m, TV k)
            where TV : struct
            where W : struct, IWidth<TV> => W.Divide(a, m);
    }

    private readonly struct Wide512 : IWidth<Vector512<double>>
    {
        public static Vector512<double> Create(double value) => Vector512.Create(value);
        public static Vector512<double> FusedMultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
        public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
        public static Vector512<double> And(Vector512<double> a, Vector512<double> b) => a & b;
        public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;
        public static double First(Vector512<double> a) => a.ToScalar();
    }

    private readonly struct Wide256 : IWidth<Vector256<double>>
    {
        public static Vector256<double> Create(double value) => Vector256.Create(value);
        public static Vector256<double> FusedMultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
        public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
        public static Vector256<double> And(Vector256<double> a, Vector256<double> b) => a & b;
        public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;
        public static double First(Vector256<double> a) => a.ToScalar();
    }
}
