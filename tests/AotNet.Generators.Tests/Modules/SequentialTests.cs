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

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

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
