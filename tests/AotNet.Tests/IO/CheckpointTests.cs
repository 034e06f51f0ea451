using AotNet.Tests.Support;
using static AotNet.Tests.IO.SafetensorsBytes;

namespace AotNet.Tests.IO;

public class CheckpointTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static float[][] Snapshot(Module model) => model.Parameters().Select(p => p.Value.ToArray()).ToArray();

    [Fact]
    public void RoundTripRestoresEveryParameter()
    {
        var saved = new TwoLayer(4, 3, 2, seed: 1);
        var loaded = new TwoLayer(4, 3, 2, seed: 100);
        Assert.NotEqual(saved.Snapshot()[0], loaded.Snapshot()[0]);
        string path = _dir.File("model.safetensors");
        Checkpoint.Save(saved, path);
        Checkpoint.Load(loaded, path);
        Assert.Equal(saved.Snapshot(), loaded.Snapshot());
    }

    [Fact]
    public void TheFileIsSafetensorsWithStateDictNamesAndShapes()
    {
        var model = new TwoLayer(4, 3, 2, seed: 1);
        string path = _dir.File("model.safetensors");
        Checkpoint.Save(model, path);
        var file = Safetensors.Read(path);
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], file.Entries.Select(e => e.Name));
        Assert.All(file.Entries, e => Assert.Equal("F32", e.DType));
        Assert.Equal([3, 4], file["fc1.weight"].Shape.ToArray());
        Assert.Equal(model.Fc2.Weight.Value.ToArray(), file.ReadTensor("fc2.weight").ToArray());
        Assert.Equal(8 + 8 * ((int)BitConverter.ToUInt64(File.ReadAllBytes(path)) / 8) + 4 * (12 + 3 + 6 + 2), File.ReadAllBytes(path).Length);
    }

    [Fact]
    public void LoadsAFileWrittenByAnotherToolWithTheSameNames()
    {
        var model = new Wrapper(new Linear(2, 1, rng: new Rng(1)), "fc");
        string path = _dir.File("external.safetensors");
        File.WriteAllBytes(path, Build(
            """{"fc.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[4,12]},"fc.bias":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""",
            Floats(0.5f, -1f, 2f)));
        Checkpoint.Load(model, path);
        Assert.Equal([[-1f, 2f], [0.5f]], Snapshot(model));
    }

    [Fact]
    public void SaveReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        string path = _dir.File("model.safetensors");
        File.WriteAllText(path, "old contents");
        var model = new TwoLayer(4, 3, 2, seed: 1);
        Checkpoint.Save(model, path);
        Checkpoint.Save(model, path);
        Assert.Equal(["model.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
        var other = new TwoLayer(4, 3, 2, seed: 9);
        Checkpoint.Load(other, path);
        Assert.Equal(model.Snapshot(), other.Snapshot());
    }

    [Fact]
    public void SaveIntoAMissingDirectoryFailsWithoutLeavingFiles()
    {
        string path = Path.Combine(_dir.Path, "absent", "model.safetensors");
        Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Save(new TwoLayer(2, 2, 2, seed: 1), path));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void ShapeMismatchNamesTheParameterAndBothShapes()
    {
        string path = _dir.File("model.safetensors");
        Checkpoint.Save(new TwoLayer(4, 3, 2, seed: 1), path);
        var other = new TwoLayer(4, 5, 2, seed: 2);
        var before = other.Snapshot();
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Load(other, path));
        Assert.Contains("'fc1.weight' is [3, 4] in the file but [5, 4] here", error.Message);
        Assert.Contains("'fc2.weight' is [2, 3] in the file but [2, 5] here", error.Message);
        Assert.Contains("left unchanged", error.Message);
        Assert.Equal(before, other.Snapshot());
    }

    [Fact]
    public void NameMismatchListsEveryMissingAndUnexpectedParameter()
    {
        string path = _dir.File("model.safetensors");
        Checkpoint.Save(new Wrapper(new Linear(3, 2, rng: new Rng(1)), "encoder"), path);
        var other = new Wrapper(new Linear(3, 2, rng: new Rng(2)), "decoder");
        var before = Snapshot(other);
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Load(other, path));
        Assert.Contains("missing from the file: 'decoder.weight' [2, 3], 'decoder.bias' [2]", error.Message);
        Assert.Contains("unexpected in the file: 'encoder.bias' [2], 'encoder.weight' [2, 3]", error.Message);
        Assert.Equal(before, Snapshot(other));
    }

    [Fact]
    public void NonF32TensorsAreRefusedEvenWhenTheRestFits()
    {
        var model = new Wrapper(new Linear(1, 1, rng: new Rng(1)), "fc");
        var before = Snapshot(model);
        string path = _dir.File("half.safetensors");
        File.WriteAllBytes(path, Build(
            """{"fc.bias":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"fc.weight":{"dtype":"F16","shape":[1,1],"data_offsets":[4,6]}}""",
            [.. Floats(3f), .. BitConverter.GetBytes((Half)2)]));
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Load(model, path));
        Assert.Contains("'fc.weight' is F16 in the file, but AotNet holds F32", error.Message);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void MissingFileThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(new TwoLayer(2, 2, 2, 1), _dir.File("absent.safetensors")));
}
