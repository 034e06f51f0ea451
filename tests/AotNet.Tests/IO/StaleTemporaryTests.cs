using AotNet.Tests.Support;

namespace AotNet.Tests.IO;

/// <summary>
/// A save killed between creating its temporary file and the rename leaves the temporary behind;
/// the next save of the same target removes it, and a failed save reports the target, not the temporary.
/// </summary>
public class StaleTemporaryTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheNextSaveRemovesTemporariesOfItsTargetOnly()
    {
        string target = _dir.File("x.safetensors");
        string stale = _dir.File($".x.safetensors.{Guid.NewGuid():N}.tmp");
        string other = _dir.File($".y.safetensors.{Guid.NewGuid():N}.tmp");
        string unrelated = _dir.File(".x.safetensors.notes.tmp");
        File.WriteAllBytes(stale, new byte[1000]);
        File.WriteAllBytes(other, new byte[10]);
        File.WriteAllBytes(unrelated, new byte[10]);
        Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), target);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(unrelated));
        Assert.Equal(["x.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Where(n => n!.StartsWith('x')));
    }

    [Fact]
    public void AFailedRenameNamesTheTargetAndLeavesNoTemporary()
    {
        string target = _dir.File("taken");
        Directory.CreateDirectory(target);
        var error = Assert.ThrowsAny<IOException>(() => Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), target));
        Assert.Contains(target, error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
        Assert.Equal([target], Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void AMissingDirectoryIsReportedWithTheTargetsName()
    {
        string target = Path.Combine(_dir.Path, "missing", "x.safetensors");
        var error = Assert.ThrowsAny<IOException>(() => Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), target));
        Assert.Contains(target, error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
    }
}
