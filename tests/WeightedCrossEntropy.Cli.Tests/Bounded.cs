namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>Runs the tool in-process with a time limit: a run that does not finish in time fails the test instead
/// of hanging it (the run is left behind on a background thread).</summary>
public static class Bounded
{
    public static WceResult Run(TimeSpan limit, params string[] args) => Run(limit, out _, args);

    /// <param name="allocated">The bytes the run allocated on its thread (the tool works on the calling thread for
    /// small inputs).</param>
    public static WceResult Run(TimeSpan limit, out long allocated, params string[] args)
    {
        WceResult? result = null;
        Exception? failure = null;
        long bytes = 0;
        var thread = new Thread(() =>
        {
            try
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                result = Wce.Run(args);
                bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            }
#pragma warning disable CA1031 // Any exception is reported by the test, with the arguments.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
        };
        thread.Start();
        if (!thread.Join(limit))
        {
            Assert.Fail($"wce {string.Join(' ', args)} did not finish within {limit.TotalSeconds} s");
        }

        if (failure is not null)
        {
            Assert.Fail($"wce {string.Join(' ', args)} threw {failure}");
        }

        allocated = bytes;
        return result!;
    }

    /// <summary>A character that must never reach a terminal from the tool's messages: C0 and C1 controls, DEL,
    /// and invisible format characters (bidirectional overrides and the like).</summary>
    public static bool IsUnsafe(char c) =>
        char.IsControl(c)
        || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;
}
