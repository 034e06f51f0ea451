using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>
/// A virtual [Differentiable] method called on a module whose class the generator saw created
/// runs that class's body: a ModuleList of blocks of different kinds behind one base class.
/// </summary>
public class OverrideTests
{
    const string Source = """
        public abstract partial class Block : Module
        {
            [Differentiable]
            public abstract Tensor Forward(Tensor x);
        }

        public sealed partial class Gated : Block
        {
            public Gated(int dim, ulong seed) { gate = new Linear(dim, dim, rng: new Rng(seed)); }

            internal readonly Linear gate;

            [Differentiable]
            public override Tensor Forward(Tensor x) => x * Sigmoid(gate.Forward(x));
        }

        public partial class Plain : Block
        {
            public Plain(int dim, ulong seed) { fc = new Linear(dim, dim, rng: new Rng(seed)); }

            internal readonly Linear fc;

            [Differentiable]
            public override Tensor Forward(Tensor x) => Tanh(fc.Forward(x));
        }

        public sealed partial class Scaled : Plain
        {
            public Scaled(int dim, ulong seed) : base(dim, seed) { }

            [Differentiable]
            public override Tensor Forward(Tensor x) => Tanh(fc.Forward(x)) * 0.5f;
        }

        public sealed partial class Mixed : Module
        {
            internal readonly ModuleList<Block> blocks = new(3, i => i switch
            {
                0 => new Gated(4, 1),
                1 => new Plain(4, 2),
                _ => new Scaled(4, 3),
            });
            internal readonly Block last = new Gated(4, 4);

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N", 4)] Tensor w)
            {
                foreach (var block in blocks)
                {
                    x = block.Forward(x);
                }
                return Sum(last.Forward(x) * w);
            }
        }

        public sealed partial class Written : Module
        {
            internal readonly Gated b0 = new(4, 1);
            internal readonly Plain b1 = new(4, 2);
            internal readonly Scaled b2 = new(4, 3);
            internal readonly Gated last = new(4, 4);

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N", 4)] Tensor w)
            {
                x = Sigmoid(b0.gate.Forward(x)) * x;
                x = Tanh(b1.fc.Forward(x));
                x = Tanh(b2.fc.Forward(x)) * 0.5f;
                return Sum(x * Sigmoid(last.gate.Forward(x)) * w);
            }
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    [Fact]
    public void EachElementRunsItsOwnClasssBody()
    {
        Module mixed = InMemoryModels.New(Built.Value, "Mixed");
        Module written = InMemoryModels.New(Built.Value, "Written");
        var x = new Tensor(Enumerable.Range(0, 12).Select(i => 0.3f * (i % 5) - 0.6f).ToArray(), 3, 4);
        var w = new Tensor(Enumerable.Range(0, 12).Select(i => 0.2f * (i % 3) - 0.1f).ToArray(), 3, 4);
        // A subclass lists its base class's members first, as PyTorch does.
        Assert.Equal(["blocks.0.gate.weight", "blocks.0.gate.bias", "blocks.1.fc.weight", "blocks.1.fc.bias", "blocks.2.fc.weight", "blocks.2.fc.bias", "last.gate.weight", "last.gate.bias"],
            mixed.NamedParameters().Select(p => p.Key));
        Assert.Equal(8, written.NamedParameters().Count);
        float expected = (float)InMemoryModels.Call(written, "LossStep", x, w)!;
        float loss = (float)InMemoryModels.Call(mixed, "LossStep", x, w)!;
        Assert.Equal(expected, loss, 6);
        Assert.Equal(((Tensor)InMemoryModels.Call(mixed, "Loss", x, w)!)[0], loss, 5);
        foreach (var (want, got) in written.NamedParameters().Zip(mixed.NamedParameters()))
        {
            Assert.Equal(want.Value.Grad.Span.ToArray(), got.Value.Grad.Span.ToArray());
        }
        var targets = mixed.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(mixed, "Loss", x, w)!)[0], () => InMemoryModels.Call(mixed, "LossStep", x, w), targets);
    }

    [Theory]
    [InlineData("internal Block last = new Gated(4, 4);", "create the module where the generator can see its class")]
    [InlineData("internal readonly Block[] last = [new Gated(4, 4)];", "create the module where the generator can see its class")]
    public void AReceiverWhoseClassCanChangeIsRefused(string member, string expected)
    {
        string source = """
            public abstract partial class Block : Module
            {
                [Differentiable]
                public abstract Tensor Forward(Tensor x);
            }

            public sealed partial class Gated : Block
            {
                public Gated(int dim, ulong seed) { gate = new Linear(dim, dim, rng: new Rng(seed)); }

                internal readonly Linear gate;

                [Differentiable]
                public override Tensor Forward(Tensor x) => x * Sigmoid(gate.Forward(x));
            }

            public sealed partial class Model : Module
            {
                MEMBER

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => CALL;
            }
            """.Replace("MEMBER", member).Replace("CALL", member.Contains("[]") ? "last[0].Forward(x)" : "last.Forward(x)");
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + source);
        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("AOTNET0003", error.Id);
        Assert.Contains(expected, error.GetMessage());
    }
}
