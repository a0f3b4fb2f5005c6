namespace WeightedCrossEntropy.Tests.Reference;

/// <summary>Finds <c>../shared</c> (the reference values and data sets beside the checkout).</summary>
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

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (File.Exists(System.IO.Path.Combine(candidate, "reference", "golden.csv")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "Could not find shared/reference/golden.csv in any parent of " + AppContext.BaseDirectory +
            "; set WCE_SHARED to the shared folder.");
    }
}
