using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>
/// Stacks of blocks written as loops over a ModuleList or an array, with residual
/// reassignment, and branches on configuration the constructor fixes: the generated step
/// agrees with the eager method, with the same stack written out by hand, and names its
/// parameters as PyTorch's ModuleList does.
/// </summary>
public class ModuleListTests
{
    const string Blocks = """
        public sealed partial class Residual : Module
        {
            internal readonly Linear up;
            internal readonly Linear down;
            internal readonly Linear? gate;

            public Residual(int dim, int hidden, int seed, bool gated = false)
            {
                up = new Linear(dim, hidden, rng: new Rng((ulong)seed));
                down = new Linear(hidden, dim, rng: new Rng((ulong)seed + 1000));
                if (gated)
                {
                    gate = new Linear(dim, hidden, bias: false, rng: new Rng((ulong)seed + 2000));
                }
            }

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                var h = up.Forward(x);
                if (gate is not null)
                {
                    h = h * Sigmoid(gate.Forward(x));
                }
                return down.Forward(Tanh(h));
            }
        }

        public sealed partial class Loop12 : Module
        {
            readonly Linear stem = new(5, 8, rng: new Rng(7));
            internal readonly ModuleList<Residual> blocks = new(12, i => new Residual(8, 16, seed: i, gated: i % 3 == 0));
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

        public sealed partial class For12 : Module
        {
            readonly Linear stem = new(5, 8, rng: new Rng(7));
            internal readonly ModuleList<Residual> blocks = new(12, i => new Residual(8, 16, seed: i, gated: i % 3 == 0));
            readonly Linear head = new(8, 3, rng: new Rng(8));

            [Differentiable]
            public Tensor Loss([Shape("N", 5)] Tensor x, [Shape("N")] Labels y)
            {
                var h = stem.Forward(x);
                for (int i = 0; i < blocks.Count; i++)
                {
                    h += blocks[i].Forward(h);
                }
                return CrossEntropy(head.Forward(h), y);
            }
        }

        public sealed partial class ArrayOfTwo : Module
        {
            internal readonly Residual[] blocks = [new(5, 4, seed: 1), new(5, 6, seed: 2, gated: true)];
            const bool Scaled = true;

            [Differentiable]
            public Tensor Loss([Shape("N", 5)] Tensor x, [Shape("N", 5)] Tensor target)
            {
                foreach (var block in blocks)
                {
                    x = x + block.Forward(x);
                }
                return MseLoss(Scaled ? x * 0.5f : x, target);
            }
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Blocks + "\n" + HandWrittenStacks.Source("Hand12", 12, i => $", gated: {(i % 3 == 0 ? "true" : "false")}")));

    [Theory]
    [InlineData("Loop12")]
    [InlineData("For12")]
    public void TheLoopedStackAgreesWithTheStackWrittenOutByHand(string name)
    {
        Module looped = InMemoryModels.New(Built.Value, name);
        Module hand = InMemoryModels.New(Built.Value, "Hand12");
        var (x, y) = HandWrittenStacks.Batch(6);
        float loopLoss = (float)InMemoryModels.Call(looped, "LossStep", x, y)!;
        float handLoss = (float)InMemoryModels.Call(hand, "LossStep", x, y)!;
        Assert.Equal(handLoss, loopLoss, 6);
        HandWrittenStacks.GradientsAgree(hand, looped);
        var eager = (Tensor)InMemoryModels.Call(looped, "Loss", x, y)!;
        Assert.Equal(eager[0], loopLoss, 5);
    }

    [Fact]
    public void ParametersAreNamedAsPyTorchsModuleListNamesThem()
    {
        Module model = InMemoryModels.New(Built.Value, "Loop12");
        var names = model.NamedParameters().Select(p => p.Key).ToList();
        Assert.Equal(["stem.weight", "stem.bias", "blocks.0.up.weight", "blocks.0.up.bias", "blocks.0.down.weight", "blocks.0.down.bias", "blocks.0.gate.weight",
            "blocks.1.up.weight"], names.Take(8));
        Assert.Contains("blocks.11.down.bias", names);
        Assert.DoesNotContain("blocks.1.gate.weight", names);
        Assert.Equal("head.bias", names[^1]);
        Module array = InMemoryModels.New(Built.Value, "ArrayOfTwo");
        Assert.Equal(["blocks.0.up.weight", "blocks.0.up.bias", "blocks.0.down.weight", "blocks.0.down.bias",
            "blocks.1.up.weight", "blocks.1.up.bias", "blocks.1.down.weight", "blocks.1.down.bias", "blocks.1.gate.weight"], array.NamedParameters().Select(p => p.Key));
    }

    [Fact]
    public void AnArrayOfBlocksOfTwoWidthsWithABranchOnConfigurationPassesTheGradientCheck()
    {
        Module model = InMemoryModels.New(Built.Value, "ArrayOfTwo");
        var x = new Tensor(Enumerable.Range(0, 20).Select(i => 0.23f * ((i * 5) % 9) - 0.9f).ToArray(), 4, 5);
        var target = new Tensor(Enumerable.Range(0, 20).Select(i => 0.1f * (i % 7)).ToArray(), 4, 5);
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, target)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, target)!)[0], loss, 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, target)!)[0], () => InMemoryModels.Call(model, "LossStep", x, target), targets);
    }
}
