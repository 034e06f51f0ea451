using AotNet.Tests.Support;

namespace AotNet.Tests.IO;

/// <summary>
/// A save that reported success survives a power cut only if the file's data reached the disk
/// before the rename, and the directory entry after it. A recording file system shows the order.
/// </summary>
public class SaveOrderTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheFileIsFlushedThenRenamedThenTheDirectoryIsFlushed()
    {
        var fs = new RecordingFileSystem();
        string target = _dir.File("x.safetensors");
        Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), target, fs);
        Assert.Equal(["create .x.safetensors.tmp", "write", "flush .x.safetensors.tmp", "close", "rename .x.safetensors.tmp -> x.safetensors", "flush-dir"],
            fs.Steps.Where(s => s != "list").Select(s => s).Distinct().ToArray());
        Assert.True(File.Exists(target));
    }

    [Theory]
    [InlineData("flush")]
    [InlineData("rename")]
    public void AFailureBeforeTheRenameKeepsTheOldFileAndNamesTheTarget(string failAt)
    {
        string target = _dir.File("x.safetensors");
        Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), target);
        byte[] old = File.ReadAllBytes(target);
        var fs = new RecordingFileSystem { FailAt = failAt };
        var error = Assert.Throws<IOException>(() => Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 2), target, fs));
        Assert.Contains(target, error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
        Assert.Equal(old, File.ReadAllBytes(target));
        Assert.Equal([target], Directory.GetFiles(_dir.Path));
        Assert.DoesNotContain(fs.Steps, s => s == "flush-dir");
    }

    [Fact]
    public void AFailedDirectoryFlushIsReportedThoughTheFileWasReplaced()
    {
        string target = _dir.File("x.safetensors");
        var fs = new RecordingFileSystem { FailAt = "flush-dir" };
        var error = Assert.Throws<IOException>(() => Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), target, fs));
        Assert.StartsWith(target, error.Message);
        Assert.Contains("directory could not be flushed", error.Message);
    }

    [Fact]
    public void ATemporaryALiveSaveHoldsOpenIsLeftAlone()
    {
        string target = _dir.File("x.safetensors");
        string live = _dir.File($".x.safetensors.{Guid.NewGuid():N}.tmp");
        using (new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), target);
            Assert.True(File.Exists(live));
        }
    }

    /// <summary>The real file system, logging each step (temporary names without their guid) and failing one on request.</summary>
    sealed class RecordingFileSystem : ISaveFileSystem
    {
        public List<string> Steps { get; } = [];

        public string? FailAt { get; init; }

        public Stream CreateNew(string path)
        {
            Log("create " + Short(path));
            return new LoggingStream((FileStream)PhysicalFileSystem.Instance.CreateNew(path), this);
        }

        public void FlushToDisk(Stream file)
        {
            Log("flush " + Short(((LoggingStream)file).Name));
            PhysicalFileSystem.Instance.FlushToDisk(((LoggingStream)file).Inner);
        }

        public void Replace(string source, string destination)
        {
            Log($"rename {Short(source)} -> {Short(destination)}");
            PhysicalFileSystem.Instance.Replace(source, destination);
        }

        public void FlushDirectory(string directory)
        {
            Log("flush-dir");
            PhysicalFileSystem.Instance.FlushDirectory(directory);
        }

        public IEnumerable<string> Files(string directory, string pattern)
        {
            Steps.Add("list");
            return PhysicalFileSystem.Instance.Files(directory, pattern);
        }

        public bool TryDeleteAbandoned(string path) => PhysicalFileSystem.Instance.TryDeleteAbandoned(path);

        public void Delete(string path) => PhysicalFileSystem.Instance.Delete(path);

        void Log(string step)
        {
            Steps.Add(step);
            if (FailAt is { } fail && step.StartsWith(fail + " ", StringComparison.Ordinal) || step == FailAt)
            {
                throw new IOException($"Simulated failure on {_lastTemporary}.");
            }
        }

        string _lastTemporary = "";

        string Short(string path)
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                _lastTemporary = path;
                return name[..(name.Length - 37)] + ".tmp";
            }
            return name;
        }

        sealed class LoggingStream(FileStream inner, RecordingFileSystem owner) : Stream
        {
            public FileStream Inner => inner;

            public string Name => inner.Name;

            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => inner.Length;

            public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

            public override void Flush() => inner.Flush();

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

            public override void Write(ReadOnlySpan<byte> buffer)
            {
                owner.Steps.Add("write");
                inner.Write(buffer);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    owner.Steps.Add("close");
                    inner.Dispose();
                }
                base.Dispose(disposing);
            }
        }
    }
}
