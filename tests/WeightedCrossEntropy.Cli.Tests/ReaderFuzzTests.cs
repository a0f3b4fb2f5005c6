using System.Diagnostics;
using System.Text;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>
/// Thousands of mutated .npy and .csv files (a fixed seed) through <c>wce loss</c>'s entry point, in-process. For
/// every file: exit code 0 or 2; on 2 exactly one stderr line, with no control character in it, and no output file
/// left behind; on 0 nothing on stderr; and each run within a time limit.
/// </summary>
public sealed class ReaderFuzzTests : IDisposable
{
    private const int NpyCases = 2000;
    private const int CsvCases = 1000;
    private static readonly TimeSpan PerFile = TimeSpan.FromSeconds(10);

    private static readonly string[] HostileShapes =
    [
        "(65536, 65536, 65536, 65536)", "(4, 1073741824, 1073741824, 1073741824)", "(0, 2, 2147483647)",
        "(0, 2, 1000000000)", "(2147483648,)", "(99999999999999999999,)", "(3, 1073741824)", "(-1,)", "(1, -0)",
        "(2, 3L)", "()", "(0,)", "(6,)", "(2, 3)", "(3, 2)", "(1, 2, 3)", "(2, 3, 1)", "(2,3,)", "(,)", "(2 3)",
        "(" + string.Join(", ", Enumerable.Repeat("1", 65)) + ")", "(" + string.Join(", ", Enumerable.Repeat("1", 64)) + ")",
    ];

    private static readonly string[] HostileDescrs =
    [
        "<f8", ">f8", "<f4", "|b1", "|u1", "<i4", ">i8", "<f2", "|O", "<U3", "f8", "<f8\u001b[31mX\n", "<\u202e8f",
        "", "<", "\u0000", "<f8" + new string('A', 300), "=f8", "|f8",
    ];

    private static readonly byte[] Interesting = [0, 0xFF, 0x7F, 0x80, 0x93, (byte)'\n', (byte)'\r', 0x1B, (byte)'(',
        (byte)')', (byte)',', (byte)'\'', (byte)'"', (byte)'9', (byte)'0', (byte)'-', (byte)'e', (byte)'.', (byte)' ',
        (byte)'{', (byte)'}', (byte)':', (byte)'n', (byte)'i'];

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Mutated_npy_files_exit_0_or_2_with_one_clean_line_and_no_output_on_failure()
    {
        var random = new Random(15);
        var seeds = NpySeeds();
        var outcomes = new int[3];
        for (int i = 0; i < NpyCases; i++)
        {
            var seed = seeds[random.Next(seeds.Length)];
            byte[] file = random.Next(4) switch
            {
                0 => HostileHeader(random),
                1 => MutateData(seed, random),
                _ => Mutate(seed, random),
            };
            outcomes[Check(file, ".npy", random, i)]++;
        }

        // The mutations reach both the refusals and the computation.
        Assert.True(outcomes[0] > NpyCases / 50, $"only {outcomes[0]} of {NpyCases} mutated files were read");
        Assert.True(outcomes[2] > NpyCases / 2, $"only {outcomes[2]} of {NpyCases} mutated files were refused");
    }

    [Fact]
    public void Mutated_csv_files_exit_0_or_2_with_one_clean_line_and_no_output_on_failure()
    {
        var random = new Random(16);
        var seeds = CsvSeeds();
        var outcomes = new int[3];
        for (int i = 0; i < CsvCases; i++)
        {
            outcomes[Check(Mutate(seeds[random.Next(seeds.Length)], random), ".csv", random, i)]++;
        }

        Assert.True(outcomes[0] > CsvCases / 50, $"only {outcomes[0]} of {CsvCases} mutated files were read");
        Assert.True(outcomes[2] > CsvCases / 5, $"only {outcomes[2]} of {CsvCases} mutated files were refused");
    }

    /// <summary>Runs the file as labels and logits (with a pos_weight that is a number, a list, or the file itself),
    /// checks the outcome, and cleans up.</returns>
    private int Check(byte[] file, string extension, Random random, int index)
    {
        var input = folder["in" + extension];
        File.WriteAllBytes(input, file);
        var posWeight = random.Next(3) switch
        {
            0 => "2",
            1 => "1,2,3",
            _ => input,
        };
        string[] args = ["loss", "--labels", input, "--logits", input, "--pos-weight", posWeight,
            "--reduction", random.Next(3) switch { 0 => "none", 1 => "sum", _ => "mean" },
            "--out", folder["out.npy"], "--grad", folder[random.Next(2) == 0 ? "grad.npy" : "grad.csv"]];

        var clock = Stopwatch.StartNew();
        var result = Bounded.Run(PerFile, args);
        clock.Stop();
        string what = $"case {index} ({Convert.ToBase64String(file[..System.Math.Min(file.Length, 512)])}, pos_weight {posWeight})";

        Assert.True(result.ExitCode is 0 or 2, $"{what}: exit code {result.ExitCode}: {result.Error}");
        if (result.ExitCode == 0)
        {
            Assert.True(result.Error.Length == 0, $"{what}: stderr on success: {result.Error}");
        }
        else
        {
            Assert.True(result.Error.EndsWith('\n') && result.Error.IndexOf('\n') == result.Error.Length - 1, $"{what}: not one line: {result.Error}");
            Assert.True(!result.Error[..^1].Any(Bounded.IsUnsafe), $"{what}: a control character in: {result.Error}");
            Assert.True(result.Error.StartsWith("wce: ", StringComparison.Ordinal), $"{what}: {result.Error}");
            var left = Directory.GetFiles(folder.Root).Select(Path.GetFileName).Where(n => n != "in" + extension).ToArray();
            Assert.True(left.Length == 0, $"{what}: files left after a failure: {string.Join(", ", left)}");
        }

        foreach (var name in Directory.GetFiles(folder.Root))
        {
            File.Delete(name);
        }

        return result.ExitCode;
    }

    private static byte[][] NpySeeds() =>
    [
        NpyBytes.File("<f8", "(2, 3)", NpyBytes.Doubles(false, 1, 0, 1, 0, 0, 1)),
        NpyBytes.File(">f8", "(6,)", NpyBytes.Doubles(true, 0.5, -1, 2, 0, 3, -4)),
        NpyBytes.File("<f4", "(3, 2)", NpyBytes.Singles(false, 1, 0, 1, 0, 0, 1)),
        NpyBytes.File("<f4", "(2, 1, 3)", NpyBytes.Singles(false, 1, 0, 1, 0, 0, 1), major: 2),
        NpyBytes.File("<f8", "()", NpyBytes.Doubles(false, 0.25), major: 3),
        NpyBytes.File("<f8", "(0, 3)", []),
        NpyBytes.File("<i8", "(2, 3)", NpyBytes.Longs(false, 1, 0, 1, 0, 0, 1)),
        NpyBytes.File("|b1", "(6,)", [1, 0, 1, 0, 0, 1]),
    ];

    private static byte[][] CsvSeeds() =>
    [
        "1,0,1\n0,0,1\n"u8.ToArray(),
        "a,b,c\n0.5,-1,2\n0,3,-4\n"u8.ToArray(),
        "\"1\", 0 ,nan\r\n-inf,inf,1e-3\r\n"u8.ToArray(),
        "x\n1\n0\n1\n"u8.ToArray(),
        "1,2,3\n\n4,5,6\n   \n"u8.ToArray(),
    ];

    /// <summary>A well-formed file whose header has a hostile shape or descr, and data of a random length.</summary>
    private static byte[] HostileHeader(Random random)
    {
        var descr = HostileDescrs[random.Next(HostileDescrs.Length)];
        var shape = HostileShapes[random.Next(HostileShapes.Length)];
        var data = new byte[random.Next(4) == 0 ? 0 : random.Next(0, 64)];
        random.NextBytes(data);
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(random.Next(8) == 0 ? "True" : "False")}, 'shape': {shape}, }}";
        return NpyBytes.WithHeader(dict, data, (byte)random.Next(1, 4));
    }

    /// <summary>Changes bytes of an .npy file's data only: a valid file of odd values (NaN, infinities, subnormals,
    /// labels out of [0, 1]).</summary>
    private static byte[] MutateData(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        int headerEnd = bytes[6] == 1 ? 10 + BitConverter.ToUInt16(bytes, 8) : 12 + BitConverter.ToInt32(bytes, 8);
        if (headerEnd >= bytes.Length)
        {
            return bytes;
        }

        for (int e = random.Next(1, 4); e > 0; e--)
        {
            int at = random.Next(headerEnd, bytes.Length);
            bytes[at] = random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)(bytes[at] ^ (1 << random.Next(8)));
        }

        return bytes;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits; e++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 9)).Select(_ => Interesting[random.Next(Interesting.Length)]));
                    break;
                case 4 when bytes.Count > 1:
                    int length = random.Next(1, System.Math.Min(64, bytes.Count - at) + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 5 when bytes.Count > 12:
                    // The header length field of an .npy file: any value.
                    int offset = random.Next(8, 12);
                    bytes[offset] = (byte)random.Next(256);
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(random.Next(3) switch { 0 => "\u001b[2J", 1 => "\u202e", _ => "9999999999" }));
                    break;
            }
        }

        return [.. bytes];
    }
}
