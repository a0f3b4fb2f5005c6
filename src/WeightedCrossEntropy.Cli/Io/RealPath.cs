namespace WeightedCrossEntropy.Cli.Io;

/// <summary>
/// The file a path names, as the file system resolves it: every symbolic link followed, in the folders as in the
/// last part, so that <c>alias/x.npy</c> (with <c>alias</c> a link to <c>.</c>) and <c>x.npy</c> compare equal.
/// </summary>
internal static class RealPath
{
    /// <summary>Links followed in one path before giving up (Linux's own limit is 40).</summary>
    private const int MaxLinks = 40;

    /// <summary>File names compare without case on Windows and macOS, whose file systems ignore it by default.</summary>
    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Whether two paths name the same file, by their real paths.</summary>
    public static bool SameFile(string a, string b) => string.Equals(Of(a), Of(b), Comparison);

    /// <summary>
    /// The absolute path of <paramref name="path"/> with every link resolved, as <c>realpath(3)</c> does: <c>..</c>
    /// after a link to a folder goes to the parent of the link's target. Parts that do not exist are kept as they
    /// are. On Windows, the full path with its last part's link resolved.
    /// </summary>
    public static string Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return path; // names no file
        }

        if (OperatingSystem.IsWindows())
        {
            var full = Path.GetFullPath(path);
            return TryResolveLink(full) is { } target ? Path.GetFullPath(target) : full;
        }

        // The current directory is a real path: getcwd(3) returns one.
        var pending = new Stack<string>();
        Push(pending, path);
        string current = Path.IsPathRooted(path) ? "/" : Directory.GetCurrentDirectory();
        int links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, part);
            string? target = links < MaxLinks ? LinkText(next) : null;
            if (target is null)
            {
                current = next;
                continue;
            }

            links++;
            Push(pending, target);
            if (Path.IsPathRooted(target))
            {
                current = "/";
            }
        }

        return current;
    }

    /// <summary>The folder a new file at <paramref name="path"/> goes into, as a real path, and the file's name.</summary>
    public static (string Folder, string Name) Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        var folder = Path.GetDirectoryName(path);
        return (Of(string.IsNullOrEmpty(folder) ? "." : folder), name);
    }

    private static void Push(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static string? LinkText(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static string? TryResolveLink(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
