using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AotNet;

/// <summary>
/// Tells a regular file from a FIFO, a device, a socket or a directory. Opening a FIFO blocks until
/// a writer appears and a device such as <c>/dev/zero</c> never ends, so the loaders look before
/// they open. .NET has no public API for the file type, so on Unix this asks the runtime's own
/// native shim (<c>libSystem.Native</c>, present in every .NET and NativeAOT app) for the
/// <c>stat</c> mode, whose position at the start of its status record has not changed since .NET Core 1.0.
/// </summary>
static unsafe partial class FileKind
{
    // The shim's normalised S_IF* values (pal_io.h), the same on every Unix.
    const int TypeMask = 0xF000, Fifo = 0x1000, CharacterDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000, Regular = 0x8000, Socket = 0xC000;

    // Larger than the shim's status record in any release, so a newer runtime's extra fields fit.
    const int StatusBytes = 512;
    const int ModeOffset = 4;

    /// <summary>Null for a regular file (or when the type cannot be told); otherwise what it is, for the refusal.</summary>
    public static string? NonRegular(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return System.IO.Directory.Exists(path) ? "a directory" : null;
        }
        byte* status = stackalloc byte[StatusBytes];
        try
        {
            return Describe(Stat(path, status), status);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>As <see cref="NonRegular(string)"/>, for the file actually opened (it may have been swapped since the path was checked).</summary>
    public static string? NonRegular(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        byte* status = stackalloc byte[StatusBytes];
        try
        {
            return Describe(FStat(handle, status), status);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    static string? Describe(int result, byte* status)
    {
        if (result != 0)
        {
            // Missing or unreadable: opening it reports that with the usual exception.
            return null;
        }
        return (*(int*)(status + ModeOffset) & TypeMask) switch
        {
            Regular => null,
            Directory => "a directory",
            Fifo => "a FIFO",
            CharacterDevice => "a character device",
            BlockDevice => "a block device",
            Socket => "a socket",
            _ => "not a file",
        };
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, byte* status);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FStat")]
    private static partial int FStat(SafeFileHandle handle, byte* status);
}
