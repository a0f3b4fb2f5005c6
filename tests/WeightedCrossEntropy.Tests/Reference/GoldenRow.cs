using System.Globalization;
using WeightedCrossEntropy.Testing;

namespace WeightedCrossEntropy.Tests.Reference;

/// <summary>
/// One row of a reference file: inputs and exact results, rounded once to the dtype. <see cref="All"/> is the
/// repository's own <c>data/reference/reference.csv</c> (written by <c>tools/make_reference.py</c>, see
/// data/reference/README.md); <see cref="SharedGolden"/> is the independent <c>shared/reference/golden.csv</c>, read only
/// where that folder is beside the checkout, for a cross-check.
/// </summary>
public sealed record GoldenRow(int Line, bool IsSingle, double X, double Z, double Q, double Loss, double Dx, double Dz, double Dq)
{
    private static readonly Lazy<IReadOnlyList<GoldenRow>> AllRows =
        new(() => Load(RepoFiles.Data("reference", "reference.csv")));

    private static readonly Lazy<IReadOnlyList<GoldenRow>?> SharedRows =
        new(() => RepoFiles.Shared("reference", "golden.csv") is { } path ? Load(path) : null);

    /// <summary>Every row of data/reference/reference.csv.</summary>
    public static IReadOnlyList<GoldenRow> All => AllRows.Value;

    /// <summary>Every row of shared/reference/golden.csv, or null where that file is not beside the checkout.</summary>
    public static IReadOnlyList<GoldenRow>? SharedGolden => SharedRows.Value;

    /// <summary>The file the row comes from (its name only).</summary>
    public string File { get; init; } = "";

    public bool InputsFinite => double.IsFinite(X) && double.IsFinite(Z) && double.IsFinite(Q);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File} line {Line} ({(IsSingle ? "float32" : "float64")} x={X:R} z={Z:R} q={Q:R})");

    private static List<GoldenRow> Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"reference file not found: {path}", path);
        }

        var name = Path.GetFileName(path);
        var rows = new List<GoldenRow>();
        var lines = System.IO.File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != "dtype,x,z,q,loss,dx,dz,dq")
        {
            throw new InvalidDataException($"{path} line 1: expected the header dtype,x,z,q,loss,dx,dz,dq");
        }

        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var f = lines[i].Split(',');
            if (f.Length != 8 || (f[0] != "float32" && f[0] != "float64"))
            {
                throw new InvalidDataException($"{path} line {i + 1}: expected 8 fields starting with float32 or float64");
            }

            bool isFloat32 = f[0] == "float32";
            double Parse(string s) => isFloat32
                ? float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)
                : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            rows.Add(new GoldenRow(i + 1, isFloat32, Parse(f[1]), Parse(f[2]), Parse(f[3]), Parse(f[4]), Parse(f[5]),
                Parse(f[6]), Parse(f[7])) { File = name });
        }

        return rows;
    }
}
