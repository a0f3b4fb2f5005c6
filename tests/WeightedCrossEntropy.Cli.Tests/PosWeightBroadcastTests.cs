using System.Diagnostics;
using WeightedCrossEntropy.Cli.Loss;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>pos_weight's cycle over the flat logits, against the broadcast rule written out index by index.</summary>
public sealed class PosWeightBroadcastTests
{
    [Fact]
    public void Every_element_gets_the_weight_of_its_right_aligned_index_for_random_shapes()
    {
        var random = new Random(20261202);
        for (int trial = 0; trial < 500; trial++)
        {
            int rank = random.Next(0, 6);
            var logits = Enumerable.Range(0, rank).Select(_ => random.Next(1, 4)).ToArray();
            int weightRank = random.Next(0, rank + 1);
            var weightShape = logits[(rank - weightRank)..].Select(n => random.Next(2) == 0 ? 1 : n).ToArray();
            int weightCount = weightShape.Aggregate(1, (a, n) => a * n);
            var weights = Enumerable.Range(0, weightCount).Select(i => 10.0 + i).ToArray();

            var cycle = PosWeightBroadcast.Cycle(weightShape, weights, logits, "q");

            int count = logits.Aggregate(1, (a, n) => a * n);
            for (int flat = 0; flat < count; flat++)
            {
                // The element's index along each axis, then pos_weight's index: the same from the right, 0 where
                // pos_weight has size 1.
                int rest = flat, source = 0, stride = 1;
                for (int axis = rank - 1; axis >= rank - weightRank; axis--)
                {
                    int index = rest % logits[axis];
                    rest /= logits[axis];
                    int w = axis - (rank - weightRank);
                    source += (weightShape[w] == 1 ? 0 : index) * stride;
                    stride *= weightShape[w];
                }

                Assert.Equal(weights[source], cycle[flat % cycle.Length]);
            }
        }
    }

    [Fact]
    public void The_cost_follows_the_elements_not_elements_times_rank()
    {
        // Rank 1,000,000: (2, 1, ..., 1, 1000) logits with (2, 1, ..., 1) weights. Expanding with a pass over every
        // axis per element is 2·10^9 steps; following the elements, 2,000.
        const int Rank = 1_000_000;
        var logits = Enumerable.Repeat(1, Rank).ToArray();
        logits[0] = 2;
        logits[^1] = 1000;
        var weightShape = Enumerable.Repeat(1, Rank).ToArray();
        weightShape[0] = 2;

        var clock = Stopwatch.StartNew();
        var cycle = PosWeightBroadcast.Cycle(weightShape, [3, 5], logits, "q");
        clock.Stop();

        Assert.Equal(2000, cycle.Length);
        Assert.All(cycle.AsSpan(0, 1000).ToArray(), w => Assert.Equal(3, w));
        Assert.All(cycle.AsSpan(1000).ToArray(), w => Assert.Equal(5, w));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Empty_logits_expand_nothing()
    {
        var cycle = PosWeightBroadcast.Cycle([2, 1], [2, 3], [0, 2, int.MaxValue], "q");
        Assert.Single(cycle);
    }
}
