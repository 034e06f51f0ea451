using System.Text;
using static AotNet.Tests.IO.SafetensorsBytes;

namespace AotNet.Tests.IO;

/// <summary>Each kind of malformed file is refused with a message naming the file and the fault.</summary>
public class SafetensorsValidationTests
{
    const string Source = "bad.safetensors";

    static string Refusal(byte[] bytes)
    {
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Parse(bytes, Source));
        Assert.StartsWith(Source + " ", error.Message);
        return error.Message;
    }

    static string Refusal(string header, params byte[] data) => Refusal(Build(header, data));

    const string W = """{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""";

    public static TheoryData<string, string, byte[], string> Faults => new()
    {
        { "not an object", "[1, 2]", [], "not a JSON object" },
        { "invalid JSON", """{"w":{"dtype":"F32",}}""", [], "not valid JSON" },
        { "JSON cut short", """{"w":""", [], "not valid JSON" },
        { "text after the object", """{} x""", [], "not valid JSON" },
        { "tensor not an object", """{"w":[1]}""", [], "other than a JSON object" },
        { "no dtype", """{"w":{"shape":[2],"data_offsets":[0,8]}}""", Floats(1, 2), "no dtype" },
        { "no shape", """{"w":{"dtype":"F32","data_offsets":[0,8]}}""", Floats(1, 2), "no shape" },
        { "no offsets", """{"w":{"dtype":"F32","shape":[2]}}""", Floats(1, 2), "no data_offsets" },
        { "dtype not a string", """{"w":{"dtype":4,"shape":[2],"data_offsets":[0,8]}}""", Floats(1, 2), "non-string dtype" },
        { "unknown dtype", """{"w":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}""", Floats(1, 2), "dtype 'F33'" },
        { "negative dimension", """{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", Floats(1, 2), "shape entry" },
        { "fractional dimension", """{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", Floats(1, 2), "shape entry" },
        { "three offsets", """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}""", Floats(1, 2), "3 data_offsets" },
        { "offsets reversed", """{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}""", Floats(1, 2), "end before they begin" },
        { "size disagrees with shape", """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", Floats(1, 2), "shape [3] of F32 (12 bytes) but data_offsets [0, 8] (8 bytes)" },
        { "shape overflows", """{"w":{"dtype":"F32","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}""", Floats(1, 2), "more elements than any file" },
        { "data past the end", """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", Floats(1, 2), "truncated: tensor 'w' ends at data byte 12" },
        { "I64 size disagrees with shape", """{"w":{"dtype":"I64","shape":[2],"data_offsets":[0,8]}}""", Floats(1, 2), "shape [2] of I64 (16 bytes) but data_offsets [0, 8] (8 bytes)" },
        { "BOOL shape overflows", """{"w":{"dtype":"BOOL","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}""", Floats(1, 2), "more elements than any file" },
        { "offsets at the top of the range", """{"w":{"dtype":"U8","shape":[7],"data_offsets":[9223372036854775800,9223372036854775807]}}""", Floats(1, 2), "truncated: tensor 'w' ends at data byte 9223372036854775807" },
        { "overlap", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", Floats(1, 2), "overlapping" },
        { "hole", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", Floats(1, 2, 3), "data bytes 4 to 8 that belong to no tensor" },
        { "trailing data", "{\"w\":" + W + "}", Floats(1, 2, 3), "4 bytes after its last tensor" },
        { "repeated tensor", "{\"w\":" + W + ",\"w\":" + W + "}", Floats(1, 2), "names 'w' twice" },
        { "repeated field", """{"w":{"dtype":"F32","shape":[2],"shape":[2],"data_offsets":[0,8]}}""", Floats(1, 2), "two shapes" },
        { "repeated metadata key", """{"__metadata__":{"k":"a","k":"b"}}""", [], "names 'k' twice" },
        { "metadata not strings", """{"__metadata__":{"k":1}}""", [], "'k' whose value is not a string" },
        { "metadata not an object", """{"__metadata__":[]}""", [], "not an object of strings" },
        { "deep nesting", """{"w":{"x":[[[[[[[[[[[[1]]]]]]]]]]]]}}""", [], "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void MalformedHeadersAreRefused(string fault, string header, byte[] data, string expected)
    {
        string message = Refusal(header, data);
        Assert.True(message.Contains(expected, StringComparison.Ordinal), $"{fault}: {message}");
    }

    [Fact]
    public void FewerThanEightBytesIsTruncated() => Assert.Contains("is truncated: it has 5 bytes", Refusal(new byte[5]));

    [Fact]
    public void AHugeHeaderLengthIsRefusedWithoutAllocating() =>
        Assert.Contains("more than the 100000000", Refusal([.. BitConverter.GetBytes(ulong.MaxValue), .. "{}"u8]));

    [Fact]
    public void AHeaderLongerThanTheFileIsTruncated() =>
        Assert.Contains("header should be 100 bytes, but only 2 follow", Refusal([.. BitConverter.GetBytes(100UL), .. "{}"u8]));

    [Fact]
    public void InvalidUtf8IsRefused() =>
        Assert.Contains("not valid UTF-8", Refusal(Build([(byte)'{', 0xC3, 0x28, (byte)'}'], [])));

    [Fact]
    public void ZeroPaddingIsNotWhitespace() =>
        Assert.Contains("not valid JSON", Refusal(Build([.. Encoding.UTF8.GetBytes("{}"), 0, 0], [])));
}
