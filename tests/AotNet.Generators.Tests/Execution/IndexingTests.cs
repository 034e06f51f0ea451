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
                var reordered = Concat(Split(x, 3, 1), 0);
                return Sum(gathered * gathered) + Mean(Sigmoid(odd) * parts[2]) + Sum(embedded * embedded * 0.5f) + Mean(parts[0] * x.Slice(1, -2))
                    + Sum(Tanh(Concat(halves, 1)) * x) + Sum(x.Slice(0, 1) * 0.25f) + Sum(reordered * reordered * 0.1f);
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

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void SizesReadOffATensorSplitASymbolicAxis(int t)
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Forward([Shape(2, "T")] Tensor x)
                {
                    var parts = x.Split(new[] { x.Dim(1) - 2, 2 }, 1);
                    return Concat([Tanh(parts[1]), parts[0] * 2f, x.Slice(1, -1)], 1);
                }
            }
            """);
        var model = InMemoryModels.New(assembly, "Model");
        var x = new Tensor(Enumerable.Range(0, 2 * t).Select(i => 0.3f * i - 1f).ToArray(), 2, t);
        var compiled = (Tensor)InMemoryModels.Call(model, "ForwardCompiled", x)!;
        var eager = (Tensor)InMemoryModels.Call(model, "Forward", x)!;
        Assert.Equal(eager.Shape.ToArray(), compiled.Shape.ToArray());
        // Tanh's scalar form in the generated loop may round differently in the last bit from the eager kernel.
        Assert.All(eager.ToArray().Zip(compiled.ToArray()), p => Assert.Equal(p.First, p.Second, 5));
        Assert.Equal([2, t + 1], compiled.Shape.ToArray());
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

/// <summary>
/// A gated cell as a PyTorch user writes it: embed tokens with index_select, chunk a projection
/// into four gates, then read the state back through a strided slice, a split and a gather. The
/// generated step's loss and gradients match PyTorch's (tests/fixtures/make_fixtures.py).
/// </summary>
public class GatedIndexingModelTests
{
    const string Source = """
        public sealed partial class Cell : Module
        {
            [Shape(6, 4)] internal Parameter Embedding { get; } = new(new Tensor(6, 4));
            [Shape(12, 4)] internal Parameter Weight { get; } = new(new Tensor(12, 4));
            [Shape(12)] internal Parameter Bias { get; } = new(new Tensor(12));

            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 3)] Tensor c0, [Shape("N")] Labels tokens, [Shape("N", 2)] Labels pick)
            {
                var emb = IndexSelect(Embedding, 0, tokens);
                Tensor[] gates = Chunk(Linear(emb, Weight, Bias), 4, 1);
                var c = Sigmoid(gates[1]) * c0 + Sigmoid(gates[0]) * Tanh(gates[2]);
                var h = Sigmoid(gates[3]) * Tanh(c);
                var everyOther = h.Slice(1, 0, int.MaxValue, 2);
                var parts = Split(h, new int[] { 1, 2 }, 1);
                return Sum(Gather(h, 1, pick)) * 0.5f + Mean(everyOther * everyOther) + Mean(parts[0] * parts[1]);
            }
        }
        """;

    [Fact]
    public void GeneratedCodeNamesThePiecesAndChecksIndicesByArgument()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + Source);
        Assert.Empty(run.GeneratorDiagnostics);
        string code = run.Files["Cell.Loss.g.cs"];
        Assert.Contains("// gates1 = ", code, StringComparison.Ordinal);
        Assert.Contains("// everyOther = h[0:3:2 on axis 1]", code, StringComparison.Ordinal);
        Assert.Contains("Indexing.Gather(h, [N, 3], 1, ", code, StringComparison.Ordinal);
        Assert.Contains(", \"pick\");", code, StringComparison.Ordinal);
        Assert.Contains("Indexing.ScatterAdd(", code, StringComparison.Ordinal);
        Assert.Contains("Indexing.IndexAdd(", code, StringComparison.Ordinal);
        Assert.Contains(", \"tokens\");", code, StringComparison.Ordinal);
    }

    [Fact]
    public void LossAndGradientsMatchPyTorch()
    {
        using var fixture = ModelFixture.Load("GatedIndexing");
        Module model = InMemoryModels.New(InMemoryModels.Build(Source), "Cell");
        fixture.LoadParameters(model, sameNames: false);
        var c0 = fixture.Tensor("c0");
        var tokens = fixture.Labels("tokens");
        var pick = fixture.Labels("pick");
        var dc0 = new Tensor(c0.Shape.ToArray());
        dc0.Span.Fill(float.NaN);

        float loss = (float)InMemoryModels.Call(model, "LossStep", c0, tokens, pick, dc0)!;
        Assert.Equal(((Tensor)InMemoryModels.Call(model, "Loss", c0, tokens, pick)!)[0], loss, 5);
        var actual = ModelFixture.Gradients(model);
        actual["c0"] = dc0;
        fixture.AssertMatches(loss, actual);
        // Tokens 0, 2, 3 and 5 are never embedded: their rows get exactly zero.
        Assert.All(new[] { 0, 2, 3, 5 }.SelectMany(row => Enumerable.Range(row * 4, 4)), i => Assert.Equal(0f, actual["Embedding"][i]));

        // After warm-up the step allocates nothing: slices, pieces, gathers and their scatters all run in the planned workspace.
        var step = model.GetType().GetMethod("LossStep")!.CreateDelegate<Func<Tensor, Labels, Labels, Tensor, GradientWrite, float>>(model);
        step(c0, tokens, pick, dc0, default);
        long fewest = long.MaxValue;
        for (int round = 0; round < 4; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++)
            {
                step(c0, tokens, pick, dc0, default);
            }
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, fewest);
    }
}
