using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Execution;

/// <summary>
/// Reshapes inside a model: a view with a size taken from the input (<c>x.View(x.Dim(0), -1)</c>)
/// moves no data in the generated code, and gradients flow back through views and transposes.
/// </summary>
public class ShapeOpTests
{
    const string Source = """
        public sealed partial class Model : Module
        {
            internal readonly Linear fc = new(6, 4, rng: new Rng(5));
            [Shape(3, 5)] internal Parameter Mix { get; } = new(new Tensor(Enumerable.Range(0, 15).Select(i => 0.1f * (i % 4) - 0.15f).ToArray(), 3, 5));

            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 2, 3)] Tensor x, [Shape("N")] Labels y)
            {
                var flat = Relu(x).View(x.Dim(0), -1);
                var mixed = MatMul(x.Flatten(0, 1).Transpose(0, 1).Transpose(1, 0), Mix).Reshape(x.Dim(0), 10);
                return CrossEntropy(fc.Forward(flat), y) + Mean(Tanh(mixed).Permute(1, 0).Unsqueeze(0).Squeeze(0));
            }
        }
        """;

    [Theory]
    [InlineData(3)]
    [InlineData(32)]
    public void GradientsFlowThroughViewsAndPermutes(int n)
    {
        var assembly = InMemoryModels.Build("using System.Linq;\n" + Source);
        Module model = InMemoryModels.New(assembly, "Model");
        var x = new Tensor(Enumerable.Range(0, n * 6).Select(i => 0.23f * ((i * 5) % 9) - 0.9f).ToArray(), n, 2, 3);
        var y = new Labels(Enumerable.Range(0, n).Select(i => i % 4).ToArray());
        var dx = new Tensor(n, 2, 3);
        dx.Span.Fill(float.NaN);

        float loss = (float)InMemoryModels.Call(model, "LossStep", x, y, dx)!;
        float eager = ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0];
        Assert.Equal(eager, loss, 5);

        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).Append(new GradTarget("x", x, dx)).ToList();
        var analytic = targets.Select(t => t.Grad.Span.ToArray()).ToList();
        var samples = GradCheck.Run(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], targets, analytic, eps: 1e-2f, allowKinks: true);
        Assert.All(samples, s => Assert.True(s.Kink || s.Error <= s.Tolerance, $"{s.Target}[{s.Index}]: step {s.Analytic}, finite difference {s.Numeric}"));
        Assert.DoesNotContain(dx.Span.ToArray(), float.IsNaN);
    }

    [Fact]
    public void AViewMovesNoDataInTheGeneratedCode()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + "using System.Linq;\n" + Source);
        Assert.Empty(run.GeneratorDiagnostics);
        string code = run.Files["Model.Loss.g.cs"];
        Assert.Contains("flat = ", code, StringComparison.Ordinal);
        Assert.Contains("a view: no data moves", code, StringComparison.Ordinal);
        // Two transposes that undo each other and an unsqueeze-squeeze pair leave one permute per direction.
        Assert.Contains("Permute.Apply(", code, StringComparison.Ordinal);
    }
}

/// <summary>A Linear layer on a sequence: every leading axis is a batch axis, as in PyTorch.</summary>
public class SequenceLinearTests
{
    [Fact]
    public void ALayerAppliesToEveryPositionAndTrains()
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Model : Module
            {
                internal readonly Linear proj = new(3, 4, rng: new Rng(9));

                [Differentiable]
                public Tensor Forward([Shape("N", "T", 3)] Tensor x) => Tanh(proj.Forward(x));

                [Differentiable]
                public Tensor Loss([RequiresGrad, Shape("N", "T", 3)] Tensor x) => Mean(Forward(x));
            }
            """);
        Module model = InMemoryModels.New(assembly, "Model");
        var x = new Tensor(Enumerable.Range(0, 2 * 5 * 3).Select(i => 0.17f * ((i * 7) % 13) - 1f).ToArray(), 2, 5, 3);
        var logits = (Tensor)InMemoryModels.Call(model, "ForwardCompiled", x)!;
        Assert.Equal([2, 5, 4], logits.Shape.ToArray());
        var eager = (Tensor)InMemoryModels.Call(model, "Forward", x)!;
        Assert.All(Enumerable.Range(0, eager.Length), i => Assert.Equal(eager[i], logits[i], 5));

        var dx = new Tensor(2, 5, 3);
        InMemoryModels.Call(model, "LossStep", x, dx);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).Append(new GradTarget("x", x, dx)).ToList();
        var samples = GradCheck.Run(() => ((Tensor)InMemoryModels.Call(model, "Loss", x)!)[0], targets, targets.Select(t => t.Grad.Span.ToArray()).ToList(), eps: 1e-2f);
        Assert.All(samples, s => Assert.True(s.Error <= s.Tolerance, $"{s.Target}[{s.Index}]: step {s.Analytic}, finite difference {s.Numeric}"));
    }
}

/// <summary>Scaled dot-product attention, as a transformer writes it: batched products, a transpose and a softmax over the last axis.</summary>
public class AttentionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void AttentionTrainsThroughBatchedProducts(int n)
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Attention : Module
            {
                internal readonly Linear query = new(4, 4, rng: new Rng(1));
                internal readonly Linear key = new(4, 4, rng: new Rng(2));
                internal readonly Linear value = new(4, 4, rng: new Rng(3));
                const float Scale = 0.5f;

                [Differentiable]
                public Tensor Forward([Shape("N", "T", 4)] Tensor x)
                {
                    var scores = MatMul(query.Forward(x), key.Forward(x).Transpose(1, 2)) * Scale;
                    return MatMul(Softmax(scores, -1), value.Forward(x));
                }

                [Differentiable]
                public Tensor Loss([RequiresGrad, Shape("N", "T", 4)] Tensor x, [Shape("N", "T", 4)] Tensor target) => MseLoss(Forward(x), target);
            }
            """);
        Module model = InMemoryModels.New(assembly, "Attention");
        var x = new Tensor(Enumerable.Range(0, n * 3 * 4).Select(i => 0.19f * ((i * 5) % 11) - 1f).ToArray(), n, 3, 4);
        var target = new Tensor(Enumerable.Range(0, n * 3 * 4).Select(i => 0.1f * (i % 7)).ToArray(), n, 3, 4);
        var compiled = (Tensor)InMemoryModels.Call(model, "ForwardCompiled", x)!;
        var eager = (Tensor)InMemoryModels.Call(model, "Forward", x)!;
        Assert.Equal([n, 3, 4], compiled.Shape.ToArray());
        Assert.All(Enumerable.Range(0, eager.Length), i => Assert.Equal(eager[i], compiled[i], 5));

        var dx = new Tensor(n, 3, 4);
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, target, dx)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, target)!)[0], loss, 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).Append(new GradTarget("x", x, dx)).ToList();
        var samples = GradCheck.Run(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, target)!)[0], targets, targets.Select(t => t.Grad.Span.ToArray()).ToList(), eps: 1e-2f);
        Assert.All(samples, s => Assert.True(s.Error <= s.Tolerance, $"{s.Target}[{s.Index}]: step {s.Analytic}, finite difference {s.Numeric}"));
    }
}

/// <summary>Joining a list of tensors and slicing one back out, inside a trained model.</summary>
public class JoinTests
{
    [Fact]
    public void ConcatOfAListAndNarrowTrain()
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Model : Module
            {
                [Shape(2, 3)] internal Parameter Extra { get; } = new(new Tensor([0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f], 2, 3));

                [Differentiable]
                public Tensor Loss([RequiresGrad, Shape(2, "T")] Tensor x)
                {
                    var joined = Concat([Tanh(x), Extra, x * 2f], 1);
                    var middle = joined.Narrow(1, 1, x.Dim(1) + 1);
                    return Sum(Stack([middle, Sigmoid(middle)], 0) * middle);
                }
            }
            """);
        Module model = InMemoryModels.New(assembly, "Model");
        var x = new Tensor([0.3f, -0.7f, 0.2f, 0.9f, -0.1f, 0.5f, 0.4f, -0.3f], 2, 4);
        var dx = new Tensor(2, 4);
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, dx)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x)!)[0], loss, 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).Append(new GradTarget("x", x, dx)).ToList();
        var samples = GradCheck.Run(() => ((Tensor)InMemoryModels.Call(model, "Loss", x)!)[0], targets, targets.Select(t => t.Grad.Span.ToArray()).ToList(), eps: 1e-2f);
        Assert.All(samples, s => Assert.True(s.Error <= s.Tolerance, $"{s.Target}[{s.Index}]: step {s.Analytic}, finite difference {s.Numeric}"));
        // Extra fills columns 4 to 6 of the join; the narrow keeps columns 1 to 5, so Extra's last column gets exactly 0.
        var extra = model.NamedParameters().Single().Value.Grad;
        Assert.Equal((0f, 0f), (extra[2], extra[5]));
        Assert.NotEqual(0f, extra[0]);
    }
}
