using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>Models whose generated steps must agree with their eager methods: constructor shapes, switches, shared modules and compiled loops.</summary>
public class LoopAndFactEdgeTests
{
    const string Common = """
        public sealed partial class Res : Module
        {
            internal readonly Linear up;
            public Res(int seed) { up = new Linear(4, 4, rng: new Rng((ulong)seed)); }
            [Differentiable]
            public Tensor Forward(Tensor x) => Tanh(up.Forward(x));
        }

        public sealed partial class Flagged : Module
        {
            internal readonly Linear lin = new(4, 4, rng: new Rng(3));
            internal readonly bool residual;
            public Flagged(bool residual) { this.residual = residual; }
            [Differentiable]
            public Tensor Forward(Tensor x) => residual ? x + Tanh(lin.Forward(x)) : Tanh(lin.Forward(x));
        }
        """;

    static (Tensor X, Labels Y) Batch(int n) =>
        (new Tensor(Enumerable.Range(0, n * 4).Select(i => 0.31f * ((i * 7) % 13) - 1.7f).ToArray(), n, 4),
         new Labels(Enumerable.Range(0, n).Select(i => i % 3).ToArray()));

    static Assembly Build(string models) => InMemoryModels.Build(Common + "\n" + models);

    static float Eager(Module model, Tensor x, Labels y) => ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0];

    /// <summary>The compiled inference and step agree with the eager loss, and the step's gradients with finite differences.</summary>
    static void Agrees(Module model, int n = 5, string? skip = null)
    {
        var (x, y) = Batch(n);
        float eager = Eager(model, x, y);
        Assert.Equal(eager, ((Tensor)InMemoryModels.Call(model, "LossCompiled", x, y)!)[0], 4);
        Assert.Equal(eager, (float)InMemoryModels.Call(model, "LossStep", x, y)!, 4);
        var targets = model.NamedParameters().Where(p => skip is null || !p.Key.StartsWith(skip)).Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => Eager(model, x, y), () => InMemoryModels.Call(model, "LossStep", x, y), targets);
    }

    const string Head = """
            readonly Linear head = new(4, 3, rng: new Rng(9));
        """;

    [Fact]
    public void ConstructorThatAssignsByDeconstruction()
    {
        var assembly = Build("""
            public sealed partial class Pair : Module
            {
                internal readonly Linear lin;
                internal readonly bool residual;
                readonly int width;
                public Pair(int width, bool residual)
                {
                    (this.width, this.residual) = (width, residual);
                    lin = new Linear(width, width, rng: new Rng(3));
                }
                [Differentiable]
                public Tensor Forward(Tensor x) => residual ? x + Tanh(lin.Forward(x)) : Tanh(lin.Forward(x));
            }
            public sealed partial class Model : Module
            {
                readonly Pair block = new(4, residual: true);
                readonly Linear head = new(4, 3, rng: new Rng(9));
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(head.Forward(block.Forward(x)), y);
            }
            """);
        Agrees(InMemoryModels.New(assembly, "Model"));
    }

    [Fact]
    public void ConstructorWithAnEarlyReturn()
    {
        var assembly = Build("""
            public sealed partial class Guarded : Module
            {
                internal readonly Linear lin = new(4, 4, rng: new Rng(3));
                readonly bool residual;
                public Guarded(bool plain)
                {
                    if (plain)
                    {
                        return;
                    }
                    residual = true;
                }
                [Differentiable]
                public Tensor Forward(Tensor x) => residual ? x + Tanh(lin.Forward(x)) : Tanh(lin.Forward(x));
            }
            public sealed partial class Model : Module
            {
                readonly Guarded block = new(plain: true);
                readonly Linear head = new(4, 3, rng: new Rng(9));
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(head.Forward(block.Forward(x)), y);
            }
            """);
        Agrees(InMemoryModels.New(assembly, "Model"));
    }

    [Fact]
    public void MutableModuleMemberReplacedAfterConstruction()
    {
        var assembly = Build("""
            public sealed partial class Model : Module
            {
                public Flagged block = new(residual: true);
                readonly Linear head = new(4, 3, rng: new Rng(9));
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(head.Forward(block.Forward(x)), y);
            }
            """);
        Module model = InMemoryModels.New(assembly, "Model");
        var replacement = Activator.CreateInstance(assembly.GetType("Flagged")!, new object[] { false })!;
        model.GetType().GetField("block")!.SetValue(model, replacement);
        Agrees(model);
    }

    [Fact]
    public void SwitchSectionThatBreaksEarly()
    {
        var assembly = Build("""
            public sealed partial class Model : Module
            {
                readonly Linear fc = new(4, 4, rng: new Rng(2));
                readonly Linear head = new(4, 3, rng: new Rng(9));
                readonly int kind = 1;
                readonly bool skip = true;
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
                {
                    var h = fc.Forward(x);
                    switch (kind)
                    {
                        case 1:
                            h = Tanh(h);
                            if (skip)
                            {
                                break;
                            }
                            h = h * 3f;
                            break;
                        default:
                            h = Sigmoid(h);
                            break;
                    }
                    return CrossEntropy(head.Forward(h), y);
                }
            }
            """);
        Agrees(InMemoryModels.New(assembly, "Model"));
    }

    [Fact]
    public void SwitchOnABoolWithAGuardIsAnErrorAtTheGuard()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + Common + """
            public sealed partial class Model : Module
            {
                readonly Linear fc = new(4, 4, rng: new Rng(2));
                readonly Linear head = new(4, 3, rng: new Rng(9));
                readonly bool residual = true;
                readonly int depth = 3;
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
                {
                    var h = fc.Forward(x);
                    switch (residual)
                    {
                        case true when depth > 2:
                            h = h * 2f;
                            break;
                        case true:
                            h = h * 3f;
                            break;
                    }
                    return CrossEntropy(head.Forward(h), y);
                }
            }
            """);
        // A section it cannot match would otherwise be silently skipped.
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("AOTNET0003", diagnostic.Id);
        Assert.Contains("'when' guard", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void AbsentModuleGuardsAFlagOfItsOwn()
    {
        var assembly = Build("""
            public sealed partial class Gate : Module
            {
                internal readonly Linear lin = new(4, 4, rng: new Rng(3));
                public bool enabled = true;
                [Differentiable]
                public Tensor Forward(Tensor x) => x * Sigmoid(lin.Forward(x));
            }
            public sealed partial class Model : Module
            {
                readonly Linear fc = new(4, 4, rng: new Rng(2));
                readonly Gate? gate = null;
                readonly Linear head = new(4, 3, rng: new Rng(9));
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
                {
                    var h = fc.Forward(x);
                    if (gate is not null && gate.enabled)
                    {
                        h = gate.Forward(h);
                    }
                    return CrossEntropy(head.Forward(h), y);
                }
            }
            """);
        Agrees(InMemoryModels.New(assembly, "Model"));
    }

    [Fact]
    public void ModuleUsedBeforeAndInsideACompiledLoop()
    {
        var assembly = Build("""
            public sealed partial class Model : Module
            {
                readonly Linear shared = new(4, 4, rng: new Rng(1));
                internal readonly ModuleList<Res> blocks = new(3, i => new Res(10 + i));
                readonly Linear head = new(4, 3, rng: new Rng(9));
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
                {
                    var h = shared.Forward(x);
                    foreach (var block in blocks)
                    {
                        h = h + block.Forward(shared.Forward(h));
                    }
                    return CrossEntropy(head.Forward(h), y);
                }
            }
            """);
        // The body reads a module from outside the list, so the loop is read one iteration at a time.
        Module model = InMemoryModels.New(assembly, "Model");
        Assert.DoesNotContain(model.GetType().GetMethods(BindingFlags.Instance | BindingFlags.NonPublic), m => m.Name == "LossBlocksLoopStep");
        Agrees(model);
    }

    [Fact]
    public void ModuleUsedAfterAndInsideACompiledLoop()
    {
        var assembly = Build("""
            public sealed partial class Model : Module
            {
                readonly Linear shared = new(4, 4, rng: new Rng(1));
                internal readonly ModuleList<Res> blocks = new(3, i => new Res(10 + i));
                readonly Linear head = new(4, 3, rng: new Rng(9));
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
                {
                    var h = stem.Forward(x);
                    foreach (var block in blocks)
                    {
                        h = h + block.Forward(shared.Forward(h));
                    }
                    return CrossEntropy(head.Forward(shared.Forward(h)), y);
                }
                readonly Linear stem = new(4, 4, rng: new Rng(8));
                void Unused()
                {
                }
            }
            """);
        Agrees(InMemoryModels.New(assembly, "Model"));
    }

    [Theory]
    [InlineData("h = h + block.Forward(h);")]
    [InlineData("h = h + block.Forward(h) * x;")]
    public void SameModuleTwiceInAList(string body)
    {
        var assembly = Build($$"""
            public sealed partial class Model : Module
            {
                internal readonly ModuleList<Res> blocks;
                readonly Linear stem;
                readonly Linear head = new(4, 3, rng: new Rng(9));
                public Model()
                {
                    var r = new Res(5);
                    stem = new Linear(4, 4, rng: new Rng(8));
                    blocks = new([r, r]);
                }
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
                {
                    var h = stem.Forward(x);
                    foreach (var block in blocks)
                    {
                        {{body}}
                    }
                    return CrossEntropy(head.Forward(h), y);
                }
            }
            """);
        Agrees(InMemoryModels.New(assembly, "Model"));
    }

    const string Stack = """
        public sealed partial class Model : Module
        {
            readonly Linear stem = new(4, 4, rng: new Rng(8));
            internal readonly ModuleList<Res> blocks = LIST;
            readonly Linear head = new(4, 3, rng: new Rng(9));
            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
            {
                var h = START;
                foreach (var block in blocks)
                {
                    h = h + block.Forward(h);
                }
                return CrossEntropy(head.Forward(h), y);
            }
        }
        """;

    [Theory]
    [InlineData("new(3, i => new Res(10 + i))", "x")]
    [InlineData("new(3, i => new Res(10 + i))", "Tanh(x)")]
    [InlineData("new(System.Linq.Enumerable.Select(System.Linq.Enumerable.Range(0, 3), i => new Res(10 + i)))", "stem.Forward(x)")]
    [InlineData("Make()", "stem.Forward(x)")]
    public void CompiledLoopFrom(string list, string start) => Agrees(InMemoryModels.New(Build(Stack.Replace("LIST", list).Replace("START", start)
        + "\npublic sealed partial class Model { static ModuleList<Res> Make() => new(3, i => new Res(10 + i)); }"), "Model"), skip: start == "stem.Forward(x)" ? null : "stem");

    [Fact]
    public void EmptyCompiledLoop() => Agrees(InMemoryModels.New(Build(Stack.Replace("LIST", "new(0, i => new Res(10 + i))").Replace("START", "stem.Forward(x)")), "Model"));

    [Fact]
    public void AccumulatingTwiceDoublesTheLoopGradients()
    {
        Module model = InMemoryModels.New(Build(Stack.Replace("LIST", "new(3, i => new Res(10 + i))").Replace("START", "stem.Forward(x)")), "Model");
        var (x, y) = Batch(5);
        var step = model.GetType().GetMethod("LossStep")!;
        step.Invoke(model, [x, y, GradientWrite.Overwrite()]);
        var once = model.NamedParameters().Select(p => p.Value.Grad.Span.ToArray()).ToList();
        step.Invoke(model, [x, y, GradientWrite.Accumulate()]);
        var twice = model.NamedParameters().Select(p => p.Value.Grad.Span.ToArray()).ToList();
        for (int p = 0; p < once.Count; p++)
        {
            for (int i = 0; i < once[p].Length; i++)
            {
                Assert.True(Math.Abs(twice[p][i] - 2 * once[p][i]) <= 1e-5 * (1 + Math.Abs(once[p][i])), $"{model.NamedParameters()[p].Key}[{i}]: {twice[p][i]} vs 2×{once[p][i]}");
            }
        }
        step.Invoke(model, [x, y, GradientWrite.Accumulate(0.5f)]);
        var scaled = model.NamedParameters().Select(p => p.Value.Grad.Span.ToArray()).ToList();
        for (int p = 0; p < once.Count; p++)
        {
            for (int i = 0; i < once[p].Length; i++)
            {
                Assert.True(Math.Abs(scaled[p][i] - 2.5f * once[p][i]) <= 1e-5 * (1 + Math.Abs(once[p][i])), $"{model.NamedParameters()[p].Key}[{i}]: {scaled[p][i]} vs 2.5×{once[p][i]}");
            }
        }
    }

    [Fact]
    public void CompiledLoopInferenceFromTwoThreads()
    {
        Module model = InMemoryModels.New(Build(Stack.Replace("LIST", "new(4, i => new Res(10 + i))").Replace("START", "stem.Forward(x)")), "Model");
        var batches = new[] { Batch(3), Batch(7) };
        var expected = batches.Select(b => Eager(model, b.X, b.Y)).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            for (int k = 0; k < 300; k++)
            {
                float got = ((Tensor)InMemoryModels.Call(model, "LossCompiled", batches[t].X, batches[t].Y)!)[0];
                if (Math.Abs(got - expected[t]) > 1e-4)
                {
                    failures.Add($"thread {t} call {k}: {got} vs {expected[t]}");
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
    }

    [Fact]
    public void LoopInACalleeCalledTwice()
    {
        var assembly = Build("""
            public sealed partial class Encoder : Module
            {
                internal readonly ModuleList<Res> blocks = new(2, i => new Res(20 + i));
                [Differentiable]
                public Tensor Forward(Tensor x)
                {
                    var h = x;
                    foreach (var block in blocks)
                    {
                        h = h + block.Forward(h);
                    }
                    return h;
                }
            }
            public sealed partial class Model : Module
            {
                readonly Linear stem = new(4, 4, rng: new Rng(8));
                readonly Encoder encoder = new();
                readonly Linear head = new(4, 3, rng: new Rng(9));
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
                {
                    var a = encoder.Forward(stem.Forward(x));
                    var b = encoder.Forward(Tanh(a));
                    return CrossEntropy(head.Forward(b), y);
                }
            }
            """);
        Agrees(InMemoryModels.New(assembly, "Model"));
    }

    [Fact]
    public void NestedLoopsAndTrainingInsideTheBody()
    {
        var assembly = Build("""
            public sealed partial class Noisy : Module
            {
                internal readonly Linear lin;
                public Noisy(int seed) { lin = new Linear(4, 4, rng: new Rng((ulong)seed)); }
                [Differentiable]
                public Tensor Forward(Tensor x)
                {
                    var h = Tanh(lin.Forward(x));
                    if (Training)
                    {
                        h = h * 0.5f;
                    }
                    return h;
                }
            }
            public sealed partial class Stage : Module
            {
                internal readonly ModuleList<Res> blocks;
                internal readonly ModuleList<Noisy> noisy;
                public Stage(int seed)
                {
                    blocks = new(2, i => new Res(seed + i));
                    noisy = new(2, i => new Noisy(seed + 50 + i));
                }
                [Differentiable]
                public Tensor Forward(Tensor x) => x;
            }
            public sealed partial class Model : Module
            {
                readonly Linear stem = new(4, 4, rng: new Rng(8));
                internal readonly ModuleList<Stage> stages = new(2, i => new Stage(100 * i));
                readonly Linear head = new(4, 3, rng: new Rng(9));
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
                {
                    var h = stem.Forward(x);
                    foreach (var stage in stages)
                    {
                        foreach (var block in stage.blocks)
                        {
                            h = h + block.Forward(h);
                        }
                        for (int i = 0; i < stage.noisy.Count; i++)
                        {
                            h = h + stage.noisy[i].Forward(h);
                        }
                    }
                    return CrossEntropy(head.Forward(h), y);
                }
            }
            """);
        Module model = InMemoryModels.New(assembly, "Model");
        Agrees(model);
        model.Eval();
        Agrees(model);
    }
}
