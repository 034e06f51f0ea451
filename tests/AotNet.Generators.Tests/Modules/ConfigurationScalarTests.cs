using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>A float computed from a module's configuration (an attention scale) is a constant of the graph.</summary>
public class ConfigurationScalarTests
{
    [Fact]
    public void AScaleComputedFromConfigurationIsAConstant()
    {
        const string source = """
            public sealed partial class Scaled : Module
            {
                public Scaled(int dim, int heads) { Dim = dim; Heads = heads; }

                public int Dim { get; }
                public int Heads { get; }

                [Differentiable]
                public Tensor Forward(Tensor x) => x * (1f / MathF.Sqrt(Dim / Heads)) + MathF.Max(Dim, 3f);
            }

            public sealed partial class Model : Module
            {
                readonly Scaled scaled = new(8, heads: 2);

                [Differentiable]
                public Tensor Forward([Shape("N", 3)] Tensor x) => scaled.Forward(x);
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("0.5f", run.Files["Model.Forward.g.cs"], StringComparison.Ordinal);
        Module model = InMemoryModels.New(InMemoryModels.Build(source), "Model");
        var x = new Tensor([1f, -2f, 3f, 0.5f, 0f, -1f], 2, 3);
        var compiled = (Tensor)InMemoryModels.Call(model, "ForwardCompiled", x)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Forward", x)!).Span.ToArray(), compiled.Span.ToArray());
        Assert.Equal(8.5f, compiled[0]);
    }
}
