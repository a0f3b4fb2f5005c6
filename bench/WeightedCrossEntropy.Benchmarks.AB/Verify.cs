extern alias New;
extern alias Old;

using System.Numerics;
using System.Numerics.Tensors;
using NewNn = New::WeightedCrossEntropy.Nn;
using NewReduction = New::WeightedCrossEntropy.Reduction;
using OldNn = Old::WeightedCrossEntropy.Nn;
using OldReduction = Old::WeightedCrossEntropy.Reduction;

namespace WeightedCrossEntropy.Benchmarks.AB;

/// <summary>
/// <c>--verify</c>: every span form, the reduced loss, the fused step and the tensor gradients of Old and New on the
/// same inputs (hard labels, soft labels, logits past the float kernels' range, NaN and ±∞, negative, zero and huge
/// weights), compared bit for bit; prints each difference's size in ULP of the element type.
/// </summary>
internal static class Verify
{
    public static int Run()
    {
        int differences = Check<float>() + Check<double>() + Check<Half>();
        Console.WriteLine(differences == 0 ? "verify: Old and New agree bit for bit" : $"verify: {differences} differences");
        return differences == 0 ? 0 : 1;
    }

    private static int Check<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int n = 40_000;
        var rng = new Random(11);
        var z = new T[n];
        var x = new T[n];
        for (int i = 0; i < n; i++)
        {
            bool soft = i >= n / 2;
            z[i] = soft ? T.CreateTruncating(rng.NextDouble()) : (rng.Next(10) == 0 ? T.One : T.Zero);
            double logit = (rng.NextDouble() * 200) - 100;
            x[i] = T.CreateTruncating(rng.Next(500) switch
            {
                0 => double.NaN,
                1 => double.PositiveInfinity,
                2 => double.NegativeInfinity,
                _ => rng.Next(4) == 0 ? logit : logit / 10,
            });
        }

        T[] q = [.. new[] { 1.5, 0.25, 7, 1, 0, -2, 3e19, 0.5 }.Select(T.CreateTruncating)];
        int count = 0;
        count += Compare<T>("Loss", d => OldNn.WeightedCrossEntropyWithLogits<T>(z, x, q, d), d => NewNn.WeightedCrossEntropyWithLogits<T>(z, x, q, d), n);
        count += Compare<T>("Gradient", d => OldNn.WeightedCrossEntropyWithLogitsGradient<T>(z, x, q, d), d => NewNn.WeightedCrossEntropyWithLogitsGradient<T>(z, x, q, d), n);
        count += Compare<T>("LabelsGradient", d => OldNn.WeightedCrossEntropyWithLogitsLabelsGradient<T>(z, x, q, d), d => NewNn.WeightedCrossEntropyWithLogitsLabelsGradient<T>(z, x, q, d), n);
        count += Compare<T>("PosWeightGradient", d => OldNn.WeightedCrossEntropyWithLogitsPosWeightGradient<T>(z, x, q, d), d => NewNn.WeightedCrossEntropyWithLogitsPosWeightGradient<T>(z, x, q, d), n);
        count += Compare<T>("FusedMean", d => d[0] = OldNn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, d.AsSpan(1), OldReduction.Mean), d => d[0] = NewNn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, d.AsSpan(1), NewReduction.Mean), n + 1);
        count += Compare<T>("FusedSum", d => d[0] = OldNn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, d.AsSpan(1), OldReduction.Sum), d => d[0] = NewNn.WeightedCrossEntropyWithLogitsAndGradient<T>(z, x, q, d.AsSpan(1), NewReduction.Sum), n + 1);
        count += Compare<T>("ReducedMean", d => d[0] = OldNn.WeightedCrossEntropyWithLogits<T>(z, x, q, OldReduction.Mean), d => d[0] = NewNn.WeightedCrossEntropyWithLogits<T>(z, x, q, NewReduction.Mean), 1);
        foreach (var (name, oldReduction, newReduction) in new[] { ("Mean", OldReduction.Mean, NewReduction.Mean), ("Sum", OldReduction.Sum, NewReduction.Sum) })
        {
            count += Compare<T>(
                $"TensorGradients{name}",
                d => Flatten(OldNn.WeightedCrossEntropyWithLogitsGradients(Tensor(z), Tensor(x), new ReadOnlyTensorSpan<T>(q), oldReduction), d),
                d => Flatten(NewNn.WeightedCrossEntropyWithLogitsGradients(Tensor(z), Tensor(x), new ReadOnlyTensorSpan<T>(q), newReduction), d),
                (2 * n) + q.Length);
        }

        return count;
    }

    private static ReadOnlyTensorSpan<T> Tensor<T>(T[] values) => new(values, [values.Length / 8, 8], []);

    private static void Flatten<T>(Old::WeightedCrossEntropy.WeightedCrossEntropyGradients<T> g, T[] d)
        where T : IFloatingPointIeee754<T>
    {
        g.Labels.FlattenTo(d);
        g.Logits.FlattenTo(d.AsSpan((int)g.Labels.FlattenedLength));
        g.PosWeight.FlattenTo(d.AsSpan((int)(g.Labels.FlattenedLength + g.Logits.FlattenedLength)));
    }

    private static void Flatten<T>(New::WeightedCrossEntropy.WeightedCrossEntropyGradients<T> g, T[] d)
        where T : IFloatingPointIeee754<T>
    {
        g.Labels.FlattenTo(d);
        g.Logits.FlattenTo(d.AsSpan((int)g.Labels.FlattenedLength));
        g.PosWeight.FlattenTo(d.AsSpan((int)(g.Labels.FlattenedLength + g.Logits.FlattenedLength)));
    }

    private static int Compare<T>(string what, Action<T[]> old, Action<T[]> @new, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = new T[length];
        var b = new T[length];
        old(a);
        @new(b);
        int differ = 0;
        double worst = 0;
        for (int i = 0; i < length; i++)
        {
            double u = double.CreateTruncating(a[i]);
            double v = double.CreateTruncating(b[i]);
            if (u.Equals(v) && (u != 0 || double.IsNegative(u) == double.IsNegative(v)))
            {
                continue;
            }

            differ++;
            double ulp = double.CreateTruncating(T.BitIncrement(T.Abs(a[i])) - T.Abs(a[i]));
            worst = System.Math.Max(worst, System.Math.Abs(u - v) / ulp);
        }

        Console.WriteLine($"{typeof(T).Name,-7} {what,-22} {(differ == 0 ? "same bits" : $"{differ} of {length} differ, worst {worst:F2} ULP")}");
        return differ;
    }
}
