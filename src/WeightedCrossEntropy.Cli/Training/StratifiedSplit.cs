namespace WeightedCrossEntropy.Cli.Training;

/// <summary>
/// A train/test split that keeps each stratum's proportion: within each stratum, groups of duplicate samples are
/// shuffled with the seed and the first round(fraction × count) go to the test split, at least one and never all of
/// them when the stratum has two groups or more (so a class of 5 still has a test sample); a stratum of one group
/// stays in training.
/// </summary>
internal static class StratifiedSplit
{
    /// <param name="strata">Per sample, what to keep in proportion (the class).</param>
    /// <param name="groups">Per sample, the first sample it duplicates (itself if none): a group stays together.</param>
    /// <returns>Sample indices, ascending.</returns>
    public static (int[] Train, int[] Test) Split(int[] strata, int[] groups, double testFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(strata);
        ArgumentNullException.ThrowIfNull(groups);
        var members = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < groups.Length; i++)
        {
            if (!members.TryGetValue(groups[i], out var list))
            {
                members[groups[i]] = list = [];
            }

            list.Add(i);
        }

        var byStratum = new SortedDictionary<int, List<int>>();
        foreach (var group in members.Keys)
        {
            int stratum = strata[group];
            if (!byStratum.TryGetValue(stratum, out var list))
            {
                byStratum[stratum] = list = [];
            }

            list.Add(group);
        }

        var random = new SplitMix64(seed);
        var test = new List<int>();
        var train = new List<int>();
        foreach (var stratumGroups in byStratum.Values)
        {
            random.Shuffle(stratumGroups);
            int count = stratumGroups.Count;
            int testCount = count < 2 ? 0 : System.Math.Clamp((int)System.Math.Round(testFraction * count), 1, count - 1);
            for (int k = 0; k < count; k++)
            {
                (k < testCount ? test : train).AddRange(members[stratumGroups[k]]);
            }
        }

        train.Sort();
        test.Sort();
        return ([.. train], [.. test]);
    }
}
