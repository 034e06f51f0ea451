using AotNet.Tests.Support;

namespace AotNet.Tests.IO;

/// <summary>
/// Damaged files never crash, hang or half-load. safetensors has no checksum, so a flipped
/// byte inside tensor data loads as a different value; everything else must be refused with
/// the file named, and a refused load must leave the model exactly as it was.
/// </summary>
public class CheckpointCorruptionTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly byte[] _original;
    readonly int _dataStart;
    readonly TwoLayer _target = new(3, 2, 2, seed: 50);
    readonly float[][] _before;

    public CheckpointCorruptionTests()
    {
        string path = _dir.File("model.safetensors");
        Checkpoint.Save(new TwoLayer(3, 2, 2, seed: 1), path);
        _original = File.ReadAllBytes(path);
        _dataStart = 8 + (int)BitConverter.ToUInt64(_original);
        _before = _target.Snapshot();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TruncationAtEveryOffsetIsRefusedAsTruncated()
    {
        string cut = _dir.File("cut.safetensors");
        for (int length = 0; length < _original.Length; length++)
        {
            File.WriteAllBytes(cut, _original[..length]);
            var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_target, cut));
            Assert.StartsWith(cut, error.Message);
            // A cut inside the header leaves its JSON unfinished; a cut after it leaves a tensor short.
            Assert.True(error.Message.Contains("truncated") || error.Message.Contains("JSON"), $"length {length}: {error.Message}");
            Assert.Equal(_before, _target.Snapshot());
        }
    }

    [Fact]
    public void EveryByteFlipIsRefusedOrLoadsExactlyTheFlippedData()
    {
        string corrupt = _dir.File("corrupt.safetensors");
        int loaded = 0;
        foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (int offset = 0; offset < _original.Length; offset++)
            {
                byte[] copy = (byte[])_original.Clone();
                copy[offset] ^= mask;
                File.WriteAllBytes(corrupt, copy);
                if (TryLoad(corrupt, $"offset {offset} mask {mask:X2}"))
                {
                    Assert.True(offset >= _dataStart, $"A flip at header offset {offset} (mask {mask:X2}) was accepted.");
                    AssertModelHoldsDataOf(copy);
                    loaded++;
                    RestoreTarget();
                }
            }
        }
        Assert.Equal(3 * (_original.Length - _dataStart), loaded);
    }

    [Fact]
    public void RandomDamageIsRefusedOrLoadsConsistently()
    {
        var rng = new Rng(123);
        string corrupt = _dir.File("corrupt.safetensors");
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] copy = (byte[])_original.Clone();
            int damaged = 1 + rng.NextInt(8);
            for (int i = 0; i < damaged; i++)
            {
                copy[rng.NextInt(_dataStart + 8)] = (byte)rng.NextInt(256);
            }
            File.WriteAllBytes(corrupt, copy);
            if (TryLoad(corrupt, $"trial {trial}"))
            {
                // The header may have survived unchanged, or changed into another valid header for this model; either way the loaded values are the file's.
                var file = Safetensors.Read(corrupt);
                Assert.Equal(file.Entries.Select(e => file.ReadTensor(e.Name).ToArray()), ByName(file.Entries.Select(e => e.Name)));
                RestoreTarget();
            }
        }
    }

    /// <summary>Loads, and on failure checks that the error is a clear one and that the model did not change.</summary>
    bool TryLoad(string path, string what)
    {
        try
        {
            Checkpoint.Load(_target, path);
            return true;
        }
        catch (Exception error) when (error is InvalidDataException or ArgumentException)
        {
            Assert.True(error.Message.Contains(path), $"{what}: {error.Message}");
            Assert.Equal(_before, _target.Snapshot());
            return false;
        }
    }

    void AssertModelHoldsDataOf(byte[] bytes)
    {
        // The header is intact, so its layout is the original's: names sorted, packed from the data start.
        var values = _target.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Value.ToArray());
        int offset = _dataStart;
        foreach (string name in values.Keys.Order(StringComparer.Ordinal))
        {
            float[] expected = Enumerable.Range(0, values[name].Length).Select(i => BitConverter.ToSingle(bytes, offset + 4 * i)).ToArray();
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), values[name].Select(BitConverter.SingleToInt32Bits));
            offset += 4 * expected.Length;
        }
    }

    IEnumerable<float[]> ByName(IEnumerable<string> names)
    {
        var values = _target.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Value.ToArray());
        return names.Select(n => values[n]);
    }

    void RestoreTarget()
    {
        var parameters = _target.Parameters();
        for (int i = 0; i < parameters.Count; i++)
        {
            _before[i].CopyTo(parameters[i].Value.Span);
        }
    }
}
