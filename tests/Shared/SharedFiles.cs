namespace WeightedCrossEntropy.Testing;

/// <summary>
/// Finds <c>../shared</c> (reference values and data sets beside the checkout) for every test project, which links
/// this one file: from the environment variable WCE_SHARED, else from the output folder, the working folder or the
/// repository root (the project's AssemblyMetadata "RepositoryRoot") upwards.
/// </summary>
public static class SharedFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("WCE_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var repositoryRoot = System.Reflection.Assembly.GetExecutingAssembly().GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), repositoryRoot })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "shared");
                if (File.Exists(System.IO.Path.Combine(candidate, "DESIGN.md")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            "Could not find shared/DESIGN.md in any parent of " + AppContext.BaseDirectory +
            "; set WCE_SHARED to the shared folder.");
    }
}
