using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Math;

/// <summary>
/// Every row of data/reference/weighted.csv (sample weight w, label smoothing ε) through the public API: the span
/// loss and its gradients with respect to the logits, labels and pos_weight, the fused gradient, the byte-label
/// overloads (rows with z ∈ {0, 1}), and the tensor loss and gradients (the sample weight's gradient included), within
/// 2 ULP (float32) and 3 ULP (float64) counted as data/reference/README.md says (the unit of the larger term where a
/// result is a difference of two terms); non-finite references exactly. Each call takes one ε, so the rows go in one
/// call per dtype and ε, with pos_weight and sample weight given one per element. Half: the float64 rows whose inputs
/// are Halves, within 1 Half ULP of the reference rounded to Half. The worst error of each case goes to the test output.
/// </summary>
public sealed class WeightedReferenceTests
{
    public enum Column { Loss, Dx, Dz, Dq, Dw }

    /// <summary>The ways through the public API a column is computed.</summary>
    public enum Form
    {
        /// <summary>The elementwise span overloads.</summary>
        Span,

        /// <summary>The fused span overload with Reduction.Sum: its logits gradient is ∂/∂x of every element.</summary>
        FusedSum,

        /// <summary>The span overloads with byte labels (rows with z ∈ {0, 1}).</summary>
        ByteLabels,

        /// <summary>The fused byte-label overload with Reduction.Sum.</summary>
        ByteLabelsFusedSum,

        /// <summary>The tensor loss, and the tensor gradients given an upstream gradient of ones.</summary>
        Tensor,

        /// <summary>The tensor gradients of Reduction.Sum.</summary>
        TensorSum,
    }

    public static TheoryData<Form, Column, bool> Cases()
    {
        var data = new TheoryData<Form, Column, bool>();
        foreach (var isFloat32 in new[] { true, false })
        {
            foreach (var column in new[] { Column.Loss, Column.Dx, Column.Dz, Column.Dq })
            {
                data.Add(Form.Span, column, isFloat32);
            }

            data.Add(Form.FusedSum, Column.Dx, isFloat32);
            data.Add(Form.ByteLabels, Column.Loss, isFloat32);
            data.Add(Form.ByteLabels, Column.Dx, isFloat32);
            data.Add(Form.ByteLabelsFusedSum, Column.Dx, isFloat32);
            foreach (var column in Enum.GetValues<Column>())
            {
                data.Add(Form.Tensor, column, isFloat32);
            }

            foreach (var column in new[] { Column.Dx, Column.Dz, Column.Dq, Column.Dw })
            {
                data.Add(Form.TensorSum, column, isFloat32);
            }
        }

        return data;
    }

    [Fact]
    public void The_reference_file_holds_the_cases_it_is_meant_to()
    {
        foreach (var isFloat32 in new[] { true, false })
        {
            var rows = WeightedRow.All.Where(r => r.IsSingle == isFloat32).ToArray();
            Assert.True(rows.Length > 3000, $"{rows.Length} rows");
            foreach (var eps in new[] { 0, 0.1, 0.2, 1e-7, 0.5, 1 })
            {
                Assert.Contains(rows, r => r.Eps == eps);
            }

            foreach (var w in new[] { 1, 0, 0.5, 3, 1e-3, 1e6, -2 })
            {
                Assert.Contains(rows, r => r.W == (isFloat32 ? (float)w : w));
            }

            Assert.Contains(rows, r => r.Eps is > 0 and < 1 && r.Eps != 0.1 && r.Eps != 0.2 && r.Eps != 0.5 && r.Eps != 1e-7);
            Assert.Contains(rows, r => r.Q == 0);
            Assert.Contains(rows, r => r.Q < 0);
            Assert.Contains(rows, r => r.Z is > 0 and < 1);

            // Zero weight times an infinite limit: 0 in every weighted column.
            var zeroTimesInfinity = rows.Where(r => r.W == 0 && double.IsInfinity(r.Dw)).ToArray();
            Assert.NotEmpty(zeroTimesInfinity);
            Assert.All(zeroTimesInfinity, r => Assert.True(r.Loss == 0 && r.Dx == 0 && r.Dz == 0 && r.Dq == 0, r.ToString()));
            Assert.Contains(rows, r => double.IsPositiveInfinity(r.X));
            Assert.Contains(rows, r => double.IsNegativeInfinity(r.X));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_row_is_within_the_bound(Form form, Column column, bool isFloat32)
    {
        var rows = WeightedRow.All.Where(r => r.IsSingle == isFloat32).ToArray();
        if (form is Form.ByteLabels or Form.ByteLabelsFusedSum)
        {
            rows = rows.Where(r => r.Z is 0 or 1).ToArray();
        }

        Assert.NotEmpty(rows);
        double[] actual = isFloat32 ? Compute<float>(rows, form, column) : Compute<double>(rows, form, column);
        double bound = isFloat32 ? 2 : 3;

        var failures = new StringBuilder();
        int failed = 0;
        double worst = 0;
        WeightedRow? worstRow = null;
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            var (expected, magnitude) = Expected(r, column);
            double error = ErrorOf(actual[i], expected, magnitude, isFloat32);
            if (error > worst)
            {
                (worst, worstRow) = (error, r);
            }

            if (error > bound)
            {
                failed++;
                if (failures.Length < 6000)
                {
                    failures.AppendLine(CultureInfo.InvariantCulture,
                        $"{r}: {column} = {actual[i]:R}, expected {expected:R}, {error:F2} ULP");
                }
            }
        }

        string dtype = isFloat32 ? "float32" : "float64";
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{form} {column} {dtype}: worst {worst:F3} ULP over {rows.Length} rows{(worstRow is null ? "" : $" at {worstRow}")}");
        Assert.True(failed == 0, $"{form} {column} {dtype}: {failed} of {rows.Length} rows beyond {bound} ULP, worst {worst:F2}:\n{failures}");
    }

    public static TheoryData<Column> HalfColumns() => new() { Column.Loss, Column.Dx, Column.Dz, Column.Dq };

    /// <summary>Half inputs from the float64 rows whose x, z, q and w are Halves (NaN and ±∞ included): each result
    /// within 1 Half ULP of the float64 reference rounded to Half (the library computes in double and rounds once;
    /// the rounding of the reference to Half and that of the library's result may fall on either side of a Half
    /// boundary, never further apart).</summary>
    [Theory]
    [MemberData(nameof(HalfColumns))]
    public void Half_rows_are_within_one_Half_ULP(Column column)
    {
        var rows = WeightedRow.All.Where(r => !r.IsSingle && IsHalf(r.X) && IsHalf(r.Z) && IsHalf(r.Q) && IsHalf(r.W)).ToArray();
        Assert.True(rows.Length > 300, $"only {rows.Length} float64 rows have Half inputs");
        double[] actual = Compute<Half>(rows, Form.Span, column);

        var failures = new StringBuilder();
        int failed = 0;
        double worst = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            var (reference, magnitude) = Expected(r, column);
            double expected = (double)(Half)reference;
            double error;
            if (double.IsNaN(expected) || !double.IsFinite(actual[i]) || !double.IsFinite(expected))
            {
                error = actual[i].Equals(expected) ? 0 : double.PositiveInfinity;
            }
            else
            {
                error = System.Math.Abs(actual[i] - expected) / HalfUnit(System.Math.Max(System.Math.Abs(expected), magnitude));
            }

            worst = System.Math.Max(worst, error);
            if (error > 1)
            {
                failed++;
                if (failures.Length < 6000)
                {
                    failures.AppendLine(CultureInfo.InvariantCulture,
                        $"{r} as Half: {column} = {actual[i]:R}, expected {expected:R} (float64 {reference:R}), {error:F2} Half ULP");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"Span {column} Half: worst {worst:F3} Half ULP over {rows.Length} rows");
        Assert.True(failed == 0, $"Half {column}: {failed} of {rows.Length} rows beyond 1 Half ULP, worst {worst:F2}:\n{failures}");
    }

    /// <summary>The unit in the last place of Half at a magnitude (10 fraction bits; below the smallest normal
    /// number 2^−14, that number).</summary>
    private static double HalfUnit(double magnitude)
    {
        const double minNormal = 6.103515625e-05;
        if (!(magnitude >= minNormal))
        {
            return minNormal;
        }

        magnitude = System.Math.Min(magnitude, 65504);
        return System.Math.ScaleB(1.0, System.Math.ILogB(magnitude) - 10);
    }

    private static bool IsHalf(double v) => double.IsNaN(v) || (double)(Half)v == v;

    /// <summary>The error rule of <see cref="GoldenTests"/>: a NaN reference needs a NaN, other non-finite references
    /// the same value, finite ones <see cref="Ulp.Error"/> with the unit of the larger term.</summary>
    private static double ErrorOf(double actual, double expected, double magnitude, bool isFloat32) =>
        double.IsNaN(expected)
            ? (double.IsNaN(actual) ? 0 : double.PositiveInfinity)
            : Ulp.Error(actual, expected, magnitude, isFloat32);

    /// <summary>The reference and the size of the larger of the result's two terms where they may cancel, from
    /// <see cref="TermMagnitudes"/> (written from the textbook formulas) with the smoothed label and the factors w
    /// and 1 − ε (a zero factor times an infinite term counts as 0).</summary>
    private static (double Expected, double Magnitude) Expected(WeightedRow r, Column column)
    {
        double zs = r.SmoothedLabel;
        return column switch
        {
            Column.Loss => (r.Loss, Scaled(r.W, TermMagnitudes.Loss(r.X, zs, r.Q))),
            Column.Dx => (r.Dx, Scaled(r.W, TermMagnitudes.Dx(r.X, zs, r.Q))),
            Column.Dz => (r.Dz, Scaled(r.W * (1 - r.Eps), TermMagnitudes.Dz(r.X, r.Q))),
            Column.Dq => (r.Dq, 0),
            _ => (r.Dw, TermMagnitudes.Loss(r.X, zs, r.Q)),
        };
    }

    private static double Scaled(double factor, double magnitude) =>
        factor == 0 || magnitude == 0 ? 0 : System.Math.Abs(factor * magnitude);

    /// <summary>The rows' results in the order of the rows, one call per ε.</summary>
    private static double[] Compute<T>(WeightedRow[] rows, Form form, Column column)
        where T : IFloatingPointIeee754<T>
    {
        var result = new double[rows.Length];
        foreach (var group in Enumerable.Range(0, rows.Length).GroupBy(i => rows[i].Eps))
        {
            int[] index = group.ToArray();
            double eps = group.Key;
            T[] z = index.Select(i => T.CreateTruncating(rows[i].Z)).ToArray();
            T[] x = index.Select(i => T.CreateTruncating(rows[i].X)).ToArray();
            T[] q = index.Select(i => T.CreateTruncating(rows[i].Q)).ToArray();
            T[] w = index.Select(i => T.CreateTruncating(rows[i].W)).ToArray();
            T[] values = form switch
            {
                Form.Span => SpanForm(z, x, q, w, eps, column),
                Form.FusedSum => FusedSum(z, x, q, w, eps),
                Form.ByteLabels => ByteLabelForm(ByteLabels(z), x, q, w, eps, column),
                Form.ByteLabelsFusedSum => ByteLabelsFusedSum(ByteLabels(z), x, q, w, eps),
                Form.Tensor => TensorForm(z, x, q, w, eps, column, reduced: false),
                _ => TensorForm(z, x, q, w, eps, column, reduced: true),
            };
            Assert.Equal(index.Length, values.Length);
            for (int k = 0; k < index.Length; k++)
            {
                result[index[k]] = double.CreateTruncating(values[k]);
            }
        }

        return result;
    }

    private static byte[] ByteLabels<T>(T[] z)
        where T : IFloatingPointIeee754<T> =>
        z.Select(v => v == T.One ? (byte)1 : v == T.Zero ? (byte)0 : throw new InvalidOperationException($"label {v} is not 0 or 1")).ToArray();

    private static T[] SpanForm<T>(T[] z, T[] x, T[] q, T[] w, double eps, Column column)
        where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> labels = z, logits = x, posWeight = q, sampleWeight = w;
        var d = new T[x.Length];
        switch (column)
        {
            case Column.Loss:
                Nn.WeightedCrossEntropyWithLogits(labels, logits, posWeight, sampleWeight, d.AsSpan(), labelSmoothing: eps);
                break;
            case Column.Dx:
                Nn.WeightedCrossEntropyWithLogitsGradient(labels, logits, posWeight, sampleWeight, d.AsSpan(), labelSmoothing: eps);
                break;
            case Column.Dz:
                Nn.WeightedCrossEntropyWithLogitsLabelsGradient(labels, logits, posWeight, sampleWeight, d.AsSpan(), labelSmoothing: eps);
                break;
            case Column.Dq:
                Nn.WeightedCrossEntropyWithLogitsPosWeightGradient(labels, logits, posWeight, sampleWeight, d.AsSpan(), labelSmoothing: eps);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(column), column, "the span API has no elementwise ∂/∂w");
        }

        return d;
    }

    private static T[] FusedSum<T>(T[] z, T[] x, T[] q, T[] w, double eps)
        where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> labels = z, logits = x, posWeight = q, sampleWeight = w;
        var g = new T[x.Length];
        _ = Nn.WeightedCrossEntropyWithLogitsAndGradient(labels, logits, posWeight, sampleWeight, g.AsSpan(), Reduction.Sum, labelSmoothing: eps);
        return g;
    }

    private static T[] ByteLabelForm<T>(byte[] z, T[] x, T[] q, T[] w, double eps, Column column)
        where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<byte> labels = z;
        ReadOnlySpan<T> logits = x, posWeight = q, sampleWeight = w;
        var d = new T[x.Length];
        switch (column)
        {
            case Column.Loss:
                Nn.WeightedCrossEntropyWithLogits(labels, logits, posWeight, sampleWeight, d.AsSpan(), labelSmoothing: eps);
                break;
            case Column.Dx:
                Nn.WeightedCrossEntropyWithLogitsGradient(labels, logits, posWeight, sampleWeight, d.AsSpan(), labelSmoothing: eps);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(column), column, "the byte-label API has the loss and ∂/∂x");
        }

        return d;
    }

    private static T[] ByteLabelsFusedSum<T>(byte[] z, T[] x, T[] q, T[] w, double eps)
        where T : IFloatingPointIeee754<T>
    {
        ReadOnlySpan<byte> labels = z;
        ReadOnlySpan<T> logits = x, posWeight = q, sampleWeight = w;
        var g = new T[x.Length];
        _ = Nn.WeightedCrossEntropyWithLogitsAndGradient(labels, logits, posWeight, sampleWeight, g.AsSpan(), Reduction.Sum, labelSmoothing: eps);
        return g;
    }

    /// <summary>The tensor forms on 1-D tensors of the rows, pos_weight and sample weight one per element (so each
    /// element's pos_weight and sample-weight gradient is its own, summed over nothing).</summary>
    private static T[] TensorForm<T>(T[] z, T[] x, T[] q, T[] w, double eps, Column column, bool reduced)
        where T : IFloatingPointIeee754<T>
    {
        nint[] shape = [x.Length];
        var labels = Tensor.Create(z, shape);
        var logits = Tensor.Create(x, shape);
        var posWeight = Tensor.Create(q, shape);
        var sampleWeight = Tensor.Create(w, shape);
        if (column == Column.Loss)
        {
            Assert.False(reduced, "the reduced tensor loss is one number");
            return Flat(Nn.WeightedCrossEntropyWithLogits<T>(labels, logits, posWeight, sampleWeight, labelSmoothing: eps));
        }

        WeightedCrossEntropyGradients<T> gradients;
        if (reduced)
        {
            gradients = Nn.WeightedCrossEntropyWithLogitsGradients<T>(labels, logits, posWeight, sampleWeight, Reduction.Sum, labelSmoothing: eps);
        }
        else
        {
            var ones = Tensor.Create(Enumerable.Repeat(T.One, x.Length).ToArray(), shape);
            gradients = Nn.WeightedCrossEntropyWithLogitsGradients<T>(labels, logits, posWeight, sampleWeight, ones, labelSmoothing: eps);
        }

        var tensor = column switch
        {
            Column.Dx => gradients.Logits,
            Column.Dz => gradients.Labels,
            Column.Dq => gradients.PosWeight,
            _ => gradients.SampleWeight ?? throw new InvalidOperationException("SampleWeight gradient is null for a call with a sample weight"),
        };
        Assert.Equal(new nint[] { x.Length }, tensor.Lengths.ToArray());
        return Flat(tensor);
    }

    private static T[] Flat<T>(Tensor<T> tensor)
    {
        var flat = new T[tensor.FlattenedLength];
        tensor.FlattenTo(flat);
        return flat;
    }
}
