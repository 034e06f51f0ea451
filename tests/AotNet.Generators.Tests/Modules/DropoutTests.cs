using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>
/// Masks come from the global Rng.Default, so these tests run alone: another test building a
/// layer in parallel would draw from it between a reseed and the step.
/// </summary>
[CollectionDefinition(nameof(GlobalGeneratorCollection), DisableParallelization = true)]
public sealed class GlobalGeneratorCollection;

/// <summary>
/// The Dropout layer and F.Dropout: a training step drops the elements the eager method drops from
/// the same seed, its backward uses the forward's mask, and evaluation passes the input through.
/// </summary>
[Collection(nameof(GlobalGeneratorCollection))]
public class DropoutTests
{
    const string Source = """
        public sealed partial class Net : Module
        {
            readonly Linear fc1 = new(4, 16, rng: new Rng(1));
            readonly Dropout drop = new(0.3f);
            readonly Linear fc2 = new(16, 3, rng: new Rng(2));

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(fc2.Forward(drop.Forward(Relu(fc1.Forward(x)))), y);
        }

        public sealed partial class Block : Module
        {
            internal readonly Linear fc;
            internal readonly Dropout drop;

            public Block(int dim, float p, ulong seed)
            {
                fc = new Linear(dim, dim, rng: new Rng(seed));
                drop = new Dropout(p);
            }

            [Differentiable]
            public Tensor Forward(Tensor x) => x + drop.Forward(Tanh(fc.Forward(x)));
        }

        public sealed partial class Stack : Module
        {
            readonly ModuleList<Block> blocks = new(3, i => new Block(5, 0.2f, (ulong)(10 + i)));

            [Differentiable]
            public Tensor Loss([Shape("N", 5)] Tensor x, [Shape("N", 5)] Tensor w)
            {
                var h = x;
                foreach (var block in blocks)
                {
                    h = block.Forward(h);
                }
                return Sum(h * w);
            }
        }

        public sealed partial class Functional : Module
        {
            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 8)] Tensor x, [Shape("N", 8)] Tensor w) => Sum(Dropout(x * 2f, 0.5f) * w);
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    const ulong Seed = 1234;

    static Tensor Inputs(int n, int width) => new(Enumerable.Range(0, n * width).Select(i => 0.23f * ((i * 7) % 13) - 1.2f).ToArray(), n, width);

    static float Seeded(Func<float> run)
    {
        Rng.ManualSeed(Seed);
        return run();
    }

    [Fact]
    public void TheStepDropsWhatTheEagerMethodDropsAndItsGradientsAreTheMaskedOnes()
    {
        Module model = InMemoryModels.New(Built.Value, "Net");
        var x = Inputs(6, 4);
        var y = new Labels([0, 1, 2, 0, 1, 2]);
        float eager = Seeded(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0]);
        float step = Seeded(() => (float)InMemoryModels.Call(model, "LossStep", x, y)!);
        Assert.Equal(eager, step, 5);
        // Another seed drops other elements, so the loss moves.
        Rng.ManualSeed(Seed + 1);
        Assert.NotEqual(step, (float)InMemoryModels.Call(model, "LossStep", x, y)!);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        // The ReLU before the dropout has kinks a finite difference may straddle.
        GradCheck.Check(() => Seeded(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0]), () => Seeded(() => (float)InMemoryModels.Call(model, "LossStep", x, y)!), targets, allowKinks: true);
    }

    [Fact]
    public void EvaluationPassesTheInputThroughAndDrawsNothing()
    {
        Module model = InMemoryModels.New(Built.Value, "Net");
        var x = Inputs(5, 4);
        var y = new Labels([2, 1, 0, 1, 2]);
        model.Eval();
        Rng.ManualSeed(Seed);
        float compiled = ((Tensor)InMemoryModels.Call(model, "LossCompiled", x, y)!)[0];
        ulong next = Rng.Default.NextUInt64();
        Rng.ManualSeed(Seed);
        Assert.Equal(Rng.Default.NextUInt64(), next);
        float again = ((Tensor)InMemoryModels.Call(model, "LossCompiled", x, y)!)[0];
        Assert.Equal(compiled, again);
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], compiled, 5);
    }

    [Fact]
    public void DropoutInsideAStackIsReadBlockByBlockAndKeepsItsMasksForTheBackward()
    {
        Module model = InMemoryModels.New(Built.Value, "Stack");
        var x = Inputs(4, 5);
        var w = new Tensor(Enumerable.Range(0, 20).Select(i => 0.1f * (i % 7) - 0.3f).ToArray(), 4, 5);
        float eager = Seeded(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, w)!)[0]);
        float step = Seeded(() => (float)InMemoryModels.Call(model, "LossStep", x, w)!);
        Assert.Equal(eager, step, 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => Seeded(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, w)!)[0]), () => Seeded(() => (float)InMemoryModels.Call(model, "LossStep", x, w)!), targets);
    }

    [Fact]
    public void TheInputsGradientIsTheMaskTimesTheOutputGradient()
    {
        Module model = InMemoryModels.New(Built.Value, "Functional");
        var x = Inputs(250, 8);
        var w = new Tensor(2000);
        w.Span.Fill(1f);
        w = w.Reshape(250, 8);
        var dx = new Tensor(250, 8);
        Seeded(() => (float)InMemoryModels.Call(model, "LossStep", x, w, dx)!);
        // Kept elements have gradient 2 / (1 − 0.5) = 4, dropped ones 0, and about half are dropped.
        Assert.All(dx.Span.ToArray(), g => Assert.True(g == 0f || g == 4f, $"gradient {g}"));
        double dropped = dx.Span.ToArray().Count(g => g == 0f) / 2000.0;
        Assert.InRange(dropped, 0.45, 0.55);
        Rng.ManualSeed(Seed);
        var eager = F.Dropout(Tensor.Full(1f, 250, 8), 0.5f);
        Assert.Equal(eager.Span.ToArray().Select(v => v * 4f / 2f), dx.Span.ToArray());
    }

    [Fact]
    public void TheStepAllocatesNothingAfterWarmUp()
    {
        Module model = InMemoryModels.New(Built.Value, "Net");
        var x = Inputs(8, 4);
        var y = new Labels([0, 1, 2, 0, 1, 2, 0, 1]);
        var step = model.GetType().GetMethod("LossStep")!.CreateDelegate<Func<Tensor, Labels, GradientWrite, float>>(model);
        for (int i = 0; i < 3; i++)
        {
            step(x, y, default);
        }
        long fewest = long.MaxValue;
        for (int round = 0; round < 4; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            step(x, y, default);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, fewest);
    }

    [Fact]
    public void AProbabilityOutsideZeroToOneIsRefusedAtBuildTimeAndWhenTheLayerIsMade()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + """
            public sealed partial class Bad : Module
            {
                [Differentiable]
                public Tensor Forward([Shape("N", 3)] Tensor x) => Dropout(x, 1.5f);
            }
            """);
        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Contains("p is the probability of dropping an element, between 0 and 1; got 1.5", error.GetMessage());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(new Tensor(2), 2f));
    }
}
