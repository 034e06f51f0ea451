using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>
/// A loop over a list of blocks that all compile to the same ops stays a loop of calls: one
/// generated body, called per element, so the step's size does not depend on the depth.
/// </summary>
public class CompiledLoopTests
{
    static string Source(int depth, string name) => $$"""
        public sealed partial class Residual : Module
        {
            internal readonly Linear up;
            internal readonly Linear down;

            public Residual(int dim, int hidden, int seed)
            {
                up = new Linear(dim, hidden, rng: new Rng((ulong)seed));
                down = new Linear(hidden, dim, rng: new Rng((ulong)seed + 1000));
            }

            [Differentiable]
            public Tensor Forward(Tensor x) => down.Forward(Tanh(up.Forward(x)));
        }

        public sealed partial class {{name}} : Module
        {
            readonly Linear stem = new(5, 8, rng: new Rng(7));
            internal readonly ModuleList<Residual> blocks = new({{depth}}, i => new Residual(8, 16, seed: i));
            readonly Linear head = new(8, 3, rng: new Rng(8));

            [Differentiable]
            public Tensor Loss([Shape("N", 5)] Tensor x, [Shape("N")] Labels y)
            {
                var h = stem.Forward(x);
                foreach (var block in blocks)
                {
                    h = h + block.Forward(h);
                }
                return CrossEntropy(head.Forward(h), y);
            }
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(
        Source(12, "Stack12") + "\n" + Source(24, "Stack24").Replace("public sealed partial class Residual", "public sealed partial class Residual24").Replace("ModuleList<Residual>", "ModuleList<Residual24>").Replace("new Residual(", "new Residual24(").Replace("public Residual(", "public Residual24(")
        + "\n" + HandWrittenStacks.Source("Hand", 12, _ => "") + "\n" + Probe + "\n" + ForStack));

    const string ForStack = """
        public sealed partial class ForStack12 : Module
        {
            readonly Linear stem = new(5, 8, rng: new Rng(7));
            internal readonly Residual[] blocks = new Residual[12];
            readonly Linear head = new(8, 3, rng: new Rng(8));

            public ForStack12()
            {
                for (int i = 0; i < blocks.Length; i++)
                {
                    blocks[i] = new Residual(8, 16, seed: i);
                }
            }

            [Differentiable]
            public Tensor Loss([Shape("N", 5)] Tensor x, [Shape("N")] Labels y)
            {
                var h = stem.Forward(x);
                for (int i = 0; i < blocks.Length; i++)
                {
                    h += blocks[i].Forward(h);
                }
                return CrossEntropy(head.Forward(h), y);
            }
        }
        """;

    const string Probe = """
        public static class Probe
        {
            /// <summary>Bytes the calling thread allocates over <paramref name="calls"/> steps, after one warm-up call.</summary>
            public static long AllocatedBy(Stack12 model, Tensor x, Labels y, int calls)
            {
                model.LossStep(x, y);
                long before = System.GC.GetAllocatedBytesForCurrentThread();
                float sink = 0;
                for (int i = 0; i < calls; i++)
                {
                    sink += model.LossStep(x, y);
                }
                long allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
                return float.IsNaN(sink) ? -1 : allocated;
            }

        }
        """;

    [Fact]
    public void TwelveAndTwentyFourBlocksGiveStepsOfTheSameSize()
    {
        int Il(string type, string method) => Built.Value.GetType(type)!.GetMethod(method, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.GetMethodBody()!.GetILAsByteArray()!.Length;
        Assert.Equal(Il("Stack12", "LossStep"), Il("Stack24", "LossStep"));
        Assert.Equal(Il("Stack12", "LossBlocksLoopStep"), Il("Stack24", "LossBlocksLoopStep"));
        Assert.True(Il("Hand", "LossStep") > 4 * Il("Stack12", "LossStep"), $"hand-written {Il("Hand", "LossStep")} bytes, looped {Il("Stack12", "LossStep")}");
    }

    [Theory]
    [InlineData("Stack12")]
    [InlineData("ForStack12")]
    public void TheLoopAgreesWithTheStackWrittenOutByHandAndAllocatesNothing(string name)
    {
        Module looped = InMemoryModels.New(Built.Value, name);
        Module hand = InMemoryModels.New(Built.Value, "Hand");
        var (x, y) = HandWrittenStacks.Batch(6);
        float loopLoss = (float)InMemoryModels.Call(looped, "LossStep", x, y)!;
        float handLoss = (float)InMemoryModels.Call(hand, "LossStep", x, y)!;
        Assert.Equal(handLoss, loopLoss, 6);
        Assert.Equal(loopLoss, ((Tensor)InMemoryModels.Call(looped, "LossCompiled", x, y)!)[0], 6);
        Assert.Equal(((Tensor)InMemoryModels.Call(looped, "Loss", x, y)!)[0], loopLoss, 5);
        var loopParameters = looped.NamedParameters();
        Assert.Equal("blocks.11.down.bias", loopParameters[^3].Key);
        HandWrittenStacks.GradientsAgree(hand, looped);
        // A second step overwrites: the loop's gradients do not pile up across steps.
        var first = loopParameters.Select(p => p.Value.Grad.Span.ToArray()).ToList();
        InMemoryModels.Call(looped, "LossStep", x, y);
        Assert.Equal(first, loopParameters.Select(p => p.Value.Grad.Span.ToArray()).ToList());
        if (looped.GetType().Name == "Stack12")
        {
            var probe = Built.Value.GetType("Probe")!.GetMethod("AllocatedBy")!;
            long fewest = Enumerable.Range(0, 5).Min(_ => (long)probe.Invoke(null, [looped, x, y, 10])!);
            Assert.Equal(0, fewest);
        }
        else
        {
            // The array's elements are made in a loop the generator does not follow, so the body reads their sizes when it runs.
            Assert.Contains(looped.GetType().GetMethods(BindingFlags.Instance | BindingFlags.NonPublic), m => m.Name == "LossBlocksLoopStep");
        }
    }
}

/// <summary>A compiled loop's body may read values from outside the loop that need no gradient, such as an input scale or labels.</summary>
public class CompiledLoopCaptureTests
{
    const string Source = """
        public sealed partial class Residual : Module
        {
            internal readonly Linear up;
            internal readonly Linear down;

            public Residual(int seed)
            {
                up = new Linear(4, 6, rng: new Rng((ulong)seed));
                down = new Linear(6, 4, rng: new Rng((ulong)seed + 100));
            }

            [Differentiable]
            public Tensor Forward(Tensor x) => down.Forward(Tanh(up.Forward(x)));
        }

        public sealed partial class Scaled : Module
        {
            internal readonly ModuleList<Residual> blocks = new(3, i => new Residual(i));
            readonly Linear head = new(4, 3, rng: new Rng(9));

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N", 4)] Tensor scale, [Shape("N")] Labels y)
            {
                var h = x;
                foreach (var block in blocks)
                {
                    h = h + block.Forward(h) * scale;
                }
                return CrossEntropy(head.Forward(h), y);
            }

            [Differentiable]
            public Tensor Learned([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
            {
                // The gate depends on a parameter, so its gradient must flow: this loop is read one iteration at a time.
                var gate = Sigmoid(Sum(head.Forward(x), [1], keepDim: true));
                var h = x;
                foreach (var block in blocks)
                {
                    h = h + block.Forward(h) * gate;
                }
                return CrossEntropy(head.Forward(h), y);
            }
        }
        """;

    [Fact]
    public void ValuesReadFromOutsideAgreeWithEagerAndFiniteDifferences()
    {
        var assembly = InMemoryModels.Build(Source);
        Module model = InMemoryModels.New(assembly, "Scaled");
        var x = new Tensor(Enumerable.Range(0, 20).Select(i => 0.3f * ((i * 7) % 9) - 1.1f).ToArray(), 5, 4);
        var scale = new Tensor(Enumerable.Range(0, 20).Select(i => 0.5f + 0.1f * (i % 6)).ToArray(), 5, 4);
        var y = new Labels([0, 1, 2, 1, 0]);
        Assert.Contains(model.GetType().GetMethods(BindingFlags.Instance | BindingFlags.NonPublic), m => m.Name == "LossBlocksLoopStep");
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, scale, y)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, scale, y)!)[0], loss, 5);
        Assert.Equal(loss, ((Tensor)InMemoryModels.Call(model, "LossCompiled", x, scale, y)!)[0], 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, scale, y)!)[0], () => InMemoryModels.Call(model, "LossStep", x, scale, y), targets);

        float learned = (float)InMemoryModels.Call(model, "LearnedStep", x, y)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Learned", x, y)!)[0], learned, 5);
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Learned", x, y)!)[0], () => InMemoryModels.Call(model, "LearnedStep", x, y), targets);
    }
}
