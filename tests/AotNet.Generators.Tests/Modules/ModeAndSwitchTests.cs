using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>
/// Branches on the training flag compile into two variants that the generated member chooses
/// between when called; switches on configuration compile only the matching section.
/// </summary>
public class ModeAndSwitchTests
{
    const string Source = """
        public enum Squash { Tanh, Sigmoid, None }

        public sealed partial class Noisy : Module
        {
            internal readonly Linear fc = new(4, 4, rng: new Rng(11));

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                var h = fc.Forward(x);
                // Stands in for dropout: extra work only while training.
                return Training ? h + 0.25f * Tanh(h) : h;
            }
        }

        public sealed partial class Model : Module
        {
            internal readonly Noisy noisy = new();
            readonly Linear head;
            readonly Squash squash;

            public Model(Squash squash)
            {
                this.squash = squash;
                head = new Linear(4, 3, rng: new Rng(12));
            }

            public Model() : this(Squash.Sigmoid)
            {
            }

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
            {
                var h = noisy.Forward(x);
                if (Training)
                {
                    h = h * 0.5f;
                }
                return CrossEntropy(head.Forward(h), y);
            }
        }

        public sealed partial class Configured : Module
        {
            readonly Linear fc = new(4, 3, rng: new Rng(13));
            readonly Squash first = Squash.Tanh;
            readonly Squash second;

            public Configured()
            {
                second = Squash.None;
            }

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
            {
                var h = fc.Forward(x);
                switch (first)
                {
                    case Squash.Tanh:
                        h = Tanh(h);
                        break;
                    case Squash.Sigmoid:
                        h = Sigmoid(h);
                        break;
                }
                h = second switch
                {
                    Squash.Tanh => Tanh(h),
                    Squash.Sigmoid => Sigmoid(h),
                    _ => h,
                };
                return CrossEntropy(h, y);
            }
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    static (Tensor X, Labels Y) Batch(int n) =>
        (new Tensor(Enumerable.Range(0, n * 4).Select(i => 0.29f * ((i * 5) % 11) - 1.3f).ToArray(), n, 4),
         new Labels(Enumerable.Range(0, n).Select(i => i % 3).ToArray()));

    static void AgreesWithEager(Module model, Tensor x, Labels y)
    {
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], loss, 5);
        Assert.Equal(loss, ((Tensor)InMemoryModels.Call(model, "LossCompiled", x, y)!)[0], 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], () => InMemoryModels.Call(model, "LossStep", x, y), targets);
    }

    [Fact]
    public void TheTrainingFlagChoosesTheVariantCompiledForThatMode()
    {
        Module model = InMemoryModels.New(Built.Value, "Model");
        var (x, y) = Batch(5);
        AgreesWithEager(model, x, y);
        float training = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        model.Eval();
        AgreesWithEager(model, x, y);
        float evaluation = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        Assert.NotEqual(training, evaluation);
        model.Train();
        Assert.Equal(training, (float)InMemoryModels.Call(model, "LossStep", x, y)!);
    }

    [Fact]
    public void ASubmoduleInAnotherModeThanTheModelIsRefused()
    {
        Module model = InMemoryModels.New(Built.Value, "Model");
        var (x, y) = Batch(3);
        ((Module)model.GetType().GetField("noisy", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(model)!).Eval();
        var error = Assert.Throws<InvalidOperationException>(() => InMemoryModels.Call(model, "LossStep", x, y));
        Assert.Contains("'noisy' is in evaluation mode but the model is in training mode", error.Message);
    }

    [Fact]
    public void SwitchesOnConfigurationCompileTheMatchingSection()
    {
        Module model = InMemoryModels.New(Built.Value, "Configured");
        var (x, y) = Batch(4);
        AgreesWithEager(model, x, y);
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + Source);
        string code = run.Files.Single(f => f.Key.EndsWith("Configured.Loss.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("tanh(", code, StringComparison.Ordinal);
        Assert.DoesNotContain("σ(", code, StringComparison.Ordinal);
    }
}

/// <summary>A bool the constructor receives at run time makes the generated code branch, one compiled variant per value.</summary>
public class RuntimeBranchTests
{
    const string Source = """
        public sealed partial class Model : Module
        {
            readonly Linear fc = new(4, 4, rng: new Rng(21));
            readonly Linear head = new(4, 3, rng: new Rng(22));
            readonly bool residual;

            public Model(bool residual) => this.residual = residual;

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
            {
                var h = Tanh(fc.Forward(x));
                if (residual)
                {
                    h = h + x;
                }
                if (Training)
                {
                    h = h * 0.8f;
                }
                return CrossEntropy(head.Forward(h), y);
            }
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void EachCombinationAgreesWithTheEagerMethod(bool residual, bool training)
    {
        var model = (Module)Activator.CreateInstance(Built.Value.GetType("Model")!, new object[] { residual })!;
        model.Train(training);
        var x = new Tensor(Enumerable.Range(0, 20).Select(i => 0.21f * ((i * 3) % 7) - 0.6f).ToArray(), 5, 4);
        var y = new Labels(Enumerable.Range(0, 5).Select(i => i % 3).ToArray());
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], loss, 5);
        Assert.Equal(loss, ((Tensor)InMemoryModels.Call(model, "LossCompiled", x, y)!)[0], 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], () => InMemoryModels.Call(model, "LossStep", x, y), targets);
    }

    [Fact]
    public void TheGeneratedMemberBranchesOnTheValues()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + Source);
        string code = run.Files.Single(f => f.Key.EndsWith("Model.Loss.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("private float LossStepWithResidualInTraining(", code, StringComparison.Ordinal);
        Assert.Contains("private float LossStepWithoutResidualInEvaluation(", code, StringComparison.Ordinal);
        Assert.Contains("if (this.residual && this.Training)", code, StringComparison.Ordinal);
        Assert.Empty(run.CompilationProblems);
    }
}

/// <summary>Configuration that code can change after the constructor is never taken as known at build time.</summary>
public class ChangeableConfigurationTests
{
    const string Source = """
        public sealed partial class Model : Module
        {
            readonly Linear fc = new(3, 3, rng: new Rng(31));
            public bool Squashed { get; init; } = true;

            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Squashed ? Tanh(fc.Forward(x)) : fc.Forward(x), y);
        }

        public static class Make
        {
            public static Model Plain() => new() { Squashed = false };
        }
        """;

    [Fact]
    public void AnInitOnlyPropertySetByAnObjectInitializerIsReadWhenTheCodeRuns()
    {
        var assembly = InMemoryModels.Build(Source);
        var plain = (Module)assembly.GetType("Make")!.GetMethod("Plain")!.Invoke(null, null)!;
        Module squashed = InMemoryModels.New(assembly, "Model");
        var x = new Tensor([0.5f, -1.5f, 2f, 1f, 0.25f, -0.75f], 2, 3);
        var y = new Labels([2, 0]);
        foreach (var model in new[] { plain, squashed })
        {
            float loss = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
            Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], loss, 5);
        }
        Assert.NotEqual((float)InMemoryModels.Call(plain, "LossStep", x, y)!, (float)InMemoryModels.Call(squashed, "LossStep", x, y)!);
    }
}

/// <summary>A member the graph was compiled without, because its construction leaves it null, is refused if code assigns it later.</summary>
public class AbsentMemberTests
{
    const string Source = """
        public sealed partial class Model : Module
        {
            internal Linear fc = new(3, 3, bias: false, rng: new Rng(41));
            internal Linear? gate = null;

            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N")] Labels y)
            {
                var h = fc.Forward(x);
                if (gate is not null)
                {
                    h = h * Sigmoid(gate.Forward(x));
                }
                return CrossEntropy(h, y);
            }
        }
        """;

    [Fact]
    public void AssigningWhatTheCompiledCodeLeftOutIsRefusedNamingIt()
    {
        var assembly = InMemoryModels.Build(Source);
        var x = new Tensor([0.5f, -1.5f, 2f, 1f, 0.25f, -0.75f], 2, 3);
        var y = new Labels([2, 0]);
        Module model = InMemoryModels.New(assembly, "Model");
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], (float)InMemoryModels.Call(model, "LossStep", x, y)!, 5);

        model.GetType().GetField("gate", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(model, new Linear(3, 3));
        var gated = Assert.Throws<InvalidOperationException>(() => InMemoryModels.Call(model, "LossStep", x, y));
        Assert.Contains("compiled for 'gate' being null", gated.Message);

        Module other = InMemoryModels.New(assembly, "Model");
        other.GetType().GetField("fc", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(other, new Linear(3, 3));
        var biased = Assert.Throws<InvalidOperationException>(() => InMemoryModels.Call(other, "LossCompiled", x, y));
        Assert.Contains("'fc.bias'", biased.Message);
    }

    [Fact]
    public void ReplacingALayerByOneWithoutAParameterTheCodeReadsIsRefusedNamingIt()
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Biased : Module
            {
                internal Linear fc = new(3, 3, rng: new Rng(42));

                [Differentiable]
                public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(fc.Forward(x), y);
            }
            """);
        Module model = InMemoryModels.New(assembly, "Biased");
        model.GetType().GetField("fc", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(model, new Linear(3, 3, bias: false));
        var x = new Tensor([0.5f, -1.5f, 2f, 1f, 0.25f, -0.75f], 2, 3);
        var error = Assert.Throws<InvalidOperationException>(() => InMemoryModels.Call(model, "LossStep", x, new Labels([2, 0])));
        Assert.Contains("Parameter fc.bias is null", error.Message);
    }
}
