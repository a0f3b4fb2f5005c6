namespace WeightedCrossEntropy.Cli.Tests;

/// <summary>What one run of the tool gave: its exit code and everything it wrote.</summary>
public sealed record WceResult(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs the tool's entry point in-process with arguments, as a shell would.</summary>
public static class Wce
{
    public static WceResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = Cli.Run(args, output, error);
        return new WceResult(code, output.ToString(), error.ToString());
    }
}

/// <summary>A fresh folder per test, deleted at the end.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Directory.CreateTempSubdirectory("wce-tests-").FullName;
    }

    public string Root { get; }

    public string this[string name] => Path.Combine(Root, name);

    /// <summary>Every file in the folder (hidden temporaries included) with its bytes.</summary>
    public SortedDictionary<string, byte[]> Snapshot() => new(
        Directory.GetFiles(Root).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes),
        StringComparer.Ordinal);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
