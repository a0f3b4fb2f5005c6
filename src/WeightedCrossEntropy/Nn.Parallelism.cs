using System.Globalization;
using WeightedCrossEntropy.Loops;

namespace WeightedCrossEntropy;

public static partial class Nn
{
    /// <summary>
    /// The most threads one call may use, the calling thread included: −1 (the default) for one per core, 1 to keep
    /// every call on its calling thread. Calls below 128 Ki elements always stay on the calling thread.
    /// </summary>
    /// <remarks>Results do not depend on this setting: the work is split into chunks fixed by the input's length,
    /// and Sum and Mean add the chunks' sums in a fixed order, so they give the same bits for any number of threads.
    /// The setting is process-wide.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is 0 or below −1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => ParallelChunks.MaxDegreeOfParallelism;
        set
        {
            if (value == 0 || value < -1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    string.Create(CultureInfo.InvariantCulture,
                        $"MaxDegreeOfParallelism must be -1 (one thread per core) or at least 1, not {value}."));
            }

            ParallelChunks.MaxDegreeOfParallelism = value;
        }
    }
}
