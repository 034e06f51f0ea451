using System.Buffers.Binary;
using static AotNet.Tests.IO.SafetensorsBytes;

namespace AotNet.Tests.IO;

/// <summary>Well-formed files written by other tools read correctly, including dtype conversion.</summary>
public class SafetensorsReadTests
{
    [Fact]
    public void ReadsEntriesSortedByNameWithShapesOffsetsAndMetadata()
    {
        var file = Safetensors.Parse(Build(
            """{"__metadata__":{"format":"pt"},"z":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[2,1],"data_offsets":[4,12]}}""",
            Floats(9f, 1f, 2f)), "hand.safetensors");
        Assert.Equal(["a", "z"], file.Entries.Select(e => e.Name));
        Assert.Equal([2, 1], file["a"].Shape.ToArray());
        Assert.Equal((4L, 12L), (file["a"].Begin, file["a"].End));
        Assert.Equal([1f, 2f], file.ReadTensor("a").ToArray());
        Assert.Equal([9f], file.ReadTensor("z").ToArray());
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("hand.safetensors", file.Source);
        Assert.Contains("no tensor named 'b'", Assert.Throws<KeyNotFoundException>(() => file["b"]).Message);
    }

    [Fact]
    public void ConvertsF16AndBF16ExactlyAndF64ToTheNearestFloat()
    {
        byte[] f16 = [.. BitConverter.GetBytes((Half)1.5f), .. BitConverter.GetBytes((Half)(-65504f))];
        byte[] bf16 = [.. BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(3.25f) >> 16)), .. BitConverter.GetBytes((ushort)0xFF80)];
        byte[] f64 = BitConverter.GetBytes(0.1);
        var file = Safetensors.Parse(Build(
            """{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"d":{"dtype":"F64","shape":[],"data_offsets":[8,16]}}""",
            [.. f16, .. bf16, .. f64]));
        Assert.Equal([1.5f, -65504f], file.ReadTensor("h").ToArray());
        Assert.Equal([3.25f, float.NegativeInfinity], file.ReadTensor("b").ToArray());
        Assert.Equal(0.1f, file.ReadTensor("d").Item());
        Assert.All(file.Entries, e => Assert.True(e.IsFloat));
    }

    [Fact]
    public void NonFloatDtypesAreListedButRefusedWithTheTensorAndDtypeNamed()
    {
        var file = Safetensors.Parse(Build(
            """{"steps":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""",
            [.. BitConverter.GetBytes(5L), .. Floats(2f)]), "mixed.safetensors");
        Assert.False(file["steps"].IsFloat);
        Assert.Equal(2f, file.ReadTensor("w").Item());
        var error = Assert.Throws<NotSupportedException>(() => file.ReadTensor("steps"));
        Assert.Contains("mixed.safetensors", error.Message);
        Assert.Contains("'steps' has dtype I64", error.Message);
    }

    [Fact]
    public void UnknownFieldsAreIgnoredAndNullMetadataIsEmpty()
    {
        var file = Safetensors.Parse(Build(
            """{"__metadata__":null,"w":{"extra":{"nested":[1,2]},"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(4f)));
        Assert.Empty(file.Metadata);
        Assert.Equal(4f, file.ReadTensor("w").Item());
    }

    [Fact]
    public void AnEmptyFileOfNoTensorsIsValid()
    {
        var file = Safetensors.Parse(Build("{}      "));
        Assert.Empty(file.Entries);
    }

    [Fact]
    public void CopyToChecksTheDestinationLengthAndTheEntrysFile()
    {
        byte[] bytes = Build("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", Floats(1f, 2f));
        var file = Safetensors.Parse(bytes);
        var other = Safetensors.Parse(bytes);
        float[] destination = new float[2];
        file.CopyTo(file["w"], destination);
        Assert.Equal([1f, 2f], destination);
        Assert.Throws<ArgumentException>(() => file.CopyTo(file["w"], new float[3]));
        Assert.Throws<ArgumentException>(() => file.CopyTo(other["w"], destination));
    }

    [Fact]
    public void TheHeaderLengthPrefixIsLittleEndian()
    {
        byte[] bytes = Build("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(1f));
        Assert.Equal((ulong)(bytes.Length - 12), BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(1f, Safetensors.Parse(bytes).ReadTensor("w").Item());
    }
}
