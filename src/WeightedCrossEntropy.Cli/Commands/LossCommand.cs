using System.CommandLine;
using WeightedCrossEntropy.Cli.Console;
using WeightedCrossEntropy.Cli.Io;
using WeightedCrossEntropy.Cli.Loss;

namespace WeightedCrossEntropy.Cli.Commands;

/// <summary><c>wce loss</c>: the weighted cross-entropy of a labels file and a logits file, elementwise or reduced,
/// and its gradient with respect to the logits.</summary>
internal static class LossCommand
{
    public static Command Create(Terminal terminal)
    {
        var labels = new Option<string>("--labels")
        {
            Description = "Labels z: .npy (float32/64, bool, uint8, int32, int64) or .csv, the logits' shape.",
            Required = true,
            HelpName = "FILE",
        };
        var logits = new Option<string>("--logits")
        {
            Description = "Logits x: .npy (float32 or float64) or .csv (float64).",
            Required = true,
            HelpName = "FILE",
        };
        var posWeight = new Option<string>("--pos-weight")
        {
            Description = "pos_weight q: a number, a comma-separated list (one per class, last axis), or a .npy/.csv file; broadcast right-aligned.",
            DefaultValueFactory = _ => "1",
            HelpName = "Q",
        };
        var reduction = new Option<string>("--reduction")
        {
            Description = "none: the elementwise loss (the logits' shape and dtype); sum or mean: a 0-d array, also printed.",
            DefaultValueFactory = _ => "none",
        };
        reduction.AcceptOnlyFromAmong("none", "sum", "mean");
        var output = new Option<string>("--out")
        {
            Description = "Where to write the loss: .npy or .csv, by the extension.",
            Required = true,
            HelpName = "FILE",
        };
        var gradient = new Option<string?>("--grad")
        {
            Description = "Also write the gradient of what --out holds with respect to the logits (.npy or .csv).",
            HelpName = "FILE",
        };

        var command = new Command("loss", "Evaluate tf.nn.weighted_cross_entropy_with_logits on files of labels and logits.")
        {
            labels, logits, posWeight, reduction, output, gradient,
        };
        command.SetAction(result => Run(
            terminal,
            result.GetRequiredValue(labels),
            result.GetRequiredValue(logits),
            result.GetRequiredValue(posWeight),
            result.GetRequiredValue(reduction) switch
            {
                "sum" => Reduction.Sum,
                "mean" => Reduction.Mean,
                _ => Reduction.None,
            },
            result.GetRequiredValue(output),
            result.GetValue(gradient)));
        return command;
    }

    public static int Run(
        Terminal terminal, string labelsPath, string logitsPath, string posWeight, Reduction reduction, string outPath,
        string? gradPath)
    {
        ArgumentNullException.ThrowIfNull(terminal);

        // Everything that can be refused is checked before anything is written.
        var posWeightPath = IsFile(posWeight) ? posWeight : null;
        CheckOutput(outPath, "--out", labelsPath, logitsPath, posWeightPath);
        if (gradPath is not null)
        {
            CheckOutput(gradPath, "--grad", labelsPath, logitsPath, posWeightPath);
            if (RealPath.SameFile(gradPath, outPath))
            {
                throw new UserErrorException(gradPath, "--grad names the same file as an input or another output (--out); give two different files");
            }
        }

        var (outputs, printed) = terminal.Run("Computing the loss", 4, progress =>
        {
            var z = ArrayFile.Read(labelsPath);
            progress.Report(1);
            var x = ArrayFile.Read(logitsPath);
            progress.Report(2);
            var (qShape, q) = ReadPosWeight(posWeight, posWeightPath);
            if (!x.ElementType.IsFloat())
            {
                throw new UserErrorException(logitsPath, $"logits must be float32 or float64, not {x.ElementType.NumPyName()}");
            }

            if (!z.Shape.AsSpan().SequenceEqual(x.Shape))
            {
                throw new UserErrorException(
                    labelsPath, $"the labels' shape {NdArray.FormatShape(z.Shape)} differs from the logits' shape {NdArray.FormatShape(x.Shape)} in {logitsPath}");
            }

            var cycle = PosWeightBroadcast.Cycle(qShape, q, x.Shape, posWeightPath ?? "--pos-weight");
            var outShape = reduction == Reduction.None ? x.Shape : [];
            CheckCsvRank(outPath, outShape);
            if (gradPath is not null)
            {
                CheckCsvRank(gradPath, x.Shape);
            }

            var result = x.ElementType == ElementType.Float32
                ? Encode<float>(z, x, cycle, reduction, outPath, outShape, gradPath, static v => Numbers.Format(v))
                : Encode<double>(z, x, cycle, reduction, outPath, outShape, gradPath, static v => Numbers.Format(v));
            progress.Report(3);
            AtomicFile.WriteAll(result.Outputs);
            progress.Report(4);
            return result;
        });

        if (printed is not null)
        {
            terminal.Out.WriteLine(printed);
        }

        return outputs.Count > 0 ? 0 : 1;
    }

    private static (List<AtomicFile.Output> Outputs, string? Printed) Encode<T>(
        NdArray z, NdArray x, double[] cycle, Reduction reduction, string outPath, int[] outShape, string? gradPath,
        Func<T, string> format)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        var (loss, gradient) = LossComputation.Compute<T>(z.Values, x.Values, cycle, reduction, gradPath is not null);
        var outputs = new List<AtomicFile.Output> { new(outPath, stream => ArrayFile.Write<T>(outPath, stream, loss, outShape)) };
        if (gradPath is not null)
        {
            outputs.Add(new(gradPath, stream => ArrayFile.Write<T>(gradPath, stream, gradient!, x.Shape)));
        }

        return (outputs, reduction == Reduction.None ? null : format(loss[0]));
    }

    private static bool IsFile(string posWeight) =>
        ArrayFile.HasArrayExtension(posWeight) || File.Exists(posWeight) || Directory.Exists(posWeight);

    private static (int[] Shape, double[] Values) ReadPosWeight(string text, string? path)
    {
        if (path is not null)
        {
            var array = ArrayFile.Read(path);
            return (array.Shape, array.Values);
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!Numbers.TryParse(parts[i], out values[i]))
            {
                throw new UserErrorException(
                    "--pos-weight", $"{Quoted.Text(text)} is not a number, a comma-separated list of numbers, or a .npy/.csv file");
            }
        }

        return values.Length == 1 ? ([], values) : ([values.Length], values);
    }

    /// <summary>Refuses an output that is one of the inputs, compared as files (links followed, in the folders as
    /// in the name), not as path strings.</summary>
    private static void CheckOutput(string path, string option, params string?[] inputs)
    {
        ArrayFile.FormatOf(path);
        foreach (var input in inputs)
        {
            if (input is not null && RealPath.SameFile(path, input))
            {
                throw new UserErrorException(path, $"{option} names the same file as an input or another output ({input}); refusing to overwrite it");
            }
        }

        AtomicFile.CheckWritable(path);
    }

    private static void CheckCsvRank(string path, int[] shape)
    {
        if (ArrayFile.FormatOf(path) == ArrayFormat.Csv && shape.Length > 2)
        {
            throw new UserErrorException(
                path, $"CSV holds at most 2 dimensions and the result has shape {NdArray.FormatShape(shape)}; write .npy");
        }
    }
}
