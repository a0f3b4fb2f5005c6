using System.Globalization;
using WeightedCrossEntropy.Testing;

namespace WeightedCrossEntropy.Tests.Reference;

/// <summary>One row of <c>shared/reference/golden.csv</c>: inputs and exact results, rounded once to the dtype.</summary>
public sealed record GoldenRow(int Line, bool IsSingle, double X, double Z, double Q, double Loss, double Dx, double Dz, double Dq)
{
    private static readonly Lazy<IReadOnlyList<GoldenRow>> AllRows = new(Load);

    public static IReadOnlyList<GoldenRow> All => AllRows.Value;

    public bool InputsFinite => double.IsFinite(X) && double.IsFinite(Z) && double.IsFinite(Q);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"line {Line} ({(IsSingle ? "float32" : "float64")} x={X:R} z={Z:R} q={Q:R})");

    private static List<GoldenRow> Load()
    {
        var rows = new List<GoldenRow>();
        var path = RepoFiles.Shared("reference", "golden.csv")
            ?? throw new DirectoryNotFoundException("shared/reference/golden.csv is not beside this checkout");
        var lines = File.ReadAllLines(path);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var f = lines[i].Split(',');
            bool isFloat32 = f[0] == "float32";
            double Parse(string s) => isFloat32
                ? float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)
                : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            rows.Add(new GoldenRow(i + 1, isFloat32, Parse(f[1]), Parse(f[2]), Parse(f[3]), Parse(f[4]), Parse(f[5]),
                Parse(f[6]), Parse(f[7])));
        }

        return rows;
    }
}
