namespace WeightedCrossEntropy.Loops;

/// <summary>
/// A few long-lived background threads that help the calling thread with one job at a time, allocating nothing per
/// job. A job is a function pointer and an untyped state pointer; the caller blocks until every helper is done, so
/// pointers into the caller's pinned spans and stack stay valid for the whole job.
/// </summary>
/// <remarks>
/// The loops do not know about threads: a job splits its work into fixed chunks that the participants claim with
/// <see cref="Interlocked.Increment(ref int)"/>, and every chunk's result goes to its own slot, so the outcome does
/// not depend on which thread ran what. When another call holds the pool, a call runs on its own thread instead.
/// </remarks>
internal static unsafe class WorkerPool
{
    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Go = new(0);
    private static readonly ManualResetEventSlim Done = new(false);
    private static int _started;
    private static int _pending;
    private static delegate*<void*, void> _work;
    private static void* _state;

    /// <summary>Threads that can help the caller (one per core beyond the caller's).</summary>
    public static int Helpers => System.Math.Max(0, Environment.ProcessorCount - 1);

    /// <summary>Runs <paramref name="work"/>(<paramref name="state"/>) on the calling thread and on up to
    /// <paramref name="helpers"/> pool threads; returns when all have returned. Runs it once, on the caller only, if
    /// the pool is busy with another call.</summary>
    public static void Run(delegate*<void*, void> work, void* state, int helpers)
    {
        helpers = System.Math.Min(helpers, Helpers);
        if (helpers <= 0 || !Monitor.TryEnter(Gate))
        {
            work(state);
            return;
        }

        try
        {
            EnsureStarted();
            _work = work;
            _state = state;
            Volatile.Write(ref _pending, helpers);
            Done.Reset();
            Go.Release(helpers);
            work(state);
            Done.Wait();
        }
        finally
        {
            _work = null;
            _state = null;
            Monitor.Exit(Gate);
        }
    }

    private static void EnsureStarted()
    {
        if (_started != 0)
        {
            return;
        }

        for (int i = 0; i < Helpers; i++)
        {
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = "WeightedCrossEntropy worker " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            thread.Start();
        }

        _started = 1;
    }

    private static void Loop()
    {
        while (true)
        {
            Go.Wait();
            _work(_state);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                Done.Set();
            }
        }
    }
}
