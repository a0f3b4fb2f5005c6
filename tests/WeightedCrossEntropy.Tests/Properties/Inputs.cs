using System.Globalization;
using System.Numerics;
using CsCheck;

namespace WeightedCrossEntropy.Tests.Properties;

/// <summary>One random input to the span API: logits x, labels z (same length N) and posWeight q (length C, C | N).</summary>
public sealed record Batch(double[] X, double[] Z, double[] Q)
{
    public int N => X.Length;

    public T[] Logits<T>() where T : IFloatingPointIeee754<T> => Inputs.To<T>(X);

    public T[] Labels<T>() where T : IFloatingPointIeee754<T> => Inputs.To<T>(Z);

    public T[] PosWeight<T>() where T : IFloatingPointIeee754<T> => Inputs.To<T>(Q);

    /// <summary>The weight of element i, expanded (element i uses q[i % C]).</summary>
    public double[] ExpandedQ() => Enumerable.Range(0, N).Select(i => Q[i % Q.Length]).ToArray();

    public override string ToString() =>
        $"N={N} C={Q.Length}\n x=[{Inputs.Print(X)}]\n z=[{Inputs.Print(Z)}]\n q=[{Inputs.Print(Q)}]";
}

/// <summary>Generators and small numeric helpers shared by the properties. Nothing here calls the library.</summary>
internal static class Inputs
{
    /// <summary>Logits over the whole range: sign · 10^U(−30, log10 800), moderate values, the hard spots of exp,
    /// signed zeros, and rarely ±∞ or NaN.</summary>
    public static readonly Gen<double> WideLogit = Gen.Frequency<double>(
        (12, from negative in Gen.Bool
             from exponent in Gen.Double[-30, 2.9030899869919435]
             select (negative ? -1 : 1) * System.Math.Pow(10, exponent)),
        (4, Gen.Double[-40, 40]),
        (2, Gen.OneOf(0.0, -0.0, 15.0, -15.0, 17.0, -17.0, 20.0, -20.0, 37.0, -37.0, 88.0, -88.0, 89.0, -89.0,
            103.5, -103.5, 700.0, -700.0, 708.5, -708.5, 710.0, -710.0, 745.0, -745.0, 800.0, -800.0)),
        (1, Gen.OneOf(double.PositiveInfinity, double.NegativeInfinity, double.NaN)));

    /// <summary>Finite logits only (same spread as <see cref="WideLogit"/>).</summary>
    public static readonly Gen<double> FiniteLogit = WideLogit.Where(double.IsFinite);

    /// <summary>Soft labels in [0, 1], hard labels, and a few special ones.</summary>
    public static readonly Gen<double> Label = Gen.Frequency<double>(
        (6, Gen.Double[0, 1]),
        (3, Gen.OneOf(0.0, 1.0)),
        (1, Gen.OneOf(0.5, 1e-7, 0.1, 0.9)));

    /// <summary>pos_weight in [0, 300]: uniform, log-uniform from 1e-3, and special values.</summary>
    public static readonly Gen<double> Weight = Gen.Frequency<double>(
        (4, Gen.Double[0, 300]),
        (3, Gen.Double[-3, 2.4771212547196626].Select(e => System.Math.Pow(10, e))),
        (1, Gen.OneOf(0.0, 1.0, 2.0, 300.0)));

    /// <summary>A length 0..100 and a per-class count C dividing it (any small C for N = 0).</summary>
    public static readonly Gen<(int N, int C)> Shape =
        from n in Gen.Int[0, 100]
        from c in n == 0 ? Gen.Int[1, 5] : Gen.OneOf(Divisors(n))
        select (n, c);

    public static Gen<Batch> Cases(Gen<double> logit, Gen<double> label, Gen<double> weight, Gen<(int N, int C)> shape) =>
        from s in shape
        from x in logit.Array[s.N]
        from z in label.Array[s.N]
        from q in weight.Array[s.C]
        select new Batch(x, z, q);

    /// <summary>The default: wide logits (with ±∞ and NaN), soft labels, weights in [0, 300], N in 0..100.</summary>
    public static readonly Gen<Batch> Wide = Cases(WideLogit, Label, Weight, Shape);

    /// <summary>As <see cref="Wide"/> with finite logits only.</summary>
    public static readonly Gen<Batch> Finite = Cases(FiniteLogit, Label, Weight, Shape);

    public static int[] Divisors(int n) => Enumerable.Range(1, n).Where(c => n % c == 0).ToArray();

    public static T[] To<T>(double[] values) where T : IFloatingPointIeee754<T> =>
        Array.ConvertAll(values, T.CreateTruncating);

    public static double[] Widen<T>(T[] values) where T : IFloatingPointIeee754<T> =>
        Array.ConvertAll(values, double.CreateTruncating);

    public static string Print(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>The IEEE bits of a float, double or Half, for exact comparisons (NaN payloads included).</summary>
    public static long Bits<T>(T value) => value switch
    {
        double d => BitConverter.DoubleToInt64Bits(d),
        float f => BitConverter.SingleToInt32Bits(f),
        Half h => BitConverter.HalfToInt16Bits(h),
        _ => throw new NotSupportedException(typeof(T).Name),
    };

    /// <summary>Null if the arrays hold the same bits, else where and how they first differ.</summary>
    public static string? FirstBitDifference<T>(T[] expected, T[] actual)
        where T : IFloatingPointIeee754<T>
    {
        if (expected.Length != actual.Length)
        {
            return $"length {actual.Length}, expected {expected.Length}";
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (Bits(expected[i]) != Bits(actual[i]))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"element {i}: {double.CreateTruncating(actual[i]):R} (bits {Bits(actual[i]):X}), expected {double.CreateTruncating(expected[i]):R} (bits {Bits(expected[i]):X})");
            }
        }

        return null;
    }

    /// <summary>Distance in representable values between two finite numbers of the same type (0 for equal bits,
    /// +0 and −0 are 0 apart).</summary>
    public static double UlpDistance(double a, double b)
    {
        static long Ordered(double v)
        {
            long bits = BitConverter.DoubleToInt64Bits(v);
            return bits < 0 ? long.MinValue - bits : bits;
        }

        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b) ? 0 : double.PositiveInfinity;
        }

        return (double)Int128.Abs((Int128)Ordered(a) - Ordered(b));
    }

    public static double UlpDistance(float a, float b)
    {
        static long Ordered(float v)
        {
            int bits = BitConverter.SingleToInt32Bits(v);
            return bits < 0 ? int.MinValue - (long)bits : bits;
        }

        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : double.PositiveInfinity;
        }

        return System.Math.Abs(Ordered(a) - Ordered(b));
    }

    /// <summary>
    /// The correctly rounded sum of doubles (Shewchuk's exact partials, as Python's math.fsum): the reference for
    /// every compensated sum.
    /// </summary>
    public static double ExactSum(IEnumerable<double> values)
    {
        var partials = new List<double>();
        double special = 0;
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
            {
                special += value;
                continue;
            }

            double x = value;
            int kept = 0;
            for (int j = 0; j < partials.Count; j++)
            {
                double y = partials[j];
                if (System.Math.Abs(x) < System.Math.Abs(y))
                {
                    (x, y) = (y, x);
                }

                double hi = x + y;
                double lo = y - (hi - x);
                if (lo != 0)
                {
                    partials[kept++] = lo;
                }

                x = hi;
            }

            partials.RemoveRange(kept, partials.Count - kept);
            partials.Add(x);
        }

        if (special != 0 || double.IsNaN(special))
        {
            return special;
        }

        int n = partials.Count;
        if (n == 0)
        {
            return 0;
        }

        double total = partials[--n];
        double rest = 0;
        while (n > 0)
        {
            double x = total;
            double y = partials[--n];
            total = x + y;
            rest = y - (total - x);
            if (rest != 0)
            {
                break;
            }
        }

        // Round half to even across the partials, as fsum does.
        if (n > 0 && ((rest < 0 && partials[n - 1] < 0) || (rest > 0 && partials[n - 1] > 0)))
        {
            double y = rest * 2;
            double x = total + y;
            if (y == x - total)
            {
                total = x;
            }
        }

        return total;
    }
}
