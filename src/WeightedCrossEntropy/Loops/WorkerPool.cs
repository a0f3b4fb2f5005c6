using System.Runtime.ExceptionServices;

namespace WeightedCrossEntropy.Loops;

/// <summary>
/// A few long-lived background threads that help the calling thread with one job at a time, allocating nothing per
/// job. A job is a function pointer and an untyped state pointer; the caller blocks until every helper is done, so
/// pointers into the caller's pinned spans and stack stay valid for the whole job.
/// </summary>
/// <remarks>
/// <para>The loops do not know about threads: a job splits its work into fixed chunks that the participants claim
/// with <see cref="Interlocked.Increment(ref int)"/>, and every chunk's result goes to its own slot, so the outcome
/// does not depend on which thread ran what.</para>
/// <para>One job at a time: the pool is taken with a compare-and-swap, not a (re-entrant) lock, so a call made while
/// a job runs (from another thread, from a helper, or from the caller's own share of the job) runs on its own thread
/// and never replaces the running job. The caller waits for its helpers even when its own share throws, and an
/// exception thrown on a helper is rethrown on the caller after all have returned: a helper never runs a job whose
/// caller has gone.</para>
/// </remarks>
internal static unsafe class WorkerPool
{
    private static readonly object StartGate = new();
    private static readonly SemaphoreSlim Go = new(0);
    private static readonly ManualResetEventSlim Done = new(false);
    private static int _busy;
    private static bool _started;
    private static int _pending;
    private static delegate*<void*, void> _work;
    private static void* _state;
    private static ExceptionDispatchInfo? _helperFailure;

    /// <summary>Threads that can help the caller (one per core beyond the caller's).</summary>
    public static int Helpers => System.Math.Max(0, Environment.ProcessorCount - 1);

    /// <summary>Runs <paramref name="work"/>(<paramref name="state"/>) on the calling thread and on up to
    /// <paramref name="helpers"/> pool threads; returns when all have returned. Runs it once, on the caller only, if
    /// the pool is busy with another job (also one that this call is part of). An exception from any participant is
    /// rethrown here once every participant has returned (the caller's own first).</summary>
    public static void Run(delegate*<void*, void> work, void* state, int helpers)
    {
        helpers = System.Math.Min(helpers, Helpers);
        if (helpers <= 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            work(state);
            return;
        }

        try
        {
            EnsureStarted();
            _work = work;
            _state = state;
            _helperFailure = null;
            Volatile.Write(ref _pending, helpers);
            Done.Reset();
            Go.Release(helpers);
            try
            {
                work(state);
            }
            finally
            {
                // The helpers may still be reading the caller's state: wait for them whatever the caller's share did.
                Done.Wait();
            }

            _helperFailure?.Throw();
        }
        finally
        {
            _work = null;
            _state = null;
            _helperFailure = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref _started))
        {
            return;
        }

        lock (StartGate)
        {
            if (_started)
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

            Volatile.Write(ref _started, true);
        }
    }

    private static void Loop()
    {
        while (true)
        {
            Go.Wait();
            try
            {
                _work(_state);
            }
#pragma warning disable CA1031 // Any exception is handed to the caller, which rethrows it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref _helperFailure, ExceptionDispatchInfo.Capture(exception), null);
            }
            finally
            {
                if (Interlocked.Decrement(ref _pending) == 0)
                {
                    Done.Set();
                }
            }
        }
    }
}
