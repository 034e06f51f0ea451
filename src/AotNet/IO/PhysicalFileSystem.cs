using System.Runtime.InteropServices;

namespace AotNet;

/// <summary>The real file system, as the checkpoint loaders and savers use it outside tests.</summary>
sealed partial class PhysicalFileSystem : IFileOpener, ISaveFileSystem
{
    public static readonly PhysicalFileSystem Instance = new();

    // The runtime shim's portable open flags (pal_io.h) and Linux's and macOS's shared EINVAL.
    const int ReadOnly = 0x0000, CloseOnExec = 0x0010, InvalidArgument = 22;

    public IReadableFile OpenRead(string path) => RegularFile.Open(path);

    // FileShare.None takes an advisory lock on Unix too, which is how a later save tells a live save's temporary from an abandoned one.
    public Stream CreateNew(string path) => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);

    public void FlushToDisk(Stream file) => ((FileStream)file).Flush(flushToDisk: true);

    public void Replace(string source, string destination) => File.Move(source, destination, overwrite: true);

    public void FlushDirectory(string directory)
    {
        // Windows cannot open a directory for flushing, and NTFS journals the rename itself.
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        nint fd = Open(directory, ReadOnly | CloseOnExec, 0);
        if (fd < 0)
        {
            throw new IOException($"Could not open directory {directory} to flush it (error {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            // Some file systems cannot flush a directory and say so with EINVAL; there is nothing more to do on them.
            if (FSync(fd) != 0 && Marshal.GetLastPInvokeError() is int error && error != InvalidArgument)
            {
                throw new IOException($"Could not flush directory {directory} to disk (error {error}).");
            }
        }
        finally
        {
            Close(fd);
        }
    }

    public IEnumerable<string> Files(string directory, string pattern) => Directory.EnumerateFiles(directory, pattern);

    public bool TryDeleteAbandoned(string path)
    {
        try
        {
            // Opening exclusively fails while the save that created the file still runs; closing deletes it.
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Delete(string path) => File.Delete(path);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint Open(string path, int flags, int mode);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FSync", SetLastError = true)]
    private static partial int FSync(nint fd);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Close", SetLastError = true)]
    private static partial int Close(nint fd);
}
