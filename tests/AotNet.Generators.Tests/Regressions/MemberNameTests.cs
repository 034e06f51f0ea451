using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Regressions;

/// <summary>
/// Members may have any name C# allows: keywords written with @ (PyTorch models often call a
/// layer <c>out</c>), and names the generated code also wants for its own locals or that an
/// input already has. Each model must generate code that compiles and trains correctly.
/// </summary>
public class MemberNameTests
{
    [Fact]
    public void KeywordNamedMembersCompileAndKeepTheirPyTorchNames()
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Model : Module
            {
                internal readonly Linear @out = new(3, 2);
                [Shape(2)] internal Parameter @base { get; } = new(new Tensor([0.5f, -0.5f], 2));

                [Differentiable]
                public Tensor Loss([Shape("N", 3)] Tensor x) => Sum(Tanh(@out.Forward(x) + @base));
            }
            """);
        Module model = InMemoryModels.New(assembly, "Model");
        Assert.Equal(["out.weight", "out.bias", "base"], model.NamedParameters().Select(p => p.Key));
        AssertStepMatchesEager(model, new Tensor([0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f], 2, 3));
    }

    [Fact]
    public void MembersNamedLikeGeneratedLocalsOrInputsCompileAndTrain()
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Model : Module
            {
                [Shape(3)] internal Parameter i { get; } = new(new Tensor([0.1f, 0.2f, 0.3f], 3));
                [Shape(3)] internal Parameter workspace { get; } = new(new Tensor([1f, -1f, 0.5f], 3));
                [Shape(3)] internal Parameter result { get; } = new(new Tensor([0.2f, 0.2f, -0.2f], 3));
                [Shape(3)] internal Parameter x { get; } = new(new Tensor([0.3f, -0.1f, 0.7f], 3));
                [Shape(3)] internal Parameter xValues { get; } = new(new Tensor([0.4f, 0.4f, 0.4f], 3));
                [Shape(3)] internal Parameter slot0 { get; } = new(new Tensor([0.6f, 0.1f, 0.2f], 3));
                [Shape(3)] internal Parameter N { get; } = new(new Tensor([0.5f, 0.5f, 0.5f], 3));

                [Differentiable]
                public Tensor Loss([Shape("N", 3)] Tensor x) => Sum(Tanh(x * this.x + i) * workspace + Tanh(result) * xValues - Sigmoid(slot0) * N);
            }
            """);
        Module model = InMemoryModels.New(assembly, "Model");
        AssertStepMatchesEager(model, new Tensor([0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f], 2, 3));
    }

    /// <summary>The step's loss equals the eager loss, and every gradient matches central differences of the eager loss.</summary>
    static void AssertStepMatchesEager(Module model, Tensor x)
    {
        float eager = ((Tensor)InMemoryModels.Call(model, "Loss", x)!)[0];
        float step = (float)InMemoryModels.Call(model, "LossStep", x)!;
        Assert.Equal(eager, step, 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        var analytic = targets.Select(t => t.Grad.Span.ToArray()).ToList();
        var samples = GradCheck.Run(() => ((Tensor)InMemoryModels.Call(model, "Loss", x)!)[0], targets, analytic, eps: 1e-2f);
        Assert.All(samples, s => Assert.True(s.Error <= s.Tolerance, $"{s.Target}[{s.Index}]: step {s.Analytic}, finite difference {s.Numeric}"));
    }
}
