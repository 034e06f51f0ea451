using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>
/// Module sizes come from constructor arguments: one Block class serves every width. Where the
/// arguments are constants at the field initializer the sizes are known at build time; where
/// they are known only when the model is built, the generated code reads them then.
/// </summary>
public class ModuleSizeTests
{
    const string Source = """
        public sealed partial class Block : Module
        {
            public Block(int dim, int hidden, int seed)
            {
                Dim = dim;
                Hidden = hidden;
                var rng = new Rng((ulong)seed);
                var up = new Tensor(hidden, dim);
                Init.Uniform(up, -0.5f, 0.5f, rng);
                Up = new Parameter(up);
                var down = new Tensor(dim, hidden);
                Init.Uniform(down, -0.5f, 0.5f, rng);
                Down = new Parameter(down);
            }

            public int Dim { get; }
            public int Hidden { get; }

            [Shape(nameof(Hidden), nameof(Dim))]
            public Parameter Up { get; }

            [Shape(nameof(Dim), nameof(Hidden))]
            public Parameter Down { get; }

            [Differentiable]
            public Tensor Forward(Tensor x) => x + Linear(Tanh(Linear(x, Up)), Down);
        }

        public sealed partial class TwoWidths : Module
        {
            readonly Block narrow = new(dim: 3, hidden: 5, seed: 1);
            readonly Linear widen = new(3, 4, rng: new Rng(2));
            readonly Block wide = new(4, hidden: 2 * 4, seed: 3);

            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N")] Labels y)
            {
                x = narrow.Forward(x);
                var h = widen.Forward(x);
                h += wide.Forward(h);
                return CrossEntropy(h, y);
            }
        }

        public sealed partial class RuntimeWidth : Module
        {
            readonly Block block;
            readonly Linear head;

            public RuntimeWidth(int width)
            {
                block = new Block(width, 2 * width, seed: 4);
                head = new Linear(width, 3, rng: new Rng(5));
            }

            [Differentiable]
            public Tensor Loss([Shape("N", "D")] Tensor x, [Shape("N")] Labels y) => CrossEntropy(head.Forward(block.Forward(x)), y);
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    static (Tensor X, Labels Y) Batch(int n, int width, int classes) =>
        (new Tensor(Enumerable.Range(0, n * width).Select(i => 0.37f * ((i * 7) % 11) - 1.5f).ToArray(), n, width),
         new Labels(Enumerable.Range(0, n).Select(i => i % classes).ToArray()));

    static void AgreesWithEager(Module model, Tensor x, Labels y)
    {
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        var eager = (Tensor)InMemoryModels.Call(model, "Loss", x, y)!;
        Assert.Equal(eager[0], loss, 5);
        Assert.All(model.NamedParameters(), p => Assert.Contains(p.Value.Grad.Span.ToArray(), g => g != 0));
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], () => InMemoryModels.Call(model, "LossStep", x, y), targets);
    }

    [Fact]
    public void OneBlockClassServesTwoWidthsFixedAtBuildTime()
    {
        Module model = InMemoryModels.New(Built.Value, "TwoWidths");
        var (x, y) = Batch(6, 3, 4);
        AgreesWithEager(model, x, y);
        Assert.Equal(["narrow.Up", "narrow.Down", "widen.weight", "widen.bias", "wide.Up", "wide.Down"], model.NamedParameters().Select(p => p.Key));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void SizesKnownOnlyWhenTheModelIsBuiltAreReadThen(int width)
    {
        Module model = (Module)Activator.CreateInstance(Built.Value.GetType("RuntimeWidth")!, width)!;
        var (x, y) = Batch(5, width, 3);
        AgreesWithEager(model, x, y);
    }

    [Fact]
    public void AnInputOfTheWrongWidthForTheModuleIsRefused()
    {
        Module model = (Module)Activator.CreateInstance(Built.Value.GetType("RuntimeWidth")!, 4)!;
        var (x, y) = Batch(5, 3, 3);
        var error = Assert.ThrowsAny<Exception>(() => InMemoryModels.Call(model, "LossStep", x, y));
        Assert.Contains("inner dimensions of [N, D] and [block_Hidden, block_Dim]", error.Message);
    }
}
