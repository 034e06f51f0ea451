using System.Reflection;
using System.Text.Json;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>
/// The runtime's Embedding and LayerNorm layers, ordinary [Differentiable] modules that reach a
/// model through their descriptions, against PyTorch's nn.Embedding and nn.LayerNorm
/// (tests/fixtures/make_fixtures.py, embedding_norm_fixture).
/// </summary>
public class RuntimeLayerTests
{
    const string Source = """
        public sealed partial class Tagger : Module
        {
            readonly Embedding emb = new(7, 6, paddingIndex: 0);
            readonly LayerNorm norm = new(6);
            readonly LayerNorm plain = new(6, elementwiseAffine: false);
            readonly Linear head = new(6, 3);

            [Differentiable]
            public Tensor Loss([Shape("B", "T")] Labels tokens, [Shape("B")] Labels y)
            {
                var h = plain.Forward(Tanh(norm.Forward(emb.Forward(tokens))) * 2f);
                return CrossEntropy(head.Forward(Mean(h, [1])), y);
            }
        }

        public sealed partial class Configured : Module
        {
            readonly Embedding emb;
            readonly LayerNorm norm;

            public Configured(int vocabulary, int width, float eps)
            {
                emb = new Embedding(vocabulary, width, paddingIndex: -1);
                norm = new LayerNorm(width, eps);
            }

            [Differentiable]
            public Tensor Loss([Shape("N")] Labels tokens, [Shape("N", "D")] Tensor w) => Sum(norm.Forward(emb.Forward(tokens)) * w);
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    static Tensor Read(JsonElement element) =>
        new(element.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray(), element.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());

    [Fact]
    public void EmbeddingAndLayerNormMatchPyTorch()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "tests", "AotNet.Tests", "Fixtures", "Models", "EmbeddingNorm.json")));
        var root = fixture.RootElement;
        Module model = InMemoryModels.New(Built.Value, "Tagger");
        Assert.Equal(root.GetProperty("params").EnumerateObject().Select(p => p.Name), model.NamedParameters().Select(p => p.Key));
        var parameters = model.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        foreach (var p in root.GetProperty("params").EnumerateObject())
        {
            parameters[p.Name].Value.CopyFrom(Read(p.Value));
        }
        var tokensJson = root.GetProperty("tokens");
        var tokens = new Labels(tokensJson.GetProperty("data").EnumerateArray().Select(v => v.GetInt32()).ToArray(), tokensJson.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
        var y = new Labels(root.GetProperty("y").EnumerateArray().Select(v => v.GetInt32()).ToArray());

        float loss = (float)InMemoryModels.Call(model, "LossStep", tokens, y)!;
        double expected = root.GetProperty("loss").GetDouble();
        Assert.True(Math.Abs(loss - expected) / (1 + Math.Abs(expected)) <= 1e-5, $"loss {loss} vs PyTorch {expected}");
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", tokens, y)!)[0], loss, 5);
        foreach (var g in root.GetProperty("grads").EnumerateObject())
        {
            var want = Read(g.Value);
            var got = parameters[g.Name].Grad;
            for (int i = 0; i < want.Length; i++)
            {
                Assert.True(Math.Abs(got[i] - want[i]) / (1 + Math.Abs(want[i])) <= 1e-4, $"d/d{g.Name}[{i}]: {got[i]} vs PyTorch {want[i]}");
            }
        }
        // The padding row starts at zero and gets no gradient, though tokens use it.
        Assert.All(parameters["emb.weight"].Grad.Span[..6].ToArray(), g => Assert.Equal(0f, g));
    }

    [Theory]
    [InlineData(5, 3, 1e-5f)]
    [InlineData(9, 4, 0.5f)]
    public void ConfigurationKnownOnlyAtRunTimeIsReadThen(int vocabulary, int width, float eps)
    {
        Module model = (Module)Activator.CreateInstance(Built.Value.GetType("Configured")!, vocabulary, width, eps)!;
        var tokens = new Labels([vocabulary - 1, 0, 2, vocabulary - 1, 1]);
        var w = new Tensor(Enumerable.Range(0, 5 * width).Select(i => 0.3f * ((i * 3) % 7) - 0.8f).ToArray(), 5, width);
        float loss = (float)InMemoryModels.Call(model, "LossStep", tokens, w)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", tokens, w)!)[0], loss, 4);
        var weight = model.NamedParameters().Single(p => p.Key == "emb.weight").Value;
        // paddingIndex -1 is the last row, as in PyTorch: zero to start, and no gradient.
        Assert.All(weight.Grad.Span[((vocabulary - 1) * width)..].ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(weight.Grad.Span[..width].ToArray(), g => g != 0);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.CheckExcept(() => ((Tensor)InMemoryModels.Call(model, "Loss", tokens, w)!)[0], () => InMemoryModels.Call(model, "LossStep", tokens, w), targets,
            (target, index) => target == "emb.weight" && index >= (vocabulary - 1) * width);
    }

    [Fact]
    public void AnIndexOutsideTheTableIsRefusedNamingTheInput()
    {
        Module model = (Module)Activator.CreateInstance(Built.Value.GetType("Configured")!, 4, 3, 1e-5f)!;
        var w = new Tensor(2, 3);
        var error = Assert.ThrowsAny<ArgumentException>(() => InMemoryModels.Call(model, "LossStep", new Labels([1, 4]), w));
        Assert.Contains("tokens", error.Message);
        Assert.ThrowsAny<ArgumentException>(() => InMemoryModels.Call(model, "Loss", new Labels([1, 4]), w));
    }
}
