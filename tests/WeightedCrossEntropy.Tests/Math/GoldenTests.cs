using System.Globalization;
using System.Text;
using WeightedCrossEntropy.Loops;
using WeightedCrossEntropy.Math;
using WeightedCrossEntropy.Tests.Reference;
using Xunit;

namespace WeightedCrossEntropy.Tests.Math;

/// <summary>
/// Every row of data/reference/reference.csv, on every lane width this machine runs, within 2 ULP (float32) and
/// 3 ULP (float64) counted as data/reference/README.md says; non-finite results exactly. Where shared/reference/golden.csv
/// (computed independently) is beside the checkout, its rows are held to the same bounds.
/// </summary>
public sealed class GoldenTests
{
    public enum Column { Loss, Dx, Dz, Dq }

    public static TheoryData<Column, string, bool> Cases()
    {
        var data = new TheoryData<Column, string, bool>();
        foreach (var column in Enum.GetValues<Column>())
        {
            foreach (var width in new[] { "Best", "Scalar", "Vector128", "Vector256", "Vector512" })
            {
                data.Add(column, width, true);
                data.Add(column, width, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_reference_row_is_within_the_bound(Column column, string lanes, bool isFloat32) =>
        CheckRows(GoldenRow.All, column, lanes, isFloat32);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_shared_golden_row_is_within_the_bound(Column column, string lanes, bool isFloat32)
    {
        if (GoldenRow.SharedGolden is not { } golden)
        {
            Assert.Skip("shared/reference/golden.csv is not beside this checkout");
            return;
        }

        CheckRows(golden, column, lanes, isFloat32);
    }

    private static void CheckRows(IReadOnlyList<GoldenRow> all, Column column, string lanes, bool isFloat32)
    {
        var width = Enum.Parse<LaneWidth>(lanes);
        var rows = all.Where(r => r.IsSingle == isFloat32).ToArray();
        Assert.NotEmpty(rows);
        double[] actual = isFloat32 ? Compute<float>(rows, column, width) : Compute<double>(rows, column, width);
        double bound = isFloat32 ? 2 : 3;

        var failures = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            double expected = column switch
            {
                Column.Loss => r.Loss,
                Column.Dx => r.Dx,
                Column.Dz => r.Dz,
                _ => r.Dq,
            };
            double unitMagnitude = column switch
            {
                Column.Loss => TermMagnitudes.Loss(r.X, r.Z, r.Q),
                Column.Dx => TermMagnitudes.Dx(r.X, r.Z, r.Q),
                Column.Dz => TermMagnitudes.Dz(r.X, r.Q),
                _ => 0,
            };
            bool nanExpected = double.IsNaN(expected);
            double error = nanExpected
                ? (double.IsNaN(actual[i]) ? 0 : double.PositiveInfinity)
                : Ulp.Error(actual[i], expected, unitMagnitude, isFloat32);
            worst = System.Math.Max(worst, error);
            if (error > bound && failures.Length < 4000)
            {
                failures.AppendLine(CultureInfo.InvariantCulture,
                    $"{r}: {column} = {actual[i]:R}, expected {expected:R}, {error:F2} ULP");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{column} {width} float32={isFloat32}: worst {worst:F3} ULP");
        Assert.True(failures.Length == 0, $"worst {worst:F2} ULP (bound {bound}) on {width}:\n{failures}");
    }

    private static double[] Compute<T>(GoldenRow[] rows, Column column, LaneWidth width)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var x = rows.Select(r => T.CreateTruncating(r.X)).ToArray();
        var z = rows.Select(r => T.CreateTruncating(r.Z)).ToArray();
        var q = rows.Select(r => T.CreateTruncating(r.Q)).ToArray();
        var d = new T[rows.Length];
        _ = column switch
        {
            Column.Loss => Dispatch.Apply<LossOperator, T>(z, x, q, 0, d, Scale.One, width),
            Column.Dx => Dispatch.Apply<LogitsGradientOperator, T>(z, x, q, 0, d, Scale.One, width),
            Column.Dz => Dispatch.Apply<LabelsGradientOperator, T>(z, x, q, 0, d, Scale.One, width),
            _ => Dispatch.Apply<PosWeightGradientOperator, T>(z, x, q, 0, d, Scale.One, width),
        };
        return d.Select(double.CreateTruncating).ToArray();
    }
}
