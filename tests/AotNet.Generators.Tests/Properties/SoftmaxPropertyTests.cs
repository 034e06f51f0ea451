using System.Reflection;
using System.Text;
using AotNet.Generators.Tests.Support;
using CsCheck;
using static AotNet.Generators.Tests.Properties.PropertyChecks;

namespace AotNet.Generators.Tests.Properties;

/// <summary>
/// Property tests of Softmax and LogSoftmax on every axis of ranks 1–4. Every (rank, axis) is a
/// model compiled once, its axes symbolic, with a forward per op and one loss
/// Σ w₀ ⊙ softmax(x) + Σ w₁ ⊙ log_softmax(x); CsCheck draws the sizes (1 to 4; over a size-1 axis
/// softmax is 1 and its gradient 0) and the values. For every draw and op the generated forward
/// equals the eager one, and with the other op's weight at 0 the step's gradients equal central
/// differences of the eager Σ w ⊙ op(x).
/// </summary>
public class SoftmaxPropertyTests
{
    public static readonly string[] Ops = ["Softmax", "LogSoftmax"];

    /// <summary>
    /// One model. <paramref name="Dim"/> is the axis as the calls write it: null (the default, the
    /// last), the axis, or the axis counted from the end.
    /// </summary>
    sealed record Case(int Id, int Rank, int Axis, int? Dim)
    {
        public string Class => $"S{Id}";

        public string Call(string op) => Dim is int dim ? $"{op}(x, {dim})" : $"{op}(x)";

        public string Shape => ShapeAttribute(Enumerable.Range(0, Rank).Select(axis => $"\"D{axis}\""));

        public override string ToString() => $"rank {Rank}, axis {Axis}";
    }

    static readonly Lazy<(Assembly Assembly, IReadOnlyList<Case> Cases)> Compiled = new(Compile);

    static (Assembly, IReadOnlyList<Case>) Compile()
    {
        var cases = new List<Case>();
        for (int rank = 1; rank <= 4; rank++)
        {
            for (int axis = 0; axis < rank; axis++)
            {
                int? dim = ((rank + axis) % 3) switch
                {
                    0 when axis == rank - 1 => null,
                    0 or 1 => axis,
                    _ => axis - rank,
                };
                cases.Add(new Case(cases.Count, rank, axis, dim));
            }
        }
        var source = new StringBuilder();
        foreach (var c in cases)
        {
            source.Append($$"""
                public sealed partial class {{c.Class}}
                {
                    [Differentiable]
                    public Tensor ForwardSoftmax([{{c.Shape}}] Tensor x) => {{c.Call("Softmax")}};

                    [Differentiable]
                    public Tensor ForwardLogSoftmax([{{c.Shape}}] Tensor x) => {{c.Call("LogSoftmax")}};

                    [Differentiable]
                    public Tensor Loss([RequiresGrad, {{c.Shape}}] Tensor x, [{{c.Shape}}] Tensor w0, [{{c.Shape}}] Tensor w1) =>
                        Sum(Mul({{c.Call("Softmax")}}, w0)) + Sum(Mul({{c.Call("LogSoftmax")}}, w1));
                }

                """);
        }
        return (InMemoryModels.Build(source.ToString()), cases);
    }

    public static TheoryData<string> OpNames() => new(Ops);

    [Theory]
    [MemberData(nameof(OpNames))]
    public void GeneratedEqualsEagerAndGradientsMatchFiniteDifferences(string op)
    {
        var (assembly, cases) = Compiled.Value;
        int draws = 0, informative = 0;
        foreach (var c in cases)
        {
            object model = Activator.CreateInstance(assembly.GetType(c.Class)!)!;
            Gen.Select(Gen.Int[1, 4].Array[4], Gen.UInt).Sample((sizes, seed) =>
            {
                draws++;
                informative += Check(model, c, op, sizes, seed) ? 1 : 0;
            }, iter: 12, threads: 1);
        }
        Assert.True(informative > draws / 2, $"only {informative} of {draws} draws had a gradient to check");
    }

    static bool Check(object model, Case c, string op, int[] sizes, uint seed)
    {
        var rng = new Rng(seed);
        int[] shape = sizes[..c.Rank];
        var x = Uniform(rng, shape, -2, 2);
        var w = AwayFromZero(rng, shape);
        string where = $"{c.Call(op)}, {c} at {Format(shape)} (model {c.Id}, values seed {seed})";

        var generated = (Tensor)InMemoryModels.Call(model, $"Forward{op}Compiled", x)!;
        var eager = (Tensor)InMemoryModels.Call(model, $"Forward{op}", x)!;
        Assert.Equal(shape, eager.Shape.ToArray());
        AssertSameValues(generated, eager, where);

        var zero = new Tensor(shape);
        var target = Target("x", x);
        return CheckGradients(
            () =>
            {
                var y = (Tensor)InMemoryModels.Call(model, $"Forward{op}", x)!;
                double sum = 0;
                for (int i = 0; i < y.Length; i++)
                {
                    sum += (double)y[i] * w[i];
                }
                return (float)sum;
            },
            () => InMemoryModels.Call(model, "LossStep", x, op == "Softmax" ? w : zero, op == "Softmax" ? zero : w, target.Grad),
            [target], where);
    }
}
