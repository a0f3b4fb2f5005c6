using System.Text.RegularExpressions;
using WeightedCrossEntropy.Tests.Properties;
using Xunit;

namespace WeightedCrossEntropy.Tests.Api;

/// <summary>
/// Every argument error of the span API: ArgumentException, its ParamName, and a message that names the argument
/// and the lengths; in-place calls and empty inputs that must not throw.
/// </summary>
public sealed class SpanErrorTests
{
    /// <summary>The five calls that take a destination, and what each calls it.</summary>
    public enum Entry
    {
        Loss,
        LogitsGradient,
        LabelsGradient,
        PosWeightGradient,
        Fused,
    }

    public static TheoryData<Entry> Calls() => new(Enum.GetValues<Entry>());

    private static string DestinationName(Entry call) => call == Entry.Fused ? "logitsGradient" : "destination";

    private static void Invoke(Entry call, ReadOnlySpan<double> labels, ReadOnlySpan<double> logits, ReadOnlySpan<double> posWeight, Span<double> destination)
    {
        if (call == Entry.Fused)
        {
            _ = Nn.WeightedCrossEntropyWithLogitsAndGradient(labels, logits, posWeight, destination, Reduction.Sum);
        }
        else
        {
            Ops.Public((Op)(int)call, labels, logits, posWeight, destination);
        }
    }

    private static ArgumentException Throws(string paramName, Action call)
    {
        var exception = Assert.Throws<ArgumentException>(call);
        Assert.Equal(paramName, exception.ParamName);
        return exception;
    }

    /// <summary>The message (without the " (Parameter 'x')" suffix) names each word and each number as a whole.</summary>
    private static void Names(ArgumentException exception, params object[] parts)
    {
        string message = exception.Message;
        foreach (var part in parts)
        {
            string text = Convert.ToString(part, System.Globalization.CultureInfo.InvariantCulture)!;
            Assert.True(Regex.IsMatch(message, $@"(?<![\w.]){Regex.Escape(text)}(?![\w])"),
                $"message does not name '{text}': {message}");
        }
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Labels_and_logits_of_different_lengths(Entry call)
    {
        var destination = new double[5];
        var e = Throws("labels", () => Invoke(call, new double[7], new double[5], [2.0], destination));
        Names(e, "labels", "logits", 7, 5);
    }

    [Fact]
    public void Sigmoid_labels_and_logits_of_different_lengths()
    {
        var e = Throws("labels", () => Nn.SigmoidCrossEntropyWithLogits<float>(new float[3], new float[4], new float[4]));
        Names(e, "labels", "logits", 3, 4);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Empty_pos_weight(Entry call)
    {
        var e = Throws("posWeight", () => Invoke(call, new double[6], new double[6], [], new double[6]));
        Names(e, "posWeight", "empty");
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Pos_weight_length_that_does_not_divide(Entry call)
    {
        var e = Throws("posWeight", () => Invoke(call, new double[12], new double[12], new double[7], new double[12]));
        Names(e, "posWeight", "logits", 7, 12);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Pos_weight_longer_than_logits(Entry call)
    {
        // A posWeight that would enlarge the result is an error (peer-cases.md G25, this project's choice).
        var e = Throws("posWeight", () => Invoke(call, new double[3], new double[3], new double[6], new double[3]));
        Names(e, "posWeight", 6, 3);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Destination_of_the_wrong_length(Entry call)
    {
        string name = DestinationName(call);
        var shorter = Throws(name, () => Invoke(call, new double[8], new double[8], [2.0], new double[6]));
        Names(shorter, name, "logits", 6, 8);
        var longer = Throws(name, () => Invoke(call, new double[8], new double[8], [2.0], new double[9]));
        Names(longer, name, "logits", 9, 8);
    }

    [Fact]
    public void Sigmoid_destination_of_the_wrong_length()
    {
        var e = Throws("destination", () => Nn.SigmoidCrossEntropyWithLogits<double>(new double[4], new double[4], new double[3]));
        Names(e, "destination", "logits", 3, 4);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Destination_partly_overlapping_labels(Entry call)
    {
        string name = DestinationName(call);
        var memory = new double[20];
        var e = Throws(name, () => Invoke(call, memory.AsSpan(0, 10), new double[10], [2.0], memory.AsSpan(5, 10)));
        Names(e, name, "labels");
        var before = Throws(name, () => Invoke(call, memory.AsSpan(5, 10), new double[10], [2.0], memory.AsSpan(0, 10)));
        Names(before, name, "labels");
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Destination_partly_overlapping_logits(Entry call)
    {
        string name = DestinationName(call);
        var memory = new double[20];
        var e = Throws(name, () => Invoke(call, new double[10], memory.AsSpan(1, 10), [2.0], memory.AsSpan(0, 10)));
        Names(e, name, "logits");
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Destination_partly_overlapping_pos_weight(Entry call)
    {
        string name = DestinationName(call);
        var memory = new double[20];
        // Same start, different lengths: still a partial overlap.
        var sameStart = Throws(name, () => Invoke(call, new double[10], new double[10], memory.AsSpan(0, 5), memory.AsSpan(0, 10)));
        Names(sameStart, name, "posWeight");
        var inside = Throws(name, () => Invoke(call, new double[10], new double[10], memory.AsSpan(12, 2), memory.AsSpan(8, 10)));
        Names(inside, name, "posWeight");
    }

    [Fact]
    public void Sigmoid_destination_partly_overlapping_an_input()
    {
        var memory = new float[9];
        var e = Throws("destination", () => Nn.SigmoidCrossEntropyWithLogits<float>(memory.AsSpan(0, 6), new float[6], memory.AsSpan(3, 6)));
        Names(e, "destination", "labels");
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void A_failed_call_writes_nothing(Entry call)
    {
        var destination = Enumerable.Repeat(42.0, 6).ToArray();
        Assert.Throws<ArgumentException>(() => Invoke(call, new double[6], new double[6], new double[4], destination));
        Assert.All(destination, v => Assert.Equal(42.0, v));
    }

    [Theory]
    [InlineData(Reduction.None)]
    [InlineData((Reduction)42)]
    public void Fused_call_rejects_a_reduction_other_than_sum_or_mean(Reduction reduction)
    {
        var e = Throws(nameof(reduction), () => Nn.WeightedCrossEntropyWithLogitsAndGradient<double>([1.0], [0.5], [2.0], new double[1], reduction));
        Names(e, "reduction", reduction.ToString());
        Assert.Contains("Sum", e.Message, StringComparison.Ordinal);
        Assert.Contains("Mean", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void In_place_on_labels_or_logits_does_not_throw(Entry call)
    {
        double[] labels = [0, 0.5, 1, 0.25, 1];
        double[] logits = [-2, 0, 3, 0.5, -0.75];
        var onLabels = (double[])labels.Clone();
        Invoke(call, onLabels, logits, [2.0], onLabels);
        var onLogits = (double[])logits.Clone();
        Invoke(call, labels, onLogits, [2.0], onLogits);
        // Something was written: at least one element changed (results are not the inputs here).
        Assert.NotEqual(labels, onLabels);
        Assert.NotEqual(logits, onLogits);
    }

    [Fact]
    public void Sigmoid_in_place_does_not_throw()
    {
        float[] labels = [0, 1, 0.5f];
        float[] logits = [1, -1, 0];
        Nn.SigmoidCrossEntropyWithLogits<float>(labels, logits, logits);
        Nn.SigmoidCrossEntropyWithLogits<float>(labels, labels, labels);
        Assert.All(logits, v => Assert.True(v > 0));
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void Empty_inputs_are_accepted(Entry call)
    {
        Invoke(call, [], [], [2.0], []);
        Invoke(call, [], [], [1.0, 2.0, 3.0], []);
    }

    [Fact]
    public void Empty_elementwise_call_does_nothing()
    {
        // Nothing to write and no exception, for every element type; an empty span sliced from a filled array
        // leaves the array alone.
        var memory = Enumerable.Repeat(7.0, 4).ToArray();
        foreach (var op in Ops.All)
        {
            Ops.Public(op, ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, [2.0], memory.AsSpan(2, 0));
            Ops.Public(op, ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, [2f], Span<float>.Empty);
            Ops.Public(op, ReadOnlySpan<Half>.Empty, ReadOnlySpan<Half>.Empty, [(Half)2], Span<Half>.Empty);
        }

        Nn.SigmoidCrossEntropyWithLogits(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, memory.AsSpan(0, 0));
        Assert.All(memory, v => Assert.Equal(7.0, v));
    }

    [Fact]
    public void Empty_fused_sum_is_zero_and_mean_is_nan()
    {
        Assert.Equal(0.0, Nn.WeightedCrossEntropyWithLogitsAndGradient(ReadOnlySpan<double>.Empty, [], [2.0], [], Reduction.Sum));
        Assert.Equal(0f, Nn.WeightedCrossEntropyWithLogitsAndGradient(ReadOnlySpan<float>.Empty, [], [2f], [], Reduction.Sum));
        Assert.Equal((Half)0, Nn.WeightedCrossEntropyWithLogitsAndGradient(ReadOnlySpan<Half>.Empty, [], [(Half)2], [], Reduction.Sum));
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogitsAndGradient(ReadOnlySpan<double>.Empty, [], [2.0], [], Reduction.Mean)));
        Assert.True(float.IsNaN(Nn.WeightedCrossEntropyWithLogitsAndGradient(ReadOnlySpan<float>.Empty, [], [2f], [], Reduction.Mean)));
        Assert.True(Half.IsNaN(Nn.WeightedCrossEntropyWithLogitsAndGradient(ReadOnlySpan<Half>.Empty, [], [(Half)2], [], Reduction.Mean)));
        Assert.True(double.IsNaN(Nn.WeightedCrossEntropyWithLogitsAndGradient(ReadOnlySpan<double>.Empty, [], [2.0], [])), "Mean is the default");
    }
}
