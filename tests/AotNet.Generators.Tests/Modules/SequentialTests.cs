using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>
/// Sequential and the activation layers against PyTorch's nn.Sequential (tests/fixtures/make_fixtures.py,
/// sequential_fixture): PyTorch's names, loss and gradients, and the ReLU after a Linear still fused
/// into its GEMM, though both are separate layers of a chain.
/// </summary>
public class SequentialTests
{
    const string Source = """
        public sealed partial class Net : Module
        {
            readonly Sequential net = new(
                new Linear(6, 8), new Relu(), new LayerNorm(8),
                new Linear(8, 8), new Gelu("tanh"), new Linear(8, 8), new Silu(), new Linear(8, 8), new Gelu(),
                new Linear(8, 8), new Tanh(), new Linear(8, 8), new LeakyRelu(0.2f), new Sigmoid(), new Linear(8, 3));

            [Differentiable]
            public Tensor Loss([Shape("N", 6)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(net.Forward(x), y);
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source + """

        public sealed partial class Images : Module
        {
            readonly Sequential net = new(new Flatten(), new Identity(), new Linear(12, 5), new Relu(), new Linear(5, 3));

            [Differentiable]
            public Tensor Loss([Shape("N", 3, 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(net.Forward(x), y);
        }
        """));

    [Fact]
    public void LossGradientsAndNamesMatchPyTorch()
    {
        using var fixture = ModelFixture.Load("Sequential");
        Module model = InMemoryModels.New(Built.Value, "Net");
        fixture.LoadParameters(model);
        var x = fixture.Tensor("x");
        var y = fixture.Labels("y");
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        fixture.AssertMatches(loss, ModelFixture.Gradients(model));
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], loss, 5);
    }

    [Fact]
    public void FlattenAndIdentityLayersTrainAsTheEagerChain()
    {
        Module model = InMemoryModels.New(Built.Value, "Images");
        var x = new Tensor(Enumerable.Range(0, 2 * 12).Select(i => 0.17f * ((i * 5) % 9) - 0.6f).ToArray(), 2, 3, 4);
        var y = new Labels([2, 0]);
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], loss, 5);
        Assert.Equal(["net.2.weight", "net.2.bias", "net.4.weight", "net.4.bias"], model.NamedParameters().Select(p => p.Key));
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], () => InMemoryModels.Call(model, "LossStep", x, y), targets, allowKinks: true);
    }

    [Fact]
    public void TheReluLayerRunsInTheLinearLayersEpilogue()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + Source);
        Assert.Empty(run.GeneratorDiagnostics);
        string code = run.Files["Net.Loss.g.cs"];
        Assert.Contains("relu(x · net.0.weightᵀ + net.0.bias)", code, StringComparison.Ordinal);
        Assert.Contains("fused epilogue", code, StringComparison.Ordinal);
    }

    [Fact]
    public void ALayerReachedThroughTheChainCanBeReadByIndex()
    {
        Module model = InMemoryModels.New(Built.Value, "Net");
        var chain = (Sequential)model.GetType().GetField("net", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(model)!;
        Assert.Equal(15, chain.Count);
        Assert.IsType<LayerNorm>(chain[2]);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], chain.NamedParameters().Take(4).Select(p => p.Key));
    }
}
