using System.Reflection;
using System.Text;
using AotNet.Generators.Tests.Support;
using CsCheck;
using static AotNet.Generators.Tests.Properties.PropertyChecks;

namespace AotNet.Generators.Tests.Properties;

/// <summary>
/// Property tests of every broadcasting binary op (+, −, ×, ÷, Maximum, Minimum, Pow, and Where
/// on a comparison mask) over ranks 0–4, against the eager method and finite differences of its
/// loss. As in <see cref="BroadcastPropertyTests"/>, each model is a broadcasting pattern compiled
/// once (which axes of each operand are a literal 1, how many leading axes it lacks) and CsCheck
/// draws the symbolic sizes and the values. Where takes three operands:
/// <c>Where(Cmp(a, c), a, b)</c>, the mask broadcast from a and c, which has no gradient.
/// </summary>
public class BroadcastOpPropertyTests
{
    public static readonly string[] Ops = ["Add", "Sub", "Mul", "Div", "Maximum", "Minimum", "Pow", "Greater", "Less", "GreaterEqual", "LessEqual"];

    static bool IsWhere(string op) => op is "Greater" or "Less" or "GreaterEqual" or "LessEqual";

    /// <summary>A pattern: output rank, and per operand (a, b, and c for Where) which of its axes are a literal 1.</summary>
    sealed record Pattern(int Id, string Op, int Rank, bool[][] Operands)
    {
        public string Class => $"B{Id}";

        public static readonly string[] Names = ["a", "b", "c"];

        /// <summary>The output axis of operand axis j, aligned from the right.</summary>
        public int Axis(bool[] ones, int j) => Rank - ones.Length + j;

        public string ShapeOf(bool[] ones) => ShapeAttribute(ones.Select((one, j) => one ? "1" : $"\"D{Axis(ones, j)}\""));

        int OutputRank => Operands.Max(o => o.Length);

        public IEnumerable<int> OutputAxes => Enumerable.Range(Rank - OutputRank, OutputRank);

        /// <summary>Whether output axis <paramref name="axis"/> has its symbol's size: some operand has it and not as a 1.</summary>
        public bool Carries(int axis) => Operands.Any(ones => axis - (Rank - ones.Length) is int j && j >= 0 && !ones[j]);

        public string OutputShape => ShapeAttribute(OutputAxes.Select(axis => Carries(axis) ? $"\"D{axis}\"" : "1"));

        public string Call => IsWhere(Op) ? $"Where({Op}(a, c), a, b)" : $"{Op}(a, b)";

        public string Parameters(bool grad) => string.Join(", ", Operands.Select((ones, k) =>
            $"[{(grad && k < 2 ? "RequiresGrad, " : "")}{ShapeOf(ones)}] Tensor {Names[k]}"));

        public override string ToString() => $"{Call} (pattern {Id})";
    }

    static readonly Lazy<(Assembly Assembly, IReadOnlyList<Pattern> Patterns)> Compiled = new(Compile);

    static (Assembly, IReadOnlyList<Pattern>) Compile()
    {
        // A fixed sample of the patterns, so the set of compiled models is bounded and the same every run.
        var rng = new Random(20261202);
        var patterns = new List<Pattern>();
        foreach (string op in Ops)
        {
            for (int rank = 0; rank <= 4; rank++)
            {
                for (int k = 0; k < (rank == 0 ? 1 : 3); k++)
                {
                    bool[] Operand(bool full) => full
                        ? new bool[rank]
                        : Enumerable.Range(0, rng.Next(0, rank + 1)).Select(_ => rng.Next(3) == 0).ToArray();
                    int count = IsWhere(op) ? 3 : 2;
                    // The first pattern of each rank has one operand of the full shape, the others any broadcastable pair.
                    var operands = Enumerable.Range(0, count).Select(j => Operand(k == 0 && j == rank % count)).ToArray();
                    patterns.Add(new Pattern(patterns.Count, op, rank, operands));
                }
            }
        }
        var source = new StringBuilder();
        foreach (var p in patterns)
        {
            source.Append($$"""
                public sealed partial class {{p.Class}}
                {
                    [Differentiable]
                    public Tensor Forward({{p.Parameters(grad: false)}}) => {{p.Call}};

                    [Differentiable]
                    public Tensor Loss({{p.Parameters(grad: true)}}, [{{p.OutputShape}}] Tensor w) => Sum(Mul({{p.Call}}, w));
                }

                """);
        }
        return (InMemoryModels.Build(source.ToString()), patterns);
    }

    public static TheoryData<string> OpNames() => new(Ops);

    [Theory]
    [MemberData(nameof(OpNames))]
    public void GeneratedEqualsEagerAndGradientsMatchFiniteDifferences(string op)
    {
        var (assembly, patterns) = Compiled.Value;
        int draws = 0, informative = 0;
        foreach (var p in patterns.Where(p => p.Op == op))
        {
            object model = Activator.CreateInstance(assembly.GetType(p.Class)!)!;
            Gen.Select(Gen.Int[1, MaxSize].Array[4], Gen.UInt).Sample((sizes, seed) =>
            {
                draws++;
                informative += Check(model, p, sizes, seed) ? 1 : 0;
            }, iter: 10, threads: 1);
        }
        Assert.True(informative > draws / 2, $"only {informative} of {draws} draws had a gradient to check");
    }

    static bool Check(object model, Pattern p, int[] sizes, uint seed)
    {
        var rng = new Rng(seed);
        int[] ShapeOf(bool[] ones) => ones.Select((one, j) => one ? 1 : sizes[p.Axis(ones, j)]).ToArray();
        int[] outputShape = p.OutputAxes.Select(axis => p.Carries(axis) ? sizes[axis] : 1).ToArray();
        int[] sa = ShapeOf(p.Operands[0]), sb = ShapeOf(p.Operands[1]);
        // Values that keep every difference smooth: a divisor away from 0, a positive base, and for
        // Maximum, Minimum and the masks operands on interleaved grids that never come within 0.05.
        var (a, b) = p.Op switch
        {
            "Div" => (Uniform(rng, sa, -1, 1), AwayFromZero(rng, sb)),
            "Pow" => (Uniform(rng, sa, 0.5f, 1.5f), Uniform(rng, sb, -1.5f, 1.5f)),
            "Maximum" or "Minimum" => (Grid(rng, sa, 0), Grid(rng, sb, 0.05)),
            _ when IsWhere(p.Op) => (Grid(rng, sa, 0), Uniform(rng, sb, -1, 1)),
            _ => (Uniform(rng, sa, -1, 1), Uniform(rng, sb, -1, 1)),
        };
        Tensor[] inputs = IsWhere(p.Op) ? [a, b, Grid(rng, ShapeOf(p.Operands[2]), 0.05)] : [a, b];
        var w = AwayFromZero(rng, outputShape);
        string where = $"{p} of {string.Join(" and ", inputs.Select(t => Format(t.Shape)))} (values seed {seed})";

        var generated = (Tensor)InMemoryModels.Call(model, "ForwardCompiled", inputs)!;
        var eager = (Tensor)InMemoryModels.Call(model, "Forward", inputs)!;
        Assert.Equal(outputShape, eager.Shape.ToArray());
        AssertSameValues(generated, eager, where);

        GradTarget[] targets = [Target("a", a), Target("b", b)];
        return CheckGradients(
            () => ((Tensor)InMemoryModels.Call(model, "Loss", [.. inputs, w])!)[0],
            () => InMemoryModels.Call(model, "LossStep", [.. inputs, w, .. targets.Select(t => t.Grad)]),
            targets, where);
    }
}
