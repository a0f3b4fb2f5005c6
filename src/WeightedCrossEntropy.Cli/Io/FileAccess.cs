namespace WeightedCrossEntropy.Cli.Io;

/// <summary>Reading input files with the user's mistakes (missing, a folder, unreadable) as one-line errors.</summary>
internal static class InputFile
{
    public static byte[] ReadAllBytes(string path)
    {
        Check(path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException(path, "cannot read the file: " + e.Message);
        }
    }

    public static string ReadAllText(string path)
    {
        Check(path);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException(path, "cannot read the file: " + e.Message);
        }
    }

    private static void Check(string path)
    {
        if (Directory.Exists(path))
        {
            throw new UserErrorException(path, "is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            throw new UserErrorException(path, "file not found");
        }
    }
}
