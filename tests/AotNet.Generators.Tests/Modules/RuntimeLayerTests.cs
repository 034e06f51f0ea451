using System.Reflection;
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

    [Fact]
    public void EmbeddingAndLayerNormMatchPyTorch()
    {
        using var fixture = ModelFixture.Load("EmbeddingNorm");
        Module model = InMemoryModels.New(Built.Value, "Tagger");
        fixture.LoadParameters(model);
        var tokens = fixture.Labels("tokens");
        var y = fixture.Labels("y");
        float loss = (float)InMemoryModels.Call(model, "LossStep", tokens, y)!;
        fixture.AssertMatches(loss, ModelFixture.Gradients(model));
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", tokens, y)!)[0], loss, 5);
        // The padding row starts at zero and gets no gradient, though tokens use it.
        Assert.All(ModelFixture.Gradients(model)["emb.weight"].Span[..6].ToArray(), g => Assert.Equal(0f, g));
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
