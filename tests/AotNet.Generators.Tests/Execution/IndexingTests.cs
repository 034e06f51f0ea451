using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Execution;

/// <summary>Strided slices, pieces of a split or chunk, gathers and index selects inside trained models.</summary>
public class IndexingTests
{
    const string Source = """
        public sealed partial class Model : Module
        {
            [Shape(3, 4)] internal Parameter Table { get; } = new(new Tensor([0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.2f, -0.1f, 0.7f, -0.3f, 0.05f, 0.25f], 3, 4));

            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 6)] Tensor x, [Shape("N", 2)] Labels pick, [Shape(5)] Labels rows)
            {
                Tensor[] halves = Chunk(x, 2, 1);
                var odd = x.Slice(1, 1, 6, 2);
                var parts = Split(x, new int[] { 1, 2, 3 }, 1);
                var gathered = Gather(Tanh(halves[0]) * halves[^1], 1, pick);
                var embedded = IndexSelect(Table, 0, rows);
                return Sum(gathered * gathered) + Mean(Sigmoid(odd) * parts[2]) + Sum(embedded * embedded * 0.5f) + Mean(parts[0] * x.Slice(1, -2));
            }
        }
        """;

    static (Module Model, Tensor X, Labels Pick, Labels Rows) Setup(int n)
    {
        var assembly = InMemoryModels.Build(Source);
        Module model = InMemoryModels.New(assembly, "Model");
        var x = new Tensor(Enumerable.Range(0, n * 6).Select(i => 0.21f * ((i * 7) % 11) - 1f).ToArray(), n, 6);
        var pick = new Labels(Enumerable.Range(0, n * 2).Select(i => (i * 5) % 3).ToArray(), [n, 2]);
        var rows = new Labels(2, 0, 2, 1, 2);
        return (model, x, pick, rows);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void SlicesPiecesGathersAndSelectsTrain(int n)
    {
        var (model, x, pick, rows) = Setup(n);
        var dx = new Tensor(n, 6);
        dx.Span.Fill(float.NaN);
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, pick, rows, dx)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", x, pick, rows)!)[0], loss, 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).Append(new GradTarget("x", x, dx)).ToList();
        var samples = GradCheck.Run(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, pick, rows)!)[0], targets, targets.Select(t => t.Grad.Span.ToArray()).ToList(), eps: 1e-2f);
        Assert.All(samples, s => Assert.True(s.Error <= s.Tolerance, $"{s.Target}[{s.Index}]: step {s.Analytic}, finite difference {s.Numeric}"));
        // Row 1 of the table is selected once, row 2 three times, row 0 once: the index-add sums repeats.
        var table = model.NamedParameters().Single().Value;
        Assert.Equal(3 * table.Value[8], table.Grad[8], 5);
    }

    [Fact]
    public void AnIndexOutOfRangeThrowsNamingTheArgument()
    {
        var (model, x, _, rows) = Setup(2);
        var pick = new Labels([0, 1, 3, 0], [2, 2]);
        var dx = new Tensor(2, 6);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => InMemoryModels.Call(model, "LossStep", x, pick, rows, dx));
        Assert.Equal("pick", e.ParamName);
        var bad = new Labels(0, 1, 5, 1, 2);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => InMemoryModels.Call(model, "LossStep", x, new Labels([0, 1, 2, 0], [2, 2]), bad, dx));
        Assert.Equal("rows", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => InMemoryModels.Call(model, "Loss", x, pick, rows));
        Assert.Equal("index", e.ParamName);
    }
}
