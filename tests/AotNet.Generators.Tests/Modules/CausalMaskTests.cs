using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Modules;

/// <summary>Causal attention as a PyTorch user writes it: scores.masked_fill(future, -inf), then softmax.</summary>
public class CausalMaskTests
{
    const string Source = """
        public sealed partial class Attention : Module
        {
            public Attention(int dim) { Dim = dim; query = new Linear(dim, dim, rng: new Rng(5)); }

            public int Dim { get; }
            internal readonly Linear query;

            [Differentiable]
            public Tensor Loss([Shape("B", "T", 4)] Tensor x, [Shape("T", "T")] Tensor future, [Shape("B", "T", 4)] Tensor w)
            {
                var scores = MatMul(query.Forward(x), x.Transpose(1, 2)) * (1f / MathF.Sqrt(Dim));
                var attention = Softmax(scores.MaskedFill(Greater(future, future * 0f), float.NegativeInfinity), -1);
                return Sum(MatMul(attention, x) * w);
            }
        }

        public sealed partial class Model : Module
        {
            readonly Attention attention = new(4);

            [Differentiable]
            public Tensor Loss([Shape("B", "T", 4)] Tensor x, [Shape("T", "T")] Tensor future, [Shape("B", "T", 4)] Tensor w) => attention.Loss(x, future, w);
        }
        """;

    [Fact]
    public void MaskedFillWithMinusInfinityBeforeSoftmaxTrainsAsTheEagerMethod()
    {
        Module model = InMemoryModels.New(InMemoryModels.Build(Source), "Model");
        const int b = 2, t = 3;
        var x = new Tensor(Enumerable.Range(0, b * t * 4).Select(i => 0.19f * ((i * 7) % 11) - 0.9f).ToArray(), b, t, 4);
        var future = new Tensor(Enumerable.Range(0, t * t).Select(i => i % t > i / t ? 1f : 0f).ToArray(), t, t);
        var w = new Tensor(Enumerable.Range(0, b * t * 4).Select(i => 0.1f * (i % 5) - 0.2f).ToArray(), b, t, 4);
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, future, w)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, future, w)!)[0], loss, 5);
        Assert.True(float.IsFinite(loss));
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, future, w)!)[0], () => InMemoryModels.Call(model, "LossStep", x, future, w), targets);
    }
}
