using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>
/// A two-block pre-norm transformer encoder written the way its PyTorch original is
/// (tests/fixtures/make_fixtures.py, transformer_fixture): LayerNorm and attention as modules of
/// their own sized by constructor arguments, blocks in a ModuleList, residual reassignment.
/// Loss and every gradient match PyTorch's.
/// </summary>
public class TransformerTests
{
    const string Source = """
        public sealed partial class LayerNorm : Module
        {
            public LayerNorm(int dim)
            {
                Dim = dim;
                var ones = new Tensor(dim);
                ones.Span.Fill(1f);
                weight = new Parameter(ones);
                bias = new Parameter(new Tensor(dim));
            }

            public int Dim { get; }

            [Shape(nameof(Dim))] internal readonly Parameter weight;
            [Shape(nameof(Dim))] internal readonly Parameter bias;

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                var mean = Mean(x, [-1], keepDim: true);
                var centered = x - mean;
                var variance = Mean(centered * centered, [-1], keepDim: true);
                return centered * Rsqrt(variance + 1e-5f) * weight + bias;
            }
        }

        public sealed partial class Attention : Module
        {
            internal readonly float scale;

            public Attention(int dim, int heads)
            {
                Dim = dim;
                Heads = heads;
                qkv = new Linear(dim, 3 * dim);
                proj = new Linear(dim, dim);
                scale = 1f / MathF.Sqrt(dim / heads);
            }

            public int Dim { get; }
            public int Heads { get; }
            internal readonly Linear qkv;
            internal readonly Linear proj;

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                Tensor[] parts = Chunk(qkv.Forward(x), 3, -1);
                var q = parts[0].View(x.Dim(0), x.Dim(1), Heads, Dim / Heads).Transpose(1, 2);
                var k = parts[1].View(x.Dim(0), x.Dim(1), Heads, Dim / Heads).Transpose(1, 2);
                var v = parts[2].View(x.Dim(0), x.Dim(1), Heads, Dim / Heads).Transpose(1, 2);
                var attention = Softmax(MatMul(q, k.Transpose(2, 3)) * scale, -1);
                var y = MatMul(attention, v).Transpose(1, 2).Reshape(x.Dim(0), x.Dim(1), Dim);
                return proj.Forward(y);
            }
        }

        public sealed partial class Block : Module
        {
            internal readonly LayerNorm ln1;
            internal readonly Attention attn;
            internal readonly LayerNorm ln2;
            internal readonly Linear fc;
            internal readonly Linear @out;

            public Block(int dim, int heads)
            {
                ln1 = new LayerNorm(dim);
                attn = new Attention(dim, heads);
                ln2 = new LayerNorm(dim);
                fc = new Linear(dim, 4 * dim);
                @out = new Linear(4 * dim, dim);
            }

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                x = x + attn.Forward(ln1.Forward(x));
                return x + @out.Forward(Gelu(fc.Forward(ln2.Forward(x))));
            }
        }

        public sealed partial class Encoder : Module
        {
            readonly Linear stem = new(5, 8);
            internal readonly ModuleList<Block> blocks = new(2, _ => new Block(8, heads: 2));
            readonly Linear head = new(8, 4);

            [Differentiable]
            public Tensor Loss([Shape("B", "T", 5)] Tensor x, [Shape("B")] Labels y)
            {
                var h = stem.Forward(x);
                foreach (var block in blocks)
                {
                    h = block.Forward(h);
                }
                return CrossEntropy(head.Forward(Mean(h, [1])), y);
            }
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    [Fact]
    public void LossAndGradientsMatchPyTorch()
    {
        using var fixture = ModelFixture.Load("Transformer");
        Module model = InMemoryModels.New(Built.Value, "Encoder");
        fixture.LoadParameters(model);
        var x = fixture.Tensor("x");
        var y = fixture.Labels("y");
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        fixture.AssertMatches(loss, ModelFixture.Gradients(model));
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], loss, 5);
    }
}
