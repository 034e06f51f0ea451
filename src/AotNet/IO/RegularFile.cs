using Microsoft.Win32.SafeHandles;

namespace AotNet;

/// <summary>
/// A regular file read at offsets through one handle, so the header and the tensor data come from
/// the same file even if a save replaces the path meanwhile, and nothing is read that is not asked for.
/// </summary>
sealed class RegularFile : IReadableFile
{
    readonly SafeFileHandle _handle;
    readonly string _path;

    RegularFile(SafeFileHandle handle, string path)
    {
        _handle = handle;
        _path = path;
        Length = RandomAccess.GetLength(handle);
    }

    public long Length { get; }

    /// <summary>Opens <paramref name="path"/> after checking it is a regular file, and checks the opened file again.</summary>
    /// <exception cref="InvalidDataException">The path is a directory, FIFO, device or socket.</exception>
    public static RegularFile Open(string path)
    {
        RefuseUnlessRegular(FileKind.NonRegular(path), path);
        // Share everything: a save may replace the file while it is being read, and this handle keeps the old one.
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            RefuseUnlessRegular(FileKind.NonRegular(handle), path);
            return new RegularFile(handle, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void ReadExactly(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, destination, offset);
            if (read == 0)
            {
                throw SafetensorsParser.Fault(_path, $"ends at byte {offset}, before the {Length} bytes it had when opened; it was truncated while being read");
            }
            offset += read;
            destination = destination[read..];
        }
    }

    public void Dispose() => _handle.Dispose();

    static void RefuseUnlessRegular(string? kind, string path)
    {
        if (kind is not null)
        {
            throw SafetensorsParser.Fault(path, $"is {kind}, not a regular file; checkpoints are read only from regular files");
        }
    }
}
