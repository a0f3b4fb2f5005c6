using System.CommandLine;
using System.CommandLine.Invocation;
using WeightedCrossEntropy.Cli.Commands;
using WeightedCrossEntropy.Cli.Console;

namespace WeightedCrossEntropy.Cli;

/// <summary>The <c>wce</c> command line: callable in-process with any writers, as the tests do.</summary>
internal static class Cli
{
    /// <summary>Exit code for success.</summary>
    public const int Success = 0;

    /// <summary>Exit code for bad input: a bad command line, or a file or option the tool refuses.</summary>
    public const int BadInput = 2;

    /// <summary>Runs <c>wce</c> with <paramref name="args"/>: output to <paramref name="output"/>, errors (one
    /// line <c>wce: &lt;file&gt;: &lt;what is wrong&gt;</c>) and progress bars to <paramref name="error"/>.</summary>
    /// <returns>0 on success, 2 on bad input. Any other exception is a bug and propagates.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var terminal = new Terminal(output, error);
        var root = new RootCommand(
            "wce: weighted cross-entropy with logits (TensorFlow's tf.nn.weighted_cross_entropy_with_logits) on files, " +
            "and one-vs-rest classifiers trained with it on imbalanced data, to show the trade-off pos_weight " +
            "controls: pos_weight > 1 raises recall, < 1 raises precision.")
        {
            LossCommand.Create(terminal),
            TrainCommand.Create(terminal),
            SweepCommand.Create(terminal),
            DemoCommand.Create(terminal),
        };

        // No response files: "@name" is an argument like any other, never a file read for more arguments (it could
        // be a device that never ends, and its lines would be echoed in errors).
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction)
        {
            var command = parsed.CommandResult.Command;
            var help = command == root ? "wce --help" : $"wce {command.Name} --help";
            // The most specific error first (an unknown word before "required command was not provided"), on one line.
            var first = parsed.Errors.FirstOrDefault(e => e.Message.Contains('\'', StringComparison.Ordinal)) ?? parsed.Errors[0];
            var message = System.Text.RegularExpressions.Regex.Replace(first.Message, @"\s*\n\s*", " ");
            error.WriteLine(Quoted.Line($"wce: {message.TrimEnd('.')}{Suggestions.For(parsed)} (see '{help}')"));
            return BadInput;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (UserErrorException e)
        {
            // The subject is a path or an option as the user gave it, the message may quote file contents: neither
            // may reach the terminal with a control character in it.
            error.WriteLine(Quoted.Line($"wce: {e.Subject}: {e.Message}"));
            return BadInput;
        }
    }
}
