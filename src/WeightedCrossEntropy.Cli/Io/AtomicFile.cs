namespace WeightedCrossEntropy.Cli.Io;

/// <summary>
/// Writes outputs so that a reader never sees half a file and a failure changes nothing: each output is written to a
/// temporary file beside its target; only when all are written are they moved into place, each file it replaces
/// kept as a backup until every move has succeeded, and put back if one fails. A replaced file's permissions
/// (Unix mode) carry over to the new one.
/// </summary>
internal static class AtomicFile
{
    /// <summary>One output: where it goes, and what writes its content.</summary>
    public sealed record Output(string Path, Action<Stream> Write);

    public static void WriteAll(IReadOnlyList<Output> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var targets = new string[files.Count];
        var temporaries = new List<string>();
        var backups = new string?[files.Count];
        int moved = 0;
        int current = 0;
        try
        {
            for (current = 0; current < files.Count; current++)
            {
                var (folder, name) = RealPath.Split(files[current].Path);
                targets[current] = Path.Join(folder, name);
                // Hidden, named after the target (cut, so that the name with its suffixes stays under 255 bytes).
                var temporary = Path.Join(folder, $".{(name.Length > 100 ? name[..100] : name)}.{Guid.NewGuid():N}.tmp");
                temporaries.Add(temporary);
                WriteTemporary(temporary, ModeOf(targets[current]), files[current].Write);
            }

            for (current = 0; current < files.Count; current++)
            {
                if (File.Exists(targets[current]))
                {
                    // Replace keeps the old file under the backup name (a hard link where it can) and renames the new
                    // one over the target: the target always exists, and the old content stays until all moved.
                    var backup = temporaries[current] + ".old";
                    File.Replace(temporaries[current], targets[current], backup, ignoreMetadataErrors: true);
                    backups[current] = backup;
                }
                else
                {
                    File.Move(temporaries[current], targets[current], overwrite: false);
                }

                moved = current + 1;
            }
        }
        catch (Exception e)
        {
            var notRestored = RollBack(targets, backups, moved);
            foreach (var temporary in temporaries)
            {
                TryDelete(temporary);
            }

            if (e is IOException or UnauthorizedAccessException)
            {
                throw new UserErrorException(files[current].Path, "cannot write the file: " + e.Message + notRestored);
            }

            throw;
        }

        foreach (var backup in backups)
        {
            if (backup is not null)
            {
                TryDelete(backup);
            }
        }
    }

    public static void Write(string path, byte[] bytes) => WriteAll([new Output(path, stream => stream.Write(bytes))]);

    /// <summary>Refuses a folder that does not exist or an output that is a folder or a device, before any work is
    /// done.</summary>
    public static void CheckWritable(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new UserErrorException(path, "a file name cannot hold a NUL character");
        }

        if (Directory.Exists(path))
        {
            throw new UserErrorException(path, "is a directory; give a file name");
        }

        // The folder as the file system resolves it (links followed, ".." after a link to its target's parent).
        var (folder, _) = RealPath.Split(path);
        if (!Directory.Exists(folder))
        {
            throw new UserErrorException(path, $"the folder {folder} does not exist");
        }

        if (FileKinds.Of(path) == FileKind.Special)
        {
            throw new UserErrorException(path, "is not a regular file (a device, a pipe or a socket); give a file name");
        }
    }

    /// <summary>The Unix permissions of the file an output replaces, or null for a new file (and on Windows).</summary>
    private static UnixFileMode? ModeOf(string target)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(target))
        {
            return null;
        }

        return File.GetUnixFileMode(target);
    }

    private static void WriteTemporary(string temporary, UnixFileMode? mode, Action<Stream> write)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = System.IO.FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 1 << 16,
        };
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            // Created with no more permissions than the file it replaces, so its content is never more exposed.
            options.UnixCreateMode = m & (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        }

        using (var stream = new FileStream(temporary, options))
        {
            write(stream);
        }

        if (mode is { } exact && !OperatingSystem.IsWindows())
        {
            // The creation mode went through the umask; the replaced file's mode is set exactly.
            File.SetUnixFileMode(temporary, exact);
        }
    }

    /// <summary>Puts back what the first <paramref name="moved"/> outputs replaced, newest first, and removes the
    /// outputs that were new.</summary>
    /// <returns>Empty, or what could not be put back and where its old content is.</returns>
    private static string RollBack(string[] targets, string?[] backups, int moved)
    {
        var failures = new List<string>();
        for (int i = moved - 1; i >= 0; i--)
        {
            try
            {
                if (backups[i] is { } backup)
                {
                    File.Move(backup, targets[i], overwrite: true);
                }
                else
                {
                    File.Delete(targets[i]);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add(backups[i] is { } b ? $"{targets[i]} (its old content is in {b})" : targets[i]);
            }
        }

        return failures.Count == 0 ? string.Empty : "; could not restore " + string.Join(", ", failures);
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
