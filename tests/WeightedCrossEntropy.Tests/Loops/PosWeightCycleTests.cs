using WeightedCrossEntropy.Loops;
using Xunit;

namespace WeightedCrossEntropy.Tests.Loops;

/// <summary>
/// <see cref="PosWeightCycle{TE}"/>: step after step, the <c>width</c> weights it hands out are
/// posWeight[(firstElement + t) mod C], for cycle lengths around every tiling boundary (C = 1, powers of two, odd
/// lengths, <see cref="PosWeightCycle{TE}.MaxTiled"/> and just beyond, where the weights are read in place) and every
/// step width the loops use.
/// </summary>
public sealed class PosWeightCycleTests
{
    public static TheoryData<int> Widths => new() { 2, 4, 8, 16, 32 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Each_step_gets_the_weights_of_its_elements(int width)
    {
        int[] lengths = [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 255, 256, 257, 300];
        Span<float> scratch = stackalloc float[PosWeightCycle<float>.ScratchLength];
        foreach (int c in lengths)
        {
            var weights = new float[c];
            for (int j = 0; j < c; j++)
            {
                weights[j] = 1000 + j;
            }

            foreach (long first in new long[] { 0, 1, c - 1, 3L * c + 2, 1L << 40 })
            {
                scratch.Fill(float.NaN);
                var cycle = new PosWeightCycle<float>(weights, first, width, scratch);
                long element = first;
                for (int step = 0; step < 3 * c / width + 4; step++)
                {
                    ref float current = ref cycle.Current;
                    for (int t = 0; t < width; t++)
                    {
                        float expected = weights[(int)((element + t) % c)];
                        float actual = System.Runtime.CompilerServices.Unsafe.Add(ref current, t);
                        Assert.True(
                            expected == actual,
                            $"C = {c}, width {width}, first element {first}, step {step}, lane {t}: {actual}, expected {expected}");
                    }

                    cycle.Advance();
                    element += width;
                }
            }
        }
    }
}
