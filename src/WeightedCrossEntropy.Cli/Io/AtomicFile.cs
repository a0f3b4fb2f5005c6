namespace WeightedCrossEntropy.Cli.Io;

/// <summary>
/// Writes outputs so that a reader never sees half a file and an error leaves nothing behind: each goes to a
/// temporary file beside its target, and only when all are written are they renamed into place.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAll(IReadOnlyList<(string Path, byte[] Bytes)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var temporaries = new List<string>();
        int current = 0;
        try
        {
            for (current = 0; current < files.Count; current++)
            {
                var temporary = TemporaryBeside(files[current].Path);
                temporaries.Add(temporary);
                File.WriteAllBytes(temporary, files[current].Bytes);
            }

            for (current = 0; current < files.Count; current++)
            {
                File.Move(temporaries[current], files[current].Path, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var temporary in temporaries)
            {
                TryDelete(temporary);
            }

            throw new UserErrorException(files[current].Path, "cannot write the file: " + e.Message);
        }
    }

    public static void Write(string path, byte[] bytes) => WriteAll([(path, bytes)]);

    /// <summary>Refuses a folder that does not exist or an output that is a folder, before any work is done.</summary>
    public static void CheckWritable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new UserErrorException(path, "is a directory; give a file name");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new UserErrorException(path, $"the folder {folder} does not exist");
        }
    }

    private static string TemporaryBeside(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? ".";
        return Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary file is hidden and named after its target.
        }
    }
}
