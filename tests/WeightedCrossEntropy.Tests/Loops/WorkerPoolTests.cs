using WeightedCrossEntropy.Loops;
using Xunit;

namespace WeightedCrossEntropy.Tests.Loops;

/// <summary>The pool's tests hold it for their whole run: other tests' calls would take it from them.</summary>
[CollectionDefinition(nameof(WorkerPoolAlone), DisableParallelization = true)]
public sealed class WorkerPoolAlone;

/// <summary>
/// <see cref="WorkerPool"/>: a call made from inside a running job (the caller's own share) runs on its own thread
/// and never replaces the running job; an exception from the caller's share or a helper reaches the caller only after
/// every helper has returned, and the pool works afterwards.
/// </summary>
[Collection(nameof(WorkerPoolAlone))]
public sealed unsafe class WorkerPoolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static int _callerThread;
    private static int _outerOnHelpers;
    private static int _outerOnCaller;
    private static int _innerRuns;
    private static int _innerOnCaller;
    private static int _innerDone;
    private static int _helperWaitedOut;
    private static int _helperFinished;

    [Fact]
    public void A_run_from_the_callers_share_runs_on_the_caller_and_leaves_the_job_to_its_helpers()
    {
        Assert.SkipWhen(WorkerPool.Helpers == 0, "one core: the pool has no helpers");
        Reset();
        WorkerPool.Run(&NestingOuter, null, 1);

        Assert.Equal(1, _outerOnCaller);
        Assert.Equal(1, _outerOnHelpers);
        Assert.Equal(0, _helperWaitedOut);
        // The nested job ran once, on the caller, while the outer job's helper was still inside the outer job.
        Assert.Equal(1, _innerRuns);
        Assert.Equal(1, _innerOnCaller);
        AssertThePoolStillWorks();
    }

    [Fact]
    public void An_exception_in_the_callers_share_waits_for_the_helpers()
    {
        Assert.SkipWhen(WorkerPool.Helpers == 0, "one core: the pool has no helpers");
        Reset();
        var thrown = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(&CallerThrows, null, 1));

        Assert.Equal("caller's share", thrown.Message);
        // Run returned only after the helper had finished the job (it outlasts the caller's share by design).
        Assert.Equal(1, Volatile.Read(ref _helperFinished));
        AssertThePoolStillWorks();
    }

    [Fact]
    public void An_exception_on_a_helper_is_rethrown_on_the_caller()
    {
        Assert.SkipWhen(WorkerPool.Helpers == 0, "one core: the pool has no helpers");
        Reset();
        var thrown = Assert.Throws<InvalidOperationException>(() => WorkerPool.Run(&HelperThrows, null, 1));

        Assert.Equal("helper's share", thrown.Message);
        Assert.Equal(1, _outerOnCaller);
        AssertThePoolStillWorks();
    }

    private static void Reset()
    {
        _callerThread = Environment.CurrentManagedThreadId;
        _outerOnHelpers = 0;
        _outerOnCaller = 0;
        _innerRuns = 0;
        _innerOnCaller = 0;
        _innerDone = 0;
        _helperWaitedOut = 0;
        _helperFinished = 0;
    }

    private static bool OnCaller => Environment.CurrentManagedThreadId == _callerThread;

    /// <summary>A job of the pool's full width must run on the caller and on every helper.</summary>
    private static void AssertThePoolStillWorks()
    {
        Reset();
        WorkerPool.Run(&Count, null, WorkerPool.Helpers);
        Assert.Equal(1, _outerOnCaller);
        Assert.Equal(WorkerPool.Helpers, _outerOnHelpers);
    }

    private static void Count(void* state)
    {
        if (OnCaller)
        {
            Interlocked.Increment(ref _outerOnCaller);
        }
        else
        {
            Interlocked.Increment(ref _outerOnHelpers);
        }
    }

    /// <summary>The helper stays in the outer job until the caller's nested run is over; the caller starts that run
    /// once the helper is inside the outer job, so a nested run that took the pool would wait for a helper that is
    /// busy with the job it replaced.</summary>
    private static void NestingOuter(void* state)
    {
        if (OnCaller)
        {
            Interlocked.Increment(ref _outerOnCaller);
            Wait(() => Volatile.Read(ref _outerOnHelpers) > 0);
            WorkerPool.Run(&Inner, null, 1);
            Volatile.Write(ref _innerDone, 1);
        }
        else
        {
            Interlocked.Increment(ref _outerOnHelpers);
            if (!Wait(() => Volatile.Read(ref _innerDone) != 0))
            {
                Volatile.Write(ref _helperWaitedOut, 1);
            }
        }
    }

    private static void Inner(void* state)
    {
        Interlocked.Increment(ref _innerRuns);
        if (OnCaller)
        {
            Interlocked.Increment(ref _innerOnCaller);
        }
    }

    private static void CallerThrows(void* state)
    {
        if (OnCaller)
        {
            Wait(() => Volatile.Read(ref _outerOnHelpers) > 0);
            throw new InvalidOperationException("caller's share");
        }

        Interlocked.Increment(ref _outerOnHelpers);
        Thread.Sleep(200);
        Volatile.Write(ref _helperFinished, 1);
    }

    private static void HelperThrows(void* state)
    {
        if (OnCaller)
        {
            Interlocked.Increment(ref _outerOnCaller);
            return;
        }

        throw new InvalidOperationException("helper's share");
    }

    private static bool Wait(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }
}
