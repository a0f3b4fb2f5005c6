using System.Reflection;
using System.Text;

namespace WeightedCrossEntropy.Docs.Tests;

/// <summary>What one run of the tool gave: its exit code and everything it wrote.</summary>
internal sealed record WceResult(int ExitCode, string Out, string Error);

/// <summary>
/// Runs the tool's entry point, <c>Cli.Run(args, output, error)</c>, in-process, as
/// tests/WeightedCrossEntropy.Cli.Tests does (reached by reflection: the tool's types are internal).
/// </summary>
internal static class Wce
{
    private static readonly Lazy<MethodInfo> RunMethod = new(() =>
        Assembly.Load("wce").GetType("WeightedCrossEntropy.Cli.Cli", throwOnError: true)!
            .GetMethod("Run", BindingFlags.Public | BindingFlags.Static, [typeof(string[]), typeof(TextWriter), typeof(TextWriter)])
        ?? throw new MissingMethodException("WeightedCrossEntropy.Cli.Cli", "Run(string[], TextWriter, TextWriter)"));

    public static WceResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            int code = (int)RunMethod.Value.Invoke(null, [args, output, error])!;
            return new WceResult(code, output.ToString(), error.ToString());
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException($"wce {string.Join(' ', args)} threw: {e.InnerException}", e.InnerException);
        }
    }

    /// <summary>Splits a command line as a POSIX shell does for plain words and quoted ones ('...' and "...",
    /// backslash escapes outside single quotes); no variables, globs or redirections.</summary>
    public static string[] SplitArguments(string line)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\'')
            {
                int end = line.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new FormatException($"unclosed ' in: {line}");
                }

                current.Append(line, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    current.Append(line[i]);
                }

                if (i == line.Length)
                {
                    throw new FormatException($"unclosed \" in: {line}");
                }
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
            }
            else
            {
                current.Append(c);
            }
        }

        if (inWord)
        {
            args.Add(current.ToString());
        }

        return [.. args];
    }
}
