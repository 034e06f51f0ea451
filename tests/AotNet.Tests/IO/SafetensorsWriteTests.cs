using System.Buffers.Binary;
using System.Text;
using AotNet.Tests.Support;

namespace AotNet.Tests.IO;

/// <summary>The written bytes follow the safetensors spec and the reference implementation's layout.</summary>
public class SafetensorsWriteTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static byte[] WriteToBytes(IEnumerable<KeyValuePair<string, Tensor>> tensors, IEnumerable<KeyValuePair<string, string>>? metadata = null)
    {
        using var stream = new MemoryStream();
        Safetensors.Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    [Fact]
    public void LayoutIsLengthThenSortedCompactHeaderPaddedToEightThenPackedData()
    {
        byte[] bytes = WriteToBytes([
            new("b", Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3)),
            new("a", Tensor.FromArray([-0.5f], 1)),
        ]);

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLength % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        const string json = """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2,3],"data_offsets":[4,28]}}""";
        Assert.Equal(json, header.TrimEnd(' '));
        Assert.Equal(new string(' ', (int)headerLength - json.Length), header[json.Length..]);
        Assert.Equal(SafetensorsBytes.Floats(-0.5f, 1, 2, 3, 4, 5, 6), bytes[(8 + (int)headerLength)..]);
    }

    [Fact]
    public void MetadataComesFirstWithSortedKeysAndUnescapedPlus()
    {
        byte[] bytes = WriteToBytes(
            [new("w", Tensor.FromArray([1f], 1))],
            [new("z", "1E+20"), new("format", "pt")]);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes)).TrimEnd(' ');
        Assert.Equal("""{"__metadata__":{"format":"pt","z":"1E+20"},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", header);
    }

    [Fact]
    public void ScalarAndEmptyTensorsGetEmptyShapeAndEmptyRange()
    {
        byte[] bytes = WriteToBytes([new("empty", new Tensor(0, 3)), new("scalar", Tensor.Scalar(7f))]);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes)).TrimEnd(' ');
        Assert.Equal("""{"empty":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"scalar":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}""", header);
        var file = Safetensors.Parse(bytes);
        Assert.Equal(7f, file.ReadTensor("scalar").Item());
        Assert.Equal([0, 3], file.ReadTensor("empty").Shape.ToArray());
    }

    [Fact]
    public void EveryFloatBitPatternSurvivesARoundTrip()
    {
        float[] values = [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.NegativeInfinity, float.NaN,
            BitConverter.Int32BitsToSingle(0x7FC0_1234), 1e-40f, 0.1f];
        var file = Safetensors.Parse(WriteToBytes([new("x", Tensor.FromArray(values, values.Length))]));
        var read = file.ReadTensor("x").ToArray();
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), read.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void RepeatedOrReservedNamesAreRefused()
    {
        var one = Tensor.FromArray([1f], 1);
        var repeated = Assert.Throws<ArgumentException>(() => WriteToBytes([new("w", one), new("w", one)]));
        Assert.Contains("'w'", repeated.Message);
        var reserved = Assert.Throws<ArgumentException>(() => WriteToBytes([new("__metadata__", one)]));
        Assert.Contains("reserved", reserved.Message);
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileAndNoTemporaryFile()
    {
        string path = _dir.File("state.safetensors");
        File.WriteAllText(path, "old contents");
        var one = Tensor.FromArray([1f], 1);
        Assert.Throws<ArgumentException>(() => Safetensors.Write(path, [new("w", one), new("w", one)]));
        Assert.Equal("old contents", File.ReadAllText(path));
        Assert.Equal(["state.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WritingToAPathReplacesTheFileWithTheSameBytesAsAStream()
    {
        string path = _dir.File("state.safetensors");
        File.WriteAllText(path, "old contents");
        KeyValuePair<string, Tensor>[] tensors = [new("w", Tensor.FromArray([1f, 2f], 2))];
        Safetensors.Write(path, tensors, [new("k", "v")]);
        Assert.Equal(WriteToBytes(tensors, [new("k", "v")]), File.ReadAllBytes(path));
        Assert.Equal("v", Safetensors.Read(path).Metadata["k"]);
        Assert.Equal(["state.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }
}
