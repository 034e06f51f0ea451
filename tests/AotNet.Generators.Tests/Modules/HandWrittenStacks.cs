namespace AotNet.Generators.Tests.Modules;

/// <summary>Stacks of residual blocks written out by hand, one field and one call per block: what a loop over a module list must agree with.</summary>
public static class HandWrittenStacks
{
    /// <summary>
    /// A model <paramref name="name"/> with a 5 → 8 stem, <paramref name="depth"/> blocks
    /// <c>new Residual(8, 16, seed: i{arguments(i)})</c> as <c>h = h + b{i}.Forward(h)</c>, and an 8 → 3 head.
    /// </summary>
    public static string Source(string name, int depth, Func<int, string> arguments)
    {
        var fields = string.Join("\n", Enumerable.Range(0, depth).Select(i => $"    internal readonly Residual b{i} = new(8, 16, seed: {i}{arguments(i)});"));
        var calls = string.Join("\n", Enumerable.Range(0, depth).Select(i => $"        h = h + b{i}.Forward(h);"));
        return $$"""
            public sealed partial class {{name}} : Module
            {
                readonly Linear stem = new(5, 8, rng: new Rng(7));
            {{fields}}
                readonly Linear head = new(8, 3, rng: new Rng(8));

                [Differentiable]
                public Tensor Loss([Shape("N", 5)] Tensor x, [Shape("N")] Labels y)
                {
                    var h = stem.Forward(x);
            {{calls}}
                    return CrossEntropy(head.Forward(h), y);
                }
            }
            """;
    }

    /// <summary>A batch of <paramref name="n"/> rows of 5 features and labels of 3 classes.</summary>
    public static (Tensor X, Labels Y) Batch(int n) =>
        (new Tensor(Enumerable.Range(0, n * 5).Select(i => 0.31f * ((i * 7) % 13) - 1.7f).ToArray(), n, 5),
         new Labels(Enumerable.Range(0, n).Select(i => i % 3).ToArray()));

    /// <summary>Asserts both models hold the same parameters in order with gradients within 1e-5 relative.</summary>
    public static void GradientsAgree(Module expected, Module actual)
    {
        var want = expected.NamedParameters();
        var got = actual.NamedParameters();
        Assert.Equal(want.Count, got.Count);
        for (int p = 0; p < got.Count; p++)
        {
            var e = want[p].Value.Grad.Span.ToArray();
            var a = got[p].Value.Grad.Span.ToArray();
            for (int i = 0; i < e.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - e[i]) <= 1e-5 * (1 + Math.Abs(e[i])), $"{got[p].Key}[{i}]: {a[i]} vs {e[i]}");
            }
        }
    }
}
