using System.Text.Json;

namespace AotNet.Tests.Support;

/// <summary>Finds and parses the JSON files written by tests/fixtures/make_fixtures.py.</summary>
static class FixtureFiles
{
    static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static T Load<T>(string relative)
    {
        string path = PathOf(relative);
        return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
            ?? throw new InvalidDataException($"{path} holds no fixture.");
    }
}

/// <summary>A tensor as a fixture stores it: shape plus row-major data.</summary>
sealed record TensorData(int[] Shape, float[] Data)
{
    public Tensor ToTensor() => Tensor.FromArray(Data, Shape);
}
