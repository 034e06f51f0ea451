using static AotNet.Tests.IO.SafetensorsBytes;

namespace AotNet.Tests.IO;

/// <summary>
/// JSON can escape a lone UTF-16 surrogate (<c>"\ud800"</c>), which is valid JSON text but no
/// string .NET can hold; wherever it appears the header must be refused as malformed, naming the file.
/// </summary>
public class HeaderStringTests
{
    const string Source = "lone.safetensors";

    [Theory]
    [InlineData("""{"\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("""{"w":{"dtype":"\udc00","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("""{"w":{"\ud800":1,"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("""{"__metadata__":{"k":"\ud800"},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("""{"__metadata__":{"\udfff":"v"},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":"a\ud800b"}}""")]
    public void ALoneSurrogateIsAMalformedHeader(string header)
    {
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Parse(Build(header, Floats(1f)), Source));
        Assert.StartsWith(Source, error.Message);
        Assert.Contains("surrogate", error.Message);
    }

    [Fact]
    public void APairedSurrogateEscapeIsAnOrdinaryCharacter()
    {
        var file = Safetensors.Parse(Build("""{"\ud83d\ude00":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(2f)), Source);
        Assert.Equal("\U0001F600", file.Entries[0].Name);
    }
}
