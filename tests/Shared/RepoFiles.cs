namespace WeightedCrossEntropy.Testing;

/// <summary>
/// Files the tests read. <see cref="Data"/> is the repository's own <c>data/</c> folder, found from the project's
/// AssemblyMetadata "RepositoryRoot", the output folder or the working folder upwards (the folder that holds
/// WeightedCrossEntropy.slnx). <see cref="Shared"/> is the optional <c>shared/</c> folder beside the checkout (or
/// WCE_SHARED), used only as an extra cross-check: null where it is not there.
/// </summary>
public static class RepoFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    private static readonly Lazy<string?> SharedRoot = new(FindShared);

    /// <summary>A file under the repository's <c>data/</c> folder.</summary>
    public static string Data(params string[] parts) => Path.Combine([Root.Value, "data", .. parts]);

    /// <summary>A file under <c>../shared</c>, or null where that folder or the file is not there.</summary>
    public static string? Shared(params string[] parts)
    {
        if (SharedRoot.Value is not { } root)
        {
            return null;
        }

        var path = Path.Combine([root, .. parts]);
        return File.Exists(path) ? path : null;
    }

    private static IEnumerable<string> Starts()
    {
        var repositoryRoot = System.Reflection.Assembly.GetExecutingAssembly()
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (repositoryRoot is not null)
        {
            yield return repositoryRoot;
        }

        yield return AppContext.BaseDirectory;
        yield return Directory.GetCurrentDirectory();
    }

    private static string FindRoot()
    {
        foreach (var start in Starts())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WeightedCrossEntropy.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException(
            "Could not find the repository root (the folder with WeightedCrossEntropy.slnx) above " + AppContext.BaseDirectory);
    }

    private static string? FindShared()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("WCE_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        var beside = Path.Combine(Root.Value, "..", "shared");
        return File.Exists(Path.Combine(beside, "DESIGN.md")) ? Path.GetFullPath(beside) : null;
    }
}
