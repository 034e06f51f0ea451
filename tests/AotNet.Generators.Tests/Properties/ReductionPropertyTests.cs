using System.Reflection;
using System.Text;
using AotNet.Generators.Tests.Support;
using CsCheck;
using static AotNet.Generators.Tests.Properties.PropertyChecks;

namespace AotNet.Generators.Tests.Properties;

/// <summary>
/// Property tests of the reductions (Sum, Mean, Max, Min, Var and Std with and without Bessel's
/// correction, LogSumExp) over every subset of axes of ranks 0–4, with and without keepDim. Every
/// (rank, subset, keepDim) is a model compiled once, its axes symbolic, with a forward per op and
/// two losses Σ_op Σ w_op ⊙ op(x) that share one generated step each; CsCheck draws the sizes (1 to
/// 3, so one-element reductions and size-1 kept axes come up often) and the values. For every draw
/// and op the generated forward equals the eager one, and with every weight but the op's at 0 the
/// step's gradients equal central differences of the eager Σ w ⊙ op(x).
/// </summary>
public class ReductionPropertyTests
{
    /// <summary>The ops, as "Op" or "Op.biased" for Var and Std with unbiased: false.</summary>
    public static readonly string[] Variants = ["Sum", "Mean", "Max", "Min", "Var", "Var.biased", "Std", "Std.biased", "LogSumExp"];

    /// <summary>
    /// The ops whose gradient is NaN when only one element is reduced (n − 1 = 0, or a zero
    /// deviation divided by itself): a loss of theirs is NaN then, so they have a loss of their own.
    /// </summary>
    static readonly string[] Moments = ["Var", "Std", "Std.biased"];

    /// <summary>
    /// One model: <paramref name="Axes"/> in increasing order. <paramref name="Written"/> is how the
    /// calls name them: null (the default, every axis), or the list, some of it as negative axes.
    /// </summary>
    sealed record Case(int Id, int Rank, int[] Axes, int[]? Written, bool KeepDim)
    {
        public string Class => $"R{Id}";

        /// <summary>The losses: the smooth ops, and the moments when at least one axis is reduced (over none, their loss is always NaN).</summary>
        public IEnumerable<(string Name, string[] Variants)> Losses => Axes.Length == 0
            ? [("LossSmooth", Smooth)]
            : [("LossSmooth", Smooth), ("LossMoments", Moments)];

        static string[] Smooth => Variants.Except(Moments).ToArray();

        public static string Method(string variant) => "Forward" + variant.Replace(".biased", "Biased", StringComparison.Ordinal);

        public string Call(string variant)
        {
            string op = variant.Split('.')[0];
            var arguments = new List<string> { "x" };
            if (Written is not null)
            {
                arguments.Add($"[{string.Join(", ", Written)}]");
            }
            if (op is "Var" or "Std")
            {
                arguments.Add($"unbiased: {(variant.EndsWith(".biased", StringComparison.Ordinal) ? "false" : "true")}");
            }
            if (KeepDim)
            {
                arguments.Add("keepDim: true");
            }
            return $"{op}({string.Join(", ", arguments)})";
        }

        public string InputShape => ShapeAttribute(Enumerable.Range(0, Rank).Select(axis => $"\"D{axis}\""));

        public string OutputShape => ShapeAttribute(Enumerable.Range(0, Rank)
            .Where(axis => KeepDim || !Axes.Contains(axis))
            .Select(axis => Axes.Contains(axis) ? "1" : $"\"D{axis}\""));

        public override string ToString() => $"rank {Rank}, axes [{string.Join(", ", Axes)}]{(KeepDim ? ", keepDim" : "")}";
    }

    static readonly Lazy<(Assembly Assembly, IReadOnlyList<Case> Cases)> Compiled = new(Compile);

    static (Assembly, IReadOnlyList<Case>) Compile()
    {
        var cases = new List<Case>();
        for (int rank = 0; rank <= 4; rank++)
        {
            for (int subset = 0; subset < 1 << rank; subset++)
            {
                int[] axes = Enumerable.Range(0, rank).Where(axis => (subset & (1 << axis)) != 0).ToArray();
                foreach (bool keepDim in new[] { false, true })
                {
                    int id = cases.Count;
                    // Every axis is written as the default (null) in half the models, as the list in the others;
                    // every other list names its axes counting from the end.
                    int[]? written = axes.Length == rank && id % 2 == 0 ? null
                        : id % 4 < 2 ? axes : axes.Select(axis => axis - rank).ToArray();
                    cases.Add(new Case(id, rank, axes, written, keepDim));
                }
            }
        }
        var source = new StringBuilder();
        foreach (var c in cases)
        {
            source.Append($"public sealed partial class {c.Class}\n{{\n");
            foreach (string variant in Variants)
            {
                source.Append($"    [Differentiable]\n    public Tensor {Case.Method(variant)}([{c.InputShape}] Tensor x) => {c.Call(variant)};\n\n");
            }
            foreach (var (name, variants) in c.Losses)
            {
                string weights = string.Join(", ", variants.Select((_, k) => $"[{c.OutputShape}] Tensor w{k}"));
                string terms = string.Join(" + ", variants.Select((v, k) => $"Sum(Mul({c.Call(v)}, w{k}))"));
                source.Append($"    [Differentiable]\n    public Tensor {name}([RequiresGrad, {c.InputShape}] Tensor x, {weights}) => {terms};\n\n");
            }
            source.Append("}\n\n");
        }
        return (InMemoryModels.Build(source.ToString()), cases);
    }

    public static TheoryData<string> VariantNames() => new(Variants);

    [Theory]
    [MemberData(nameof(VariantNames))]
    public void GeneratedEqualsEagerAndGradientsMatchFiniteDifferences(string variant)
    {
        var (assembly, cases) = Compiled.Value;
        int draws = 0, informative = 0;
        foreach (var c in cases)
        {
            object model = Activator.CreateInstance(assembly.GetType(c.Class)!)!;
            Gen.Select(Gen.Int[1, MaxSize].Array[4], Gen.UInt).Sample((sizes, seed) =>
            {
                draws++;
                informative += Check(model, c, variant, sizes, seed) ? 1 : 0;
            }, iter: 3, threads: 1);
        }
        // Most draws must have a gradient that is not ~0 (a one-element Var has none), or the property proves little.
        Assert.True(informative > draws / 2, $"only {informative} of {draws} draws had a gradient to check");
    }

    /// <summary>Checks one op on one draw; returns whether its gradient check could have failed (the gradient is not ~0).</summary>
    static bool Check(object model, Case c, string variant, int[] sizes, uint seed)
    {
        var rng = new Rng(seed);
        int[] shape = sizes[..c.Rank];
        var x = Distinct(rng, shape);
        int[] outputShape = Enumerable.Range(0, c.Rank).Where(axis => c.KeepDim || !c.Axes.Contains(axis))
            .Select(axis => c.Axes.Contains(axis) ? 1 : shape[axis]).ToArray();
        var w = AwayFromZero(rng, outputShape);
        string where = $"{c.Call(variant)}, {c} at {Format(shape)} (model {c.Id}, values seed {seed})";

        string forward = Case.Method(variant);
        var generated = (Tensor)InMemoryModels.Call(model, forward + "Compiled", x)!;
        var eager = (Tensor)InMemoryModels.Call(model, forward, x)!;
        Assert.Equal(outputShape, eager.Shape.ToArray());
        AssertSameValues(generated, eager, where);

        bool moment = Moments.Contains(variant);
        int count = Product(c.Axes.Select(axis => shape[axis]));
        if (moment && count == 1)
        {
            // Var over one element is 0/0 (n − 1 = 0), NaN as in PyTorch, which the comparison above
            // requires of both paths; Std's gradient is 0/0 for either correction, so there is none to check.
            Assert.True(variant == "Std.biased" || eager.Span.ToArray().All(float.IsNaN), $"{where}: expected NaN, got {eager}");
            return false;
        }
        var (loss, variants) = c.Losses.Single(l => l.Variants.Contains(variant));
        var weights = variants.Select(v => v == variant ? w : new Tensor(outputShape)).ToArray();
        var target = Target("x", x);
        return CheckGradients(
            () =>
            {
                var y = (Tensor)InMemoryModels.Call(model, forward, x)!;
                double sum = 0;
                for (int i = 0; i < y.Length; i++)
                {
                    sum += (double)y[i] * w[i];
                }
                return (float)sum;
            },
            () => InMemoryModels.Call(model, loss + "Step", [x, .. weights, target.Grad]),
            [target], where);
    }
}
