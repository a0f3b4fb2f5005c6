using System.Text;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>Opening input files with the user's mistakes (missing, a folder, a device, unreadable) as one-line
/// errors.</summary>
internal static class InputFile
{
    /// <summary>Opens a regular file for reading, refusing anything else before opening it: a device such as
    /// <c>/dev/zero</c> never ends, and opening a FIFO waits for a writer.</summary>
    public static FileStream Open(string path)
    {
        switch (FileKinds.Of(path))
        {
            case FileKind.Directory:
                throw new UserErrorException(path, "is a directory, not a file");
            case FileKind.Missing:
                throw new UserErrorException(path, "file not found");
            case FileKind.Special:
                throw new UserErrorException(path, "is not a regular file (a device, a pipe or a socket); give a file");
            default:
                break;
        }

        try
        {
            return new FileStream(path, FileMode.Open, System.IO.FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, e);
        }
    }

    /// <summary>A reader of the file's text: UTF-8 unless a byte order mark says otherwise.</summary>
    public static StreamReader OpenText(string path) =>
        new(Open(path), new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);

    public static UserErrorException CannotRead(string path, Exception e) =>
        new(path, "cannot read the file: " + e.Message);
}
