using System.Globalization;
using WeightedCrossEntropy.Testing;

namespace WeightedCrossEntropy.Tests.Reference;

/// <summary>
/// One row of <c>data/reference/weighted.csv</c> (written by <c>tools/make_reference.py</c>, see
/// data/reference/README.md): the inputs x, z, q and the sample weight w as values of the row's dtype, the label
/// smoothing ε as a double (as the library takes it, also in float32 rows), and the exact loss and gradients with
/// respect to x, z, q and w, each rounded once to the dtype.
/// </summary>
public sealed record WeightedRow(
    int Line, bool IsSingle, double X, double Z, double Q, double W, double Eps,
    double Loss, double Dx, double Dz, double Dq, double Dw)
{
    public const string Header = "dtype,x,z,q,w,eps,loss,dx,dz,dq,dw";

    private static readonly Lazy<IReadOnlyList<WeightedRow>> AllRows =
        new(() => Load(RepoFiles.Data("reference", "weighted.csv")));

    /// <summary>Every row of data/reference/weighted.csv.</summary>
    public static IReadOnlyList<WeightedRow> All => AllRows.Value;

    /// <summary>The file the row comes from (its name only).</summary>
    public string File { get; init; } = "";

    /// <summary>The smoothed label z′ = z·(1 − ε) + ε/2, in double: for the size of the terms only (the reference
    /// forms it exactly).</summary>
    public double SmoothedLabel => (Z * (1 - Eps)) + (Eps / 2);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{File} line {Line} ({(IsSingle ? "float32" : "float64")} x={X:R} z={Z:R} q={Q:R} w={W:R} eps={Eps:R})");

    private static List<WeightedRow> Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"reference file not found: {path}", path);
        }

        var name = Path.GetFileName(path);
        var rows = new List<WeightedRow>();
        var lines = System.IO.File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header)
        {
            throw new InvalidDataException($"{path} line 1: expected the header {Header}");
        }

        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var f = lines[i].Split(',');
            if (f.Length != 11 || (f[0] != "float32" && f[0] != "float64"))
            {
                throw new InvalidDataException($"{path} line {i + 1}: expected 11 fields starting with float32 or float64");
            }

            bool isFloat32 = f[0] == "float32";
            double Parse(string s) => isFloat32
                ? float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)
                : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            double eps = double.Parse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture);
            rows.Add(new WeightedRow(i + 1, isFloat32, Parse(f[1]), Parse(f[2]), Parse(f[3]), Parse(f[4]), eps,
                Parse(f[6]), Parse(f[7]), Parse(f[8]), Parse(f[9]), Parse(f[10])) { File = name });
        }

        return rows;
    }
}
