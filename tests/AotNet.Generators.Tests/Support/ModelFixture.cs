using System.Text.Json;

namespace AotNet.Generators.Tests.Support;

/// <summary>
/// A whole model's PyTorch fixture (tests/AotNet.Tests/Fixtures/Models, written by
/// tests/fixtures/make_fixtures.py): its parameters by state_dict name, inputs, loss and gradients.
/// </summary>
public sealed class ModelFixture : IDisposable
{
    readonly JsonDocument _document;

    ModelFixture(JsonDocument document) => _document = document;

    public JsonElement Root => _document.RootElement;

    public static ModelFixture Load(string name) =>
        new(JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "tests", "AotNet.Tests", "Fixtures", "Models", name + ".json"))));

    /// <summary>A tensor written as <c>{"shape": […], "data": […]}</c>.</summary>
    public static Tensor Tensor(JsonElement element) =>
        new(element.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray(), element.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());

    /// <summary>Labels written as a list, or as <c>{"shape": […], "data": […]}</c> for more than one axis.</summary>
    public static Labels Labels(JsonElement element) => element.ValueKind == JsonValueKind.Array
        ? new Labels(element.EnumerateArray().Select(v => v.GetInt32()).ToArray())
        : new Labels(element.GetProperty("data").EnumerateArray().Select(v => v.GetInt32()).ToArray(), element.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());

    public Tensor Tensor(string property) => Tensor(Root.GetProperty(property));

    public Labels Labels(string property) => Labels(Root.GetProperty(property));

    /// <summary>Copies PyTorch's parameters into <paramref name="model"/>; with <paramref name="sameNames"/>, its names must be PyTorch's, in order.</summary>
    public void LoadParameters(Module model, bool sameNames = true)
    {
        if (sameNames)
        {
            Assert.Equal(Root.GetProperty("params").EnumerateObject().Select(p => p.Name), model.NamedParameters().Select(p => p.Key));
        }
        var parameters = model.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        foreach (var p in Root.GetProperty("params").EnumerateObject())
        {
            parameters[p.Name].Value.CopyFrom(Tensor(p.Value));
        }
    }

    /// <summary>The loss within 1e-5 and every gradient within 1e-4 of PyTorch's, relative as |a − e| / (1 + |e|).</summary>
    public void AssertMatches(float loss, IReadOnlyDictionary<string, Tensor> gradients)
    {
        double expected = Root.GetProperty("loss").GetDouble();
        Assert.True(Math.Abs(loss - expected) / (1 + Math.Abs(expected)) <= 1e-5, $"loss {loss} vs PyTorch {expected}");
        foreach (var g in Root.GetProperty("grads").EnumerateObject())
        {
            var want = Tensor(g.Value);
            var got = gradients[g.Name];
            Assert.Equal(want.Shape.ToArray(), got.Shape.ToArray());
            for (int i = 0; i < want.Length; i++)
            {
                Assert.True(Math.Abs(got[i] - want[i]) / (1 + Math.Abs(want[i])) <= 1e-4, $"d/d{g.Name}[{i}]: {got[i]} vs PyTorch {want[i]}");
            }
        }
    }

    /// <summary>The gradients of <paramref name="model"/>'s parameters by name.</summary>
    public static Dictionary<string, Tensor> Gradients(Module model) => model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Grad);

    public void Dispose() => _document.Dispose();
}
