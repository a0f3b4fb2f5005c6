using CsCheck;
using Xunit;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>
/// (e) Central differences of the float64 loss agree with all three gradients on random x in [−5, 5], z in [0, 1],
/// q in (0, 10]; the tolerance (derived per point, and never above TensorFlow's 1e-7) is explained in
/// <see cref="FiniteDifferences"/>. Peer case H28.
/// </summary>
public sealed class FiniteDifferenceProperties
{
    [Fact]
    public void Central_differences_agree_with_all_three_gradients()
    {
        Gen.Select(Gen.Double[-5, 5], Gen.Double[0, 1], Gen.Double[0, 10].Where(q => q > 0))
            .Sample((x, z, q) => FiniteDifferences.Check(x, z, q), iter: 500);
    }

    [Fact]
    public void Central_differences_agree_near_zero_logits()
    {
        // Where σ(x) is evaluated from e^−|x| near 1 and the sign of x switches sides of the computation.
        Gen.Select(Gen.Double[-1e-3, 1e-3], Gen.Double[0, 1], Gen.Double[0, 10].Where(q => q > 0))
            .Sample((x, z, q) => FiniteDifferences.Check(x, z, q), iter: 200);
    }
}
