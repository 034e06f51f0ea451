using System.Diagnostics;
using AotNet.Tests.Support;

namespace AotNet.Tests.IO;

/// <summary>
/// A reader that trusts the file's size reads a lying file whole before refusing it, and a
/// FIFO or a device forever. The prefix and header are read and checked first, and only regular
/// files are read at all.
/// </summary>
public class BoundedReadTests : IDisposable
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AHugeFileWithAnImpossiblePrefixIsRefusedWithoutReadingIt()
    {
        string path = _dir.File("huge.safetensors");
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.Write(BitConverter.GetBytes(1UL << 63));
            file.SetLength(1L << 30); // sparse: costs no disk
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith(path, error.Message);
        Assert.True(allocated < 1 << 20, $"Refusing the file allocated {allocated} bytes.");
    }

    [Fact]
    public void AHugeFileWithAnAbsurdHeaderIsRefusedAfterReadingOnlyTheHeader()
    {
        string path = _dir.File("huge.safetensors");
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"u8.ToArray();
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.Write(BitConverter.GetBytes((ulong)header.Length));
            file.Write(header);
            file.SetLength(1L << 30);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => Safetensors.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1 << 20, $"Refusing the file allocated {allocated} bytes.");
    }

    [Fact]
    public void ADirectoryIsRefusedNamingIt()
    {
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Read(_dir.Path));
        Assert.StartsWith(_dir.Path, error.Message);
        Assert.Contains("is a directory, not a regular file", error.Message);
    }

    [Fact]
    public async Task AFifoIsRefusedWithoutWaitingForAWriter()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        string fifo = _dir.File("pipe.safetensors");
        Process.Start("mkfifo", fifo).WaitForExit();
        var load = Task.Run(() => Checkpoint.Load(new TwoLayer(3, 2, 2, seed: 1), fifo));
        bool finished = await Task.WhenAny(load, Task.Delay(Patience)) == load;
        if (!finished)
        {
            // Let the blocked reader go before failing, so the test host is not left with a stuck thread.
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }
        }
        Assert.True(finished, "Loading a FIFO did not return.");
        var error = Assert.IsType<InvalidDataException>(load.Exception?.InnerException);
        Assert.StartsWith(fifo, error.Message);
        Assert.Contains("not a regular file", error.Message);
    }

    [Fact]
    public async Task ACharacterDeviceIsRefusedWithoutReadingIt()
    {
        if (!File.Exists("/dev/zero"))
        {
            return;
        }
        var load = Task.Run(() => Checkpoint.Load(new TwoLayer(3, 2, 2, seed: 1), "/dev/zero"));
        Assert.True(await Task.WhenAny(load, Task.Delay(Patience)) == load, "Loading /dev/zero did not return.");
        var error = Assert.IsType<InvalidDataException>(load.Exception?.InnerException);
        Assert.StartsWith("/dev/zero", error.Message);
        Assert.Contains("not a regular file", error.Message);
    }
}
