using System.Diagnostics;
using System.Globalization;
using System.Text;
using WeightedCrossEntropy.Testing;

namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>
/// Thousands of mutated .npy and .csv files (a fixed seed) through <c>wce loss</c>'s entry point, in-process, and
/// hundreds of mutated training CSVs through <c>wce train</c> and <c>wce sweep</c>. For every file: exit code 0 or 2;
/// on 2 exactly one stderr line, with no control character in it, and no output file left behind; on 0 nothing on
/// stderr; and each run within a time limit.
/// </summary>
public sealed class ReaderFuzzTests : IDisposable
{
    private const int NpyCases = 2000;
    private const int CsvCases = 1000;
    private const int TrainingCases = 400;
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

    [Fact]
    public void Mutated_training_csvs_through_train_and_sweep_exit_0_or_2_with_one_clean_line_and_no_plot_on_failure()
    {
        var random = new Random(17);
        var yeast = File.ReadAllLines(RepoFiles.Data("yeast.csv"));
        var breastCancer = File.ReadAllLines(RepoFiles.Data("breast_cancer.csv"));
        var outcomes = new int[3];
        var commands = new int[2];
        for (int i = 0; i < TrainingCases; i++)
        {
            var seed = random.Next(6) switch
            {
                0 or 1 => Slice(yeast, random),
                2 or 3 => Slice(breastCancer, random),
                _ => SyntheticTrainingCsv(random),
            };
            var (exitCode, sweep) = CheckTraining(MutateTraining(seed, random), random, i);
            outcomes[exitCode]++;
            commands[sweep ? 1 : 0]++;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{TrainingCases} files: {outcomes[0]} trained on, {outcomes[2]} refused; {commands[0]} train, {commands[1]} sweep runs");
        Assert.True(outcomes[0] > TrainingCases / 10, $"only {outcomes[0]} of {TrainingCases} mutated training files were trained on");
        Assert.True(outcomes[2] > TrainingCases / 5, $"only {outcomes[2]} of {TrainingCases} mutated training files were refused");
        Assert.True(commands.All(c => c > TrainingCases / 4), $"train {commands[0]}, sweep {commands[1]} cases");
    }

    /// <summary>Class names come from the file: one with an escape sequence or a bidirectional override (the first
    /// found by the fuzz case above) is shown escaped, as error messages show file text, in the tables and in the
    /// plot, never sent to the terminal or written into the SVG as it is.</summary>
    [Theory]
    [InlineData("train", "--pos-weight", "auto")]
    [InlineData("sweep", "--pos-weights", "1,x2")]
    public void Class_names_with_control_characters_are_shown_escaped(string command, string option, string weights)
    {
        string[] classes = ["x\u001b[2J", "\u202ey", "z\u0007"];
        var csv = new StringBuilder("f1,f2,label\n");
        for (int i = 0; i < 12; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i * 0.37:0.00},{(i * 7 % 5) - 2},{classes[i % 3]}\n");
        }

        File.WriteAllText(folder["names.csv"], csv.ToString());
        var result = Bounded.Run(PerFile, command, "--data", folder["names.csv"], option, weights, "--epochs", "3", "--plot", folder["names.svg"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain(result.Out, c => c != '\n' && Bounded.IsUnsafe(c));
        Assert.Contains("x\\x1b[2J", result.Out, StringComparison.Ordinal);
        Assert.Contains("\\u202ey", result.Out, StringComparison.Ordinal);
        Assert.Contains("z\\x07", result.Out, StringComparison.Ordinal);
        var svg = File.ReadAllText(folder["names.svg"]);
        Assert.DoesNotContain(svg, c => c is not ('\n' or '\r' or '\t') && Bounded.IsUnsafe(c));
        _ = System.Xml.Linq.XDocument.Parse(svg);
    }

    /// <summary>A scikit-learn header that lists a class name twice (found by the fuzz case above, after a column was
    /// duplicated) names one class, in the order of its first mention: the labels a and b make a binary problem whose
    /// positive class is the second, b.</summary>
    [Fact]
    public void A_class_name_listed_twice_in_a_scikit_learn_header_is_one_class()
    {
        var csv = new StringBuilder("8,1,a,b,a\n");
        for (int i = 0; i < 8; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},{(i % 2 == 0 ? "a" : "b")}\n");
        }

        File.WriteAllText(folder["twice.csv"], csv.ToString());
        var result = Bounded.Run(PerFile, "train", "--data", folder["twice.csv"], "--epochs", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("binary: one sigmoid output, positive class b, negative a", result.Out, StringComparison.Ordinal);
    }

    /// <summary>Standardization makes a feature's unit irrelevant: the same data with four columns multiplied by 2^1000
    /// (values near 1e303, whose squares overflow) or by 2^-1000 (near 1e-299, whose squares underflow) train the same
    /// model and print the same scores, to the last digit (a power of two changes no rounding). Found from the fuzz
    /// case's huge numbers: such a column was zeroed or made the training diverge.</summary>
    [Theory]
    [InlineData(1000)]
    [InlineData(-1000)]
    public void A_feature_of_extreme_magnitude_trains_like_the_same_feature_in_other_units(int exponent)
    {
        var lines = File.ReadAllLines(RepoFiles.Data("breast_cancer.csv"));
        var rows = lines.Skip(1).Where((_, i) => i % 8 == 0).ToList();
        var header = lines[0].Split(',');
        header[0] = rows.Count.ToString(CultureInfo.InvariantCulture);
        var scaled = rows.Select(row =>
        {
            var cells = row.Split(',');
            for (int c = 0; c < 4; c++)
            {
                cells[c] = System.Math.ScaleB(double.Parse(cells[c], CultureInfo.InvariantCulture), exponent).ToString("R", CultureInfo.InvariantCulture);
            }

            return string.Join(',', cells);
        });
        Directory.CreateDirectory(folder["plain"]);
        Directory.CreateDirectory(folder["scaled"]);
        File.WriteAllLines(Path.Combine(folder["plain"], "data.csv"), [string.Join(',', header), .. rows]);
        File.WriteAllLines(Path.Combine(folder["scaled"], "data.csv"), [string.Join(',', header), .. scaled]);

        string[] options = ["--pos-weight", "auto", "--epochs", "40"];
        var plain = Bounded.Run(PerFile, ["train", "--data", Path.Combine(folder["plain"], "data.csv"), .. options]);
        var result = Bounded.Run(PerFile, ["train", "--data", Path.Combine(folder["scaled"], "data.csv"), .. options]);

        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(plain.Out, result.Out);
    }

    /// <summary>Trains on the file with <c>wce train</c> or <c>wce sweep</c> (few epochs; a label column, positive
    /// class, pos_weight, test fraction and plot chosen at random), checks the outcome, and cleans up.</summary>
    /// <returns>The exit code, and whether the run was a sweep.</returns>
    private (int ExitCode, bool Sweep) CheckTraining(byte[] file, Random random, int index)
    {
        var input = folder["train.csv"];
        File.WriteAllBytes(input, file);
        bool sweep = random.Next(5) < 2;
        var args = new List<string> { sweep ? "sweep" : "train", "--data", input, "--epochs", random.Next(1, 5).ToString(CultureInfo.InvariantCulture) };
        if (sweep)
        {
            args.AddRange(["--pos-weights", random.Next(4) switch { 0 => "1,x2", 1 => "0.5,x1", 2 => "x0.5", _ => "2,1e6" }]);
        }
        else
        {
            args.AddRange(["--pos-weight", random.Next(7) switch { 0 => "none", 1 => "auto", 2 => "x2", 3 => "0.5", 4 => "1,2", 5 => "1,2,3,4,5,6,7,8,9,10", _ => "x1e300" }]);
        }

        if (random.Next(4) == 0)
        {
            args.AddRange(["--label-column", random.Next(8) switch { 0 => "label", 1 => "1", 2 => "-1", 3 => "2", 4 => "-3", 5 => "40", 6 => "0", _ => "class" }]);
        }

        if (random.Next(5) == 0)
        {
            args.AddRange(["--positive-class", random.Next(6) switch { 0 => "1", 1 => "benign", 2 => "MIT", 3 => "b", 4 => "0", _ => "none-such" }]);
        }

        if (random.Next(5) == 0)
        {
            args.AddRange(["--test-fraction", random.Next(2) == 0 ? "0.5" : "0.1"]);
        }

        args.AddRange(["--seed", random.Next(1000).ToString(CultureInfo.InvariantCulture)]);
        string? plot = random.Next(10) switch
        {
            < 5 => null,
            < 9 => folder["plot.svg"],
            _ => folder["plot.png"],
        };
        if (plot is not null)
        {
            args.AddRange(["--plot", plot]);
        }

        var result = Bounded.Run(PerFile, [.. args]);
        string what = $"case {index} (wce {string.Join(' ', args.Skip(3))} on {Convert.ToBase64String(file[..System.Math.Min(file.Length, 768)])})";
        var left = Directory.GetFiles(folder.Root).Select(Path.GetFileName).Where(n => n != "train.csv").ToArray();

        Assert.True(result.ExitCode is 0 or 2, $"{what}: exit code {result.ExitCode}: {result.Error}");
        if (result.ExitCode == 0)
        {
            Assert.True(result.Error.Length == 0, $"{what}: stderr on success: {result.Error}");
            Assert.True(!result.Out.Any(c => c != '\n' && Bounded.IsUnsafe(c)), $"{what}: a control character on stdout: {result.Out}");
            string[] expected = plot is null ? [] : [Path.GetFileName(plot)];
            Assert.True(left.SequenceEqual(expected), $"{what}: files after success: {string.Join(", ", left)}");
        }
        else
        {
            Assert.True(result.Error.EndsWith('\n') && result.Error.IndexOf('\n') == result.Error.Length - 1, $"{what}: not one line: {result.Error}");
            Assert.True(!result.Error[..^1].Any(Bounded.IsUnsafe), $"{what}: a control character in: {result.Error}");
            Assert.True(result.Error.StartsWith("wce: ", StringComparison.Ordinal), $"{what}: {result.Error}");
            Assert.True(left.Length == 0, $"{what}: files left after a failure: {string.Join(", ", left)}");
        }

        foreach (var name in Directory.GetFiles(folder.Root))
        {
            File.Delete(name);
        }

        return (result.ExitCode, sweep);
    }

    /// <summary>A few rows of a data file in scikit-learn's layout (every k-th row from a random start), the header's
    /// sample count made to match.</summary>
    private static List<string> Slice(string[] lines, Random random)
    {
        int stride = random.Next(1, 60);
        int start = 1 + random.Next(System.Math.Min(stride, lines.Length - 1));
        int count = random.Next(6, 40);
        var rows = Enumerable.Range(0, count).Select(k => start + (k * stride)).Where(r => r < lines.Length).Select(r => lines[r]).ToList();
        var header = lines[0].Split(',');
        header[0] = rows.Count.ToString(CultureInfo.InvariantCulture);
        return [string.Join(',', header), .. rows];
    }

    /// <summary>A tiny CSV: a header of names (or none), an identifier column at times, numeric features, and a label
    /// column of names or numbers.</summary>
    private static List<string> SyntheticTrainingCsv(Random random)
    {
        int rows = random.Next(4, 16), features = random.Next(1, 4);
        bool id = random.Next(4) == 0;
        string[] classes = random.Next(3) switch { 0 => ["0", "1"], 1 => ["cat", "dog", "eel"], _ => ["b", "a"] };
        var lines = new List<string>();
        if (random.Next(4) != 0)
        {
            lines.Add(string.Join(',', (id ? ["id"] : Array.Empty<string>()).Concat(Enumerable.Range(1, features).Select(j => $"f{j}")).Append("label")));
        }

        for (int i = 0; i < rows; i++)
        {
            var cells = (id ? [$"s{i}"] : Array.Empty<string>())
                .Concat(Enumerable.Range(0, features).Select(_ => (random.NextDouble() * 10 - 5).ToString("0.###", CultureInfo.InvariantCulture)))
                .Append(classes[i % classes.Length]);
            lines.Add(string.Join(',', cells));
        }

        return lines;
    }

    private static readonly string[] OddNumbers =
    [
        "1e308", "-1e308", "1.7976931348623157e308", "1e309", "-1e400", "nan", "NaN", "-nan", "inf", "-Infinity", "4.9e-324",
        "1e-400", "99999999999999999999999999", "-0", "0x10", "1_000", "+.5", "5.", ".", "-", "e5", "1e", "\u0663", "\uff11",
        "\u00a01", "1.5.2",
    ];

    private static readonly string[] FiniteNumbers =
    [
        "1e308", "-1e308", "1.7976931348623157e308", "4.9e-324", "-0", "+.5", "5.", "1e-400", "99999999999999999999999999",
        "0", " 7 ", "1E+2",
    ];

    /// <summary>The edits of <see cref="MutateTraining"/> that a gentle case makes: fields as columns, rows, odd
    /// finite numbers, the label column, quotes around a field, spaces and tabs around commas, empty lines, CRLF, a UTF-8
    /// byte order mark.</summary>
    private static readonly int[] GentleEdits = [0, 1, 2, 3, 5, 6, 7, 8, 8, 8, 9, 9, 10, 12];

    private static readonly string[] OddHeaders =
    [
        "", "label", "a,b,c", "a,a,a,a,a,a,a,a,a,a,a", "1,2,3", "0,0,x", "3,9,CYT,ERL", "99999999999,2,a,b", "-1,2,a,b",
        "2,30,malignant,benign", "\u001b[31mred\u001b[0m,b,label", "\u202eevil,b,label", "id,f1,label", "\"q,u\",\"o\"\"te\",label",
        "label,label,label", ",,,", " , , ",
    ];

    private static readonly string[] OddLabels =
    [
        "", " ", "\u001b[2J", "\u202eab", "x\u0000y", "\"", "nan", "inf", "1.5", "-1", "1e3", "0", "1", "2", "CYT", "b\tc",
        "\u00e9", "\ud800", new string('L', 300),
    ];

    /// <summary>Structural edits (fields and rows duplicated or removed, the header changed, quotes, other separators,
    /// empty lines, odd numbers, a label column of one class or of many) and byte edits (bit flips, interesting bytes,
    /// truncation, insertion, bytes that are not UTF-8, byte order marks).</summary>
    private static byte[] MutateTraining(List<string> seed, Random random)
    {
        var lines = new List<string>(seed);
        int edits = random.Next(1, 4);
        // A gentle case keeps the file readable (mostly): odd but valid data reaches the training itself.
        bool gentle = random.Next(5) < 2;
        bool crlf = false;
        var prefix = new List<byte>();
        for (int e = 0; e < edits && lines.Count > 0; e++)
        {
            int at = random.Next(lines.Count);
            var fields = lines[at].Split(',').ToList();
            int field = random.Next(fields.Count);
            switch (gentle ? GentleEdits[random.Next(GentleEdits.Length)] : random.Next(14))
            {
                case 0 or 1:
                    // A field duplicated or removed: in one row, or in every row (a column).
                    bool column = gentle || random.Next(3) != 0;
                    bool duplicate = random.Next(2) == 0;
                    for (int row = 0; row < lines.Count; row++)
                    {
                        if (row == at || column)
                        {
                            var cells = lines[row].Split(',').ToList();
                            if (field < cells.Count)
                            {
                                if (duplicate || cells.Count == 1)
                                {
                                    cells.Insert(field, cells[field]);
                                }
                                else
                                {
                                    cells.RemoveAt(field);
                                }

                                lines[row] = string.Join(',', cells);
                            }
                        }
                    }

                    break;
                case 2:
                    lines.Insert(random.Next(lines.Count + 1), lines[at]);
                    break;
                case 3:
                    lines.RemoveAt(at);
                    break;
                case 4:
                    lines[0] = OddHeaders[random.Next(OddHeaders.Length)];
                    break;
                case 5:
                    fields[field] = (gentle ? 0 : random.Next(4)) switch
                    {
                        0 => $"\"{fields[field]}\"",
                        1 => $"\"{fields[field]}",
                        2 => $"\"{fields[field]}\"x",
                        _ => $"\"{fields[field]},\"\"{fields[field]}\"",
                    };
                    lines[at] = string.Join(',', fields);
                    break;
                case 6:
                    var separator = gentle ? random.Next(2) == 0 ? ", " : " ,\t" : random.Next(3) switch { 0 => ";", 1 => "\t", _ => ", " };
                    if (random.Next(2) == 0)
                    {
                        lines = lines.Select(l => l.Replace(",", separator, StringComparison.Ordinal)).ToList();
                    }
                    else
                    {
                        lines[at] = lines[at].Replace(",", separator, StringComparison.Ordinal);
                    }

                    break;
                case 7:
                    lines.Insert(random.Next(lines.Count + 1), random.Next(3) switch { 0 => string.Empty, 1 => "  \t ", _ => "\r" });
                    break;
                case 8:
                    for (int k = random.Next(1, 4); k > 0; k--)
                    {
                        int row = random.Next(lines.Count);
                        var cells = lines[row].Split(',');
                        cells[random.Next(cells.Length)] = gentle ? FiniteNumbers[random.Next(FiniteNumbers.Length)] : OddNumbers[random.Next(OddNumbers.Length)];
                        lines[row] = string.Join(',', cells);
                    }

                    break;
                case 9:
                    // One class, or a class per row, or many classes, in the label column; or one class renamed.
                    int mode = random.Next(6);
                    string one = OddLabels[random.Next(OddLabels.Length)];
                    string? renamed = null;
                    for (int row = 1; row < lines.Count; row++)
                    {
                        var cells = lines[row].Split(',');
                        int label = Array.FindLastIndex(cells, c => c.Length > 0);
                        if (label < 0)
                        {
                            continue;
                        }

                        renamed ??= cells[label];
                        cells[label] = mode switch
                        {
                            0 => one,
                            1 => $"c{row}",
                            2 => (row % 7).ToString(CultureInfo.InvariantCulture),
                            3 => OddLabels[random.Next(OddLabels.Length)],
                            _ => cells[label] == renamed ? one : cells[label],
                        };
                        lines[row] = string.Join(',', cells);
                    }

                    break;
                case 10:
                    crlf = true;
                    break;
                case 11:
                    // Few rows: none, the header alone, or a handful.
                    lines = lines.Take(random.Next(0, System.Math.Min(lines.Count, 5) + 1)).ToList();
                    break;
                case 12:
                    prefix.AddRange((gentle ? 0 : random.Next(6)) switch
                    {
                        < 3 => [0xEF, 0xBB, 0xBF],
                        3 => [0xFF, 0xFE],
                        4 => [0xFE, 0xFF],
                        _ => [0xFF, 0xFE, 0, 0],
                    });
                    break;
                default:
                    fields[field] = fields[field] + random.Next(3) switch { 0 => "\u001b[2J", 1 => "\u202e", _ => "\u2028" };
                    lines[at] = string.Join(',', fields);
                    break;
            }
        }

        // Most files in scikit-learn's layout have the sample count fixed up after rows were added or removed.
        if (lines.Count > 0 && random.Next(3) != 0 && lines[0].Split(',') is { Length: >= 3 } header
            && int.TryParse(header[0], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            header[0] = lines.Skip(1).Count(l => !string.IsNullOrWhiteSpace(l)).ToString(CultureInfo.InvariantCulture);
            lines[0] = string.Join(',', header);
        }

        var bytes = new List<byte>(prefix);
        bytes.AddRange(Encoding.UTF8.GetBytes(string.Join(crlf ? "\r\n" : "\n", lines) + (random.Next(4) == 0 ? string.Empty : "\n")));
        if (!gentle && random.Next(3) == 0)
        {
            return ByteEdits(bytes, random);
        }

        return [.. bytes];
    }

    private static byte[] ByteEdits(List<byte> bytes, Random random)
    {
        byte[] notUtf8 = [0xC3, 0xFF, 0xFE, 0x80, 0xED, 0xA0, 0xF8, 0xC0];
        for (int e = random.Next(1, 4); e > 0; e--)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
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
                default:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 4)).Select(_ => notUtf8[random.Next(notUtf8.Length)]));
                    break;
            }
        }

        return [.. bytes];
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
