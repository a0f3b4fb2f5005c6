using System.Globalization;
using CsCheck;
using WeightedCrossEntropy.Tests.Properties;
using Xunit;

namespace WeightedCrossEntropy.Tests.Api;

/// <summary>
/// The reduced loss without a gradient, <c>Nn.WeightedCrossEntropyWithLogits(labels, logits, posWeight,
/// reduction)</c>: against sums worked out in the test, the correctly rounded sum of the elementwise losses
/// (<see cref="Inputs.ExactSum"/>, with the bounds <see cref="FusedReductionProperties"/> derives for the same
/// summation), and the value the fused loss-and-gradient call returns for the same inputs: both within those bounds
/// of the same exact sum, so within twice them of each other (in float32 the fused call's hard-label kernel can
/// give an element's loss one ULP away from the elementwise loss, so the two need not agree bit for bit).
/// </summary>
public sealed class ReducedLossTests
{
    private static readonly double Ln2 = System.Math.Log(2);

    [Fact]
    public void At_logit_0_every_element_is_ln2_times_its_weight()
    {
        // sp(0) = ln 2: a positive costs q·ln 2, a negative ln 2. Per class q = [2, 5] on labels [1, 1, 0, 1]:
        // 2 + 5 + 1 + 5 = 13 times ln 2.
        double[] z = [1, 1, 0, 1], x = [0, 0, 0, 0], q = [2, 5];
        double sum = Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, Reduction.Sum);
        double mean = Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, Reduction.Mean);

        Assert.True(Inputs.UlpDistance(sum, 13 * Ln2) <= 1, $"{sum:R}");
        Assert.True(Inputs.UlpDistance(mean, 13 * Ln2 / 4) <= 1, $"{mean:R}");

        // One weight for every element, float32 and byte labels: (3 + 1) ln 2.
        float sum32 = Nn.WeightedCrossEntropyWithLogits<float>([1f, 0f], [0f, 0f], [3f], Reduction.Sum);
        float bytes32 = Nn.WeightedCrossEntropyWithLogits<float>([(byte)1, 0], [0f, 0f], [3f], Reduction.Sum);
        Assert.True(Inputs.UlpDistance(sum32, (float)(4 * Ln2)) <= 1, $"{sum32:R}");
        Assert.Equal(sum32, bytes32);
    }

    [Fact]
    public void Special_values_give_the_limits_the_docs_state()
    {
        // x = +∞ with z = 0: +∞; x = −∞ with z = 1 and q = 0: 0 (the positive term dropped); NaN anywhere: NaN.
        Assert.Equal(double.PositiveInfinity, Nn.WeightedCrossEntropyWithLogits<double>([0, 1], [double.PositiveInfinity, 3], [1], Reduction.Sum));
        Assert.Equal(0.0, Nn.WeightedCrossEntropyWithLogits<double>([1], [double.NegativeInfinity], [0], Reduction.Sum));
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogits<double>([1, 0], [0, double.NaN], [1], Reduction.Mean)));
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogits<float>([float.NaN], [1f], [1f], Reduction.Sum)));

        // A negative weight: a positive at x = −∞ costs −∞; with a +∞ beside it, NaN.
        Assert.Equal(double.NegativeInfinity, Nn.WeightedCrossEntropyWithLogits<double>([1, 0], [double.NegativeInfinity, 0], [-1], Reduction.Sum));
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogits<double>([1, 0], [double.NegativeInfinity, double.PositiveInfinity], [-1], Reduction.Sum)));

        // A negative weight at finite x: q·sp(−x) = −2·ln 2 for a positive at 0.
        Assert.True(Inputs.UlpDistance(Nn.WeightedCrossEntropyWithLogits<double>([1], [0], [-2], Reduction.Sum), -2 * Ln2) <= 1);

        // Empty: Sum 0, Mean 0/0.
        Assert.Equal(0.0, Nn.WeightedCrossEntropyWithLogits<double>(Array.Empty<double>(), [], [1], Reduction.Sum));
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogits<double>(Array.Empty<double>(), [], [1], Reduction.Mean)));
        Assert.True(float.IsNaN(Nn.WeightedCrossEntropyWithLogits<float>(ReadOnlySpan<byte>.Empty, [], [1f], Reduction.Mean)));
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_the_argument()
    {
        var none = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>([1], [0], [1], Reduction.None));
        Assert.Equal("reduction", none.ParamName);
        Assert.Equal("reduction", Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>([1], [0], [1], (Reduction)9)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>([1, 0], [0], [1], Reduction.Sum)).ParamName);
        Assert.Equal("posWeight", Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<double>([1, 0], [0, 0], [], Reduction.Sum)).ParamName);
        var cycle = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<float>([1f, 0, 1], [0f, 0, 0], [1f, 2], Reduction.Mean));
        Assert.Equal("posWeight", cycle.ParamName);
        Assert.Contains("posWeight[i % C]", cycle.Message, StringComparison.Ordinal);
        var bytes = Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<float>([(byte)1, 2], [0f, 0], [1f], Reduction.Sum));
        Assert.Equal("labels", bytes.ParamName);
        Assert.Contains("labels[1] is 2", bytes.Message, StringComparison.Ordinal);
        Assert.Equal("reduction", Assert.Throws<ArgumentException>(() => Nn.WeightedCrossEntropyWithLogits<float>([(byte)1], [0f], [1f], Reduction.None)).ParamName);
    }

    [Fact]
    public void Float64_against_an_exact_sum_and_the_fused_call()
    {
        Inputs.Finite.Sample(c =>
        {
            var x = c.Logits<double>();
            var z = c.Labels<double>();
            var q = c.PosWeight<double>();
            double exact = Inputs.ExactSum(Ops.Public(Op.Loss, z, x, q));

            double sum = Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, Reduction.Sum);
            double mean = Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, Reduction.Mean);
            Within(sum, exact, 4, "Sum");
            if (c.N > 0)
            {
                Within(mean, exact / c.N, 4, "Mean");
            }

            Within(sum, Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, q, new double[c.N], Reduction.Sum), 8, "Sum vs fused");
            Within(mean, Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, q, new double[c.N], Reduction.Mean), 8, "Mean vs fused");
        }, iter: 300, print: c => c.ToString());
    }

    [Fact]
    public void Float32_against_an_exact_sum_and_the_fused_call()
    {
        Inputs.Finite.Sample(c =>
        {
            var x = c.Logits<float>();
            var z = c.Labels<float>();
            var q = c.PosWeight<float>();
            double exact = Inputs.ExactSum(Inputs.Widen(Ops.Public(Op.Loss, z, x, q)));

            float sum = Nn.WeightedCrossEntropyWithLogits<float>(z, x, q, Reduction.Sum);
            float mean = Nn.WeightedCrossEntropyWithLogits<float>(z, x, q, Reduction.Mean);
            Within(sum, (float)exact, 1, "Sum");
            if (c.N > 0)
            {
                Within(mean, (float)(exact / c.N), 2, "Mean");
            }

            Within(sum, Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(z, x, q, new float[c.N], Reduction.Sum), 2, "Sum vs fused");
            Within(mean, Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(z, x, q, new float[c.N], Reduction.Mean), 4, "Mean vs fused");

            // Half: the float64 sum of the widened inputs, rounded once to Half.
            var sumHalf = Nn.WeightedCrossEntropyWithLogits<Half>(c.Labels<Half>(), c.Logits<Half>(), c.PosWeight<Half>(), Reduction.Sum);
            double sumWide = Nn.WeightedCrossEntropyWithLogits<double>(
                Inputs.Widen(c.Labels<Half>()), Inputs.Widen(c.Logits<Half>()), Inputs.Widen(c.PosWeight<Half>()), Reduction.Sum);
            Assert.True(
                BitConverter.HalfToInt16Bits(sumHalf) == BitConverter.HalfToInt16Bits((Half)sumWide) || System.Math.Abs((double)sumHalf - sumWide) <= System.Math.Abs(sumWide) / 1024,
                $"Half Sum {(double)sumHalf:R}, float64 {sumWide:R}");
        }, iter: 300, print: c => c.ToString());
    }

    [Fact]
    public void Wide_inputs_agree_with_the_fused_call_on_nan_and_infinity()
    {
        // ±∞ and NaN logits: NaN where the fused call gives NaN, the same infinity where it gives one, else within
        // the bounds above.
        Inputs.Wide.Sample(c =>
        {
            Agree(
                Nn.WeightedCrossEntropyWithLogits<double>(c.Labels<double>(), c.Logits<double>(), c.PosWeight<double>(), Reduction.Mean),
                Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(c.Labels<double>(), c.Logits<double>(), c.PosWeight<double>(), new double[c.N], Reduction.Mean),
                8, "float64 Mean");
            float sum = Nn.WeightedCrossEntropyWithLogits<float>(c.Labels<float>(), c.Logits<float>(), c.PosWeight<float>(), Reduction.Sum);
            float fused = Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(c.Labels<float>(), c.Logits<float>(), c.PosWeight<float>(), new float[c.N], Reduction.Sum);
            Agree(sum, fused, 2, "float32 Sum");
        }, iter: 300, print: c => c.ToString());
    }

    [Fact]
    public void Byte_labels_give_what_labels_of_the_element_type_give()
    {
        var hard = Inputs.Cases(Inputs.WideLogit, Gen.OneOf(0.0, 1.0), Inputs.Weight, Inputs.Shape);
        hard.Sample(c =>
        {
            var bytes = c.Z.Select(v => (byte)v).ToArray();
            Same(
                Nn.WeightedCrossEntropyWithLogits<double>(bytes, c.Logits<double>(), c.PosWeight<double>(), Reduction.Sum),
                Nn.WeightedCrossEntropyWithLogits<double>(c.Labels<double>(), c.Logits<double>(), c.PosWeight<double>(), Reduction.Sum),
                "float64 bytes vs double labels");
            float mean = Nn.WeightedCrossEntropyWithLogits<float>(bytes, c.Logits<float>(), c.PosWeight<float>(), Reduction.Mean);
            Same(
                mean,
                Nn.WeightedCrossEntropyWithLogits<float>(c.Labels<float>(), c.Logits<float>(), c.PosWeight<float>(), Reduction.Mean),
                "float32 bytes vs float labels");
            Agree(
                mean,
                Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(bytes, c.Logits<float>(), c.PosWeight<float>(), new float[c.N], Reduction.Mean),
                4, "float32 bytes vs fused bytes");
        }, iter: 200, print: c => c.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void Large_inputs_split_across_cores_match_the_exact_sum_and_the_fused_call(int threads)
    {
        // Above the parallel threshold, in several chunks; per-class weights cycling along C = 7.
        const int n = 7 * 60_001;
        var random = new Random(20_260_101);
        var x = new double[n];
        var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (random.NextDouble() - 0.5) * 40;
            z[i] = random.Next(4) == 0 ? random.NextDouble() : random.Next(2);
        }

        double[] q = [0.5, 1, 2, 3, 10, 0, 250];
        int saved = Nn.MaxDegreeOfParallelism;
        try
        {
            Nn.MaxDegreeOfParallelism = threads;
            double exact = Inputs.ExactSum(Ops.Public(Op.Loss, z, x, q));
            double sum = Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, Reduction.Sum);
            Within(sum, exact, 4, "Sum");
            Within(sum, Nn.WeightedCrossEntropyWithLogitsAndGradient<double>(z, x, q, new double[n], Reduction.Sum), 8, "Sum vs fused");

            var x32 = Inputs.To<float>(x);
            var z32 = Inputs.To<float>(z);
            var q32 = Inputs.To<float>(q);
            double exact32 = Inputs.ExactSum(Inputs.Widen(Ops.Public(Op.Loss, z32, x32, q32)));
            float mean32 = Nn.WeightedCrossEntropyWithLogits<float>(z32, x32, q32, Reduction.Mean);
            Within(mean32, (float)(exact32 / n), 2, "float32 Mean");
            Within(mean32, Nn.WeightedCrossEntropyWithLogitsAndGradient<float>(z32, x32, q32, new float[n], Reduction.Mean), 4, "float32 Mean vs fused");

            // The sum does not depend on the number of threads: the same bits on one.
            Nn.MaxDegreeOfParallelism = 1;
            Same(sum, Nn.WeightedCrossEntropyWithLogits<double>(z, x, q, Reduction.Sum), "one thread");
            Same(mean32, Nn.WeightedCrossEntropyWithLogits<float>(z32, x32, q32, Reduction.Mean), "float32 one thread");
        }
        finally
        {
            Nn.MaxDegreeOfParallelism = saved;
        }
    }

    private static void Same(double actual, double expected, string what)
    {
        if (BitConverter.DoubleToInt64Bits(actual) != BitConverter.DoubleToInt64Bits(expected) && !(double.IsNaN(actual) && double.IsNaN(expected)))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{what}: {actual:R}, expected {expected:R}"));
        }
    }

    private static void Same(float actual, float expected, string what) => Same((double)actual, expected, what);

    /// <summary>Both NaN, or the same infinity, or within <paramref name="bound"/> float32 ULP.</summary>
    private static void Agree(float actual, float expected, double bound, string what)
    {
        if (float.IsNaN(actual) || float.IsNaN(expected) || float.IsInfinity(actual) || float.IsInfinity(expected))
        {
            Same(actual, expected, what);
        }
        else
        {
            Within(actual, expected, bound, what);
        }
    }

    /// <summary>Both NaN, or the same infinity, or within <paramref name="bound"/> ULP.</summary>
    private static void Agree(double actual, double expected, double bound, string what)
    {
        if (double.IsNaN(actual) || double.IsNaN(expected) || double.IsInfinity(actual) || double.IsInfinity(expected))
        {
            Same(actual, expected, what);
        }
        else
        {
            Within(actual, expected, bound, what);
        }
    }

    private static void Within(double actual, double expected, double bound, string what)
    {
        double distance = Inputs.UlpDistance(actual, expected);
        if (!(distance <= bound))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"float64 {what}: {actual:R}, expected {expected:R}, {distance} ULP > {bound}"));
        }
    }

    private static void Within(float actual, float expected, double bound, string what)
    {
        double distance = Inputs.UlpDistance(actual, expected);
        if (!(distance <= bound))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"float32 {what}: {actual:R}, expected {expected:R}, {distance} ULP > {bound}"));
        }
    }
}
