using System.Text.Json;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Checkpoints;

/// <summary>
/// The files tests/fixtures/export_torch_mlp.py writes: W1 trained for one epoch in PyTorch, as
/// safetensors, plus eight test images, PyTorch's logits for them and a few parameter values.
/// </summary>
sealed class TorchMlpFixture
{
    public static readonly string Directory = Path.Combine(RepoPaths.RepoRoot, "tests", "AotNet.Tests", "Fixtures", "Checkpoints");

    public static string SafetensorsPath => Path.Combine(Directory, "mlp_w1.safetensors");

    public required Tensor Images { get; init; }

    public required Tensor Logits { get; init; }

    public required int[] Labels { get; init; }

    public required (string Name, int FlatIndex, float Value)[] Probes { get; init; }

    public static TorchMlpFixture Load()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "mlp_w1.json")));
        var root = json.RootElement;
        return new TorchMlpFixture
        {
            Images = ReadTensor(root.GetProperty("images")),
            Logits = ReadTensor(root.GetProperty("logits")),
            Labels = root.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Probes = root.GetProperty("probes").EnumerateObject().Select(p => ReadProbe(p.Value)).ToArray(),
        };
    }

    static Tensor ReadTensor(JsonElement element) => Tensor.FromArray(
        element.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
        element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());

    /// <summary>A probe's index is into the parameter's PyTorch shape; row-major flattening makes it AotNet's flat index.</summary>
    static (string, int, float) ReadProbe(JsonElement probe)
    {
        int[] index = probe.GetProperty("index").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        string name = probe.GetProperty("name").GetString()!;
        int[] shape = name switch
        {
            "fc1.weight" => [256, 784],
            "fc2.weight" => [128, 256],
            "fc3.weight" => [10, 128],
            _ => [int.MaxValue],
        };
        int flat = 0;
        for (int d = 0; d < index.Length; d++)
        {
            flat = flat * shape[d] + index[d];
        }
        return (name, flat, probe.GetProperty("value").GetSingle());
    }
}
