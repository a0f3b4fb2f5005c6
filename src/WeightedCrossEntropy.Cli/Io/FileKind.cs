using System.Runtime.InteropServices;

namespace WeightedCrossEntropy.Cli.Io;

/// <summary>What a path names, symbolic links followed.</summary>
internal enum FileKind
{
    /// <summary>Nothing (or a dangling link).</summary>
    Missing,

    /// <summary>A regular file: the only kind the tool reads.</summary>
    Regular,

    Directory,

    /// <summary>A character or block device (<c>/dev/zero</c>), a FIFO or a socket: reading one may never end or
    /// may block forever.</summary>
    Special,
}

internal static class FileKinds
{
    // The file type bits of a stat mode, as the runtime's System.Native shim reports them on every Unix it supports
    // (fixed values, whatever the platform's own).
    private const int TypeMask = 0xF000;
    private const int Fifo = 0x1000;
    private const int CharacterDevice = 0x2000;
    private const int DirectoryType = 0x4000;
    private const int BlockDevice = 0x6000;
    private const int RegularType = 0x8000;
    private const int Socket = 0xC000;

    private static bool statUnavailable;

    /// <summary>What <paramref name="path"/> is, links followed. On Unix from <c>stat(2)</c>, so that a FIFO is
    /// recognized without opening it (which would block until a writer comes); elsewhere, or if that call is not
    /// available, from .NET's file and directory checks, which see devices and FIFOs as files.</summary>
    public static FileKind Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            return FileKind.Missing;
        }

        if (!OperatingSystem.IsWindows() && !Volatile.Read(ref statUnavailable))
        {
            try
            {
                if (Stat(path, out var status) == 0)
                {
                    switch (status.Mode & TypeMask)
                    {
                        case RegularType:
                            return FileKind.Regular;
                        case DirectoryType:
                            return FileKind.Directory;
                        case Fifo or CharacterDevice or BlockDevice or Socket:
                            return FileKind.Special;
                        default:
                            break; // unknown bits: trust .NET's view below
                    }
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                Volatile.Write(ref statUnavailable, true);
            }
        }

        return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>stat(2) through the System.Native shim that ships with every .NET runtime on Unix (the one .NET's
    /// own file APIs call): its result has the same layout on every platform, unlike libc's <c>struct stat</c>.</summary>
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus output);

    /// <summary>The shim's <c>FileStatus</c>: only <c>Mode</c> (after the 4-byte <c>Flags</c>) is read; the struct
    /// is about 120 bytes and the buffer leaves room for it to grow.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 512)]
    private struct FileStatus
    {
        [FieldOffset(4)]
        public int Mode;
    }
}
