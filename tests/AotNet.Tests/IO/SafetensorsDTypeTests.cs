using static AotNet.Tests.IO.SafetensorsBytes;

namespace AotNet.Tests.IO;

/// <summary>F32, I64, I32, U8 and BOOL are written and read exactly; asking for one dtype from a tensor of another is refused by name.</summary>
public class SafetensorsDTypeTests
{
    [Fact]
    public void EveryWrittenDtypeReadsBackExactly()
    {
        using var stream = new MemoryStream();
        Safetensors.WriteTensors(stream,
        [
            SafetensorsTensor.Float32("f", Tensor.FromArray([1.5f, -2f], 2)),
            SafetensorsTensor.Int64("num_batches_tracked", new long[] { long.MaxValue }),
            SafetensorsTensor.Int32("i", new[] { -1, 2, int.MinValue, 4 }, 2, 2),
            SafetensorsTensor.UInt8("u", new byte[] { 0, 255, 7 }, 3),
            SafetensorsTensor.Bool("b", new[] { true, false, true }, 3),
        ]);
        var file = Safetensors.Parse(stream.ToArray(), "typed.safetensors");
        Assert.Equal(["F32", "I64", "I32", "U8", "BOOL"], new[] { "f", "num_batches_tracked", "i", "u", "b" }.Select(n => file[n].DType));
        Assert.Equal([1.5f, -2f], file.ReadTensor("f").ToArray());
        Assert.Equal([long.MaxValue], file.ReadInt64("num_batches_tracked"));
        Assert.Empty(file["num_batches_tracked"].Shape.ToArray());
        Assert.Equal([-1, 2, int.MinValue, 4], file.ReadInt32("i"));
        Assert.Equal([2, 2], file["i"].Shape.ToArray());
        Assert.Equal([0, 255, 7], file.ReadUInt8("u"));
        Assert.Equal([true, false, true], file.ReadBool("b"));
    }

    [Fact]
    public void ADtypeMismatchNamesTheFileTheTensorAndBothDtypes()
    {
        var file = Safetensors.Parse(Build("""{"steps":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", BitConverter.GetBytes(5L)), "mixed.safetensors");
        var error = Assert.Throws<NotSupportedException>(() => file.ReadInt32("steps"));
        Assert.Equal("mixed.safetensors: tensor 'steps' has dtype I64, but I32 was asked for.", error.Message);
        Assert.Throws<NotSupportedException>(() => file.ReadBool("steps"));
        Assert.Contains("'steps' has dtype I64", Assert.Throws<NotSupportedException>(() => file.ReadTensor("steps")).Message);
    }

    [Fact]
    public void AnInt64TensorUnderAParametersNameIsAMismatchNamingFileAndTensor()
    {
        var model = new TwoLayer(3, 2, 2, seed: 1);
        using var stream = new MemoryStream();
        var tensors = model.NamedParameters().Where(p => p.Key != "fc2.bias").Select(p => SafetensorsTensor.Float32(p.Key, p.Value.Value)).ToList();
        tensors.Add(SafetensorsTensor.Int64("fc2.bias", new long[] { 1, 2 }, 2));
        string path = Path.Combine(Path.GetTempPath(), $"aotnet-dtype-{Guid.NewGuid():N}.safetensors");
        try
        {
            Safetensors.WriteTensors(path, tensors);
            var before = model.Snapshot();
            var error = Assert.Throws<ArgumentException>(() => Checkpoint.Load(model, path));
            Assert.StartsWith(path, error.Message);
            Assert.Contains("'fc2.bias' is I64 in the file, but AotNet holds F32", error.Message);
            Assert.Equal(before, model.Snapshot());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ABoolByteOtherThanZeroOrOneIsRefused()
    {
        var file = Safetensors.Parse(Build("""{"b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}""", 1, 2), "bool.safetensors");
        var error = Assert.Throws<InvalidDataException>(() => file.ReadBool("b"));
        Assert.Equal("bool.safetensors stores 2 at element 1 of BOOL tensor 'b'; BOOL elements are 0 or 1.", error.Message);
    }

    [Fact]
    public void AShapeThatDoesNotHoldTheValuesIsRefusedWhenTheTensorIsMade()
    {
        Assert.Throws<ArgumentException>(() => SafetensorsTensor.Int64("x", new long[3], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SafetensorsTensor.UInt8("x", new byte[0], -1));
    }
}
