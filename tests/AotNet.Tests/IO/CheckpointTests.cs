using AotNet.Tests.Support;

namespace AotNet.Tests.IO;

public class CheckpointTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    sealed class TwoLayer(int inputs, int hidden, int outputs, ulong seed) : Module
    {
        public Linear Fc1 { get; } = new(inputs, hidden, rng: new Rng(seed));
        public Linear Fc2 { get; } = new(hidden, outputs, rng: new Rng(seed + 1));

        public override void VisitMembers(IModuleVisitor visitor)
        {
            visitor.Module("fc1", Fc1);
            visitor.Module("fc2", Fc2);
        }
    }

    sealed class Wrapper(Linear layer, string name) : Module
    {
        public override void VisitMembers(IModuleVisitor visitor) => visitor.Module(name, layer);
    }

    static float[][] Snapshot(Module model) => model.Parameters().Select(p => p.Value.ToArray()).ToArray();

    [Fact]
    public void RoundTripRestoresEveryParameter()
    {
        var saved = new TwoLayer(4, 3, 2, seed: 1);
        var loaded = new TwoLayer(4, 3, 2, seed: 100);
        Assert.NotEqual(Snapshot(saved)[0], Snapshot(loaded)[0]);
        string path = _dir.File("model.ckpt");
        Checkpoint.Save(saved, path);
        Checkpoint.Load(loaded, path);
        Assert.Equal(Snapshot(saved), Snapshot(loaded));
    }

    [Fact]
    public void FileStartsWithMagicAndVersionAndRecordsItsLength()
    {
        string path = _dir.File("model.ckpt");
        Checkpoint.Save(new TwoLayer(4, 3, 2, seed: 1), path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal("AOTNETCK"u8.ToArray(), bytes[..8]);
        Assert.Equal(1u, BitConverter.ToUInt32(bytes, 8));
        Assert.Equal((ulong)bytes.Length, BitConverter.ToUInt64(bytes, 12));
        Assert.Equal(4u, BitConverter.ToUInt32(bytes, 20));
        int expected = 24 + 4 + (4 + 10 + 4 + 8 + 48) + (4 + 8 + 4 + 4 + 12) + (4 + 10 + 4 + 8 + 24) + (4 + 8 + 4 + 4 + 8);
        Assert.Equal(expected, bytes.Length);
    }

    [Fact]
    public void SaveReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        string path = _dir.File("model.ckpt");
        File.WriteAllText(path, "old contents");
        var model = new TwoLayer(4, 3, 2, seed: 1);
        Checkpoint.Save(model, path);
        Checkpoint.Save(model, path);
        Assert.Equal(["model.ckpt"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
        Checkpoint.Load(new TwoLayer(4, 3, 2, seed: 9), path);
    }

    [Fact]
    public void SaveIntoAMissingDirectoryFailsWithoutLeavingFiles()
    {
        string path = Path.Combine(_dir.Path, "absent", "model.ckpt");
        Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Save(new TwoLayer(2, 2, 2, seed: 1), path));
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void TruncationAtEveryOffsetIsRefusedAndLeavesTheModelUnchanged()
    {
        string path = _dir.File("model.ckpt");
        Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), path);
        byte[] bytes = File.ReadAllBytes(path);
        var target = new TwoLayer(3, 2, 2, seed: 50);
        var before = Snapshot(target);
        string cut = _dir.File("cut.ckpt");
        for (int length = 0; length < bytes.Length; length++)
        {
            File.WriteAllBytes(cut, bytes[..length]);
            var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(target, cut));
            Assert.Contains(cut, error.Message);
            Assert.True(error.Message.Contains("truncated") || error.Message.Contains("not an AotNet checkpoint"), $"length {length}: {error.Message}");
            Assert.Equal(before, Snapshot(target));
        }
    }

    [Fact]
    public void EveryByteFlipIsRefusedAndLeavesTheModelUnchanged()
    {
        string path = _dir.File("model.ckpt");
        Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), path);
        byte[] bytes = File.ReadAllBytes(path);
        var target = new TwoLayer(3, 2, 2, seed: 50);
        var before = Snapshot(target);
        string corrupt = _dir.File("corrupt.ckpt");
        foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (int offset = 0; offset < bytes.Length; offset++)
            {
                byte[] copy = (byte[])bytes.Clone();
                copy[offset] ^= mask;
                File.WriteAllBytes(corrupt, copy);
                var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(target, corrupt));
                Assert.Contains(corrupt, error.Message);
                Assert.Equal(before, Snapshot(target));
            }
        }
    }

    [Fact]
    public void RandomDamageIsRefused()
    {
        string path = _dir.File("model.ckpt");
        Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), path);
        byte[] bytes = File.ReadAllBytes(path);
        var target = new TwoLayer(3, 2, 2, seed: 50);
        var before = Snapshot(target);
        var rng = new Rng(123);
        string corrupt = _dir.File("corrupt.ckpt");
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] copy = (byte[])bytes.Clone();
            int damaged = 1 + rng.NextInt(8);
            for (int i = 0; i < damaged; i++)
            {
                copy[rng.NextInt(copy.Length)] = (byte)rng.NextInt(256);
            }
            if (copy.AsSpan().SequenceEqual(bytes))
            {
                continue;
            }
            File.WriteAllBytes(corrupt, copy);
            Assert.Throws<InvalidDataException>(() => Checkpoint.Load(target, corrupt));
            Assert.Equal(before, Snapshot(target));
        }
    }

    [Fact]
    public void SpecificFaultsHaveSpecificMessages()
    {
        string path = _dir.File("model.ckpt");
        Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), path);
        byte[] bytes = File.ReadAllBytes(path);
        var target = new TwoLayer(3, 2, 2, seed: 50);

        Assert.Contains("trailing data", LoadError([.. bytes, 0]));
        Assert.Contains("not an AotNet checkpoint", LoadError("not a checkpoint at all, just text"u8.ToArray()));
        byte[] otherVersion = (byte[])bytes.Clone();
        otherVersion[8] = 2;
        Assert.Contains("version 2", LoadError(otherVersion));
        byte[] flipped = (byte[])bytes.Clone();
        flipped[^10] ^= 1;
        Assert.Contains("CRC-32", LoadError(flipped));

        string LoadError(byte[] content)
        {
            File.WriteAllBytes(_dir.File("bad.ckpt"), content);
            return Assert.Throws<InvalidDataException>(() => Checkpoint.Load(target, _dir.File("bad.ckpt"))).Message;
        }
    }

    [Fact]
    public void ShapeMismatchNamesTheParameterAndBothShapes()
    {
        string path = _dir.File("model.ckpt");
        Checkpoint.Save(new TwoLayer(4, 3, 2, seed: 1), path);
        var other = new TwoLayer(4, 5, 2, seed: 2);
        var before = Snapshot(other);
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Load(other, path));
        Assert.Contains("'fc1.weight' is [3, 4] in the checkpoint but [5, 4] in the model", error.Message);
        Assert.Contains("'fc2.weight' is [2, 3] in the checkpoint but [2, 5] in the model", error.Message);
        Assert.Equal(before, Snapshot(other));
    }

    [Fact]
    public void NameMismatchListsMissingAndUnexpectedParameters()
    {
        string path = _dir.File("model.ckpt");
        Checkpoint.Save(new Wrapper(new Linear(3, 2, rng: new Rng(1)), "encoder"), path);
        var other = new Wrapper(new Linear(3, 2, rng: new Rng(2)), "decoder");
        var before = Snapshot(other);
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Load(other, path));
        Assert.Contains("unexpected parameter 'encoder.weight'", error.Message);
        Assert.Contains("missing parameter 'decoder.bias'", error.Message);
        Assert.Equal(before, Snapshot(other));
    }

    [Fact]
    public void MissingFileThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(new TwoLayer(2, 2, 2, 1), _dir.File("absent.ckpt")));

    [Fact]
    public void Crc32MatchesTheStandardCheckValue() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
}
