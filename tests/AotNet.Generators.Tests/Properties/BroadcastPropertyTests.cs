using System.Globalization;
using System.Reflection;
using System.Text;
using AotNet.Generators.Tests.Support;
using CsCheck;

namespace AotNet.Generators.Tests.Properties;

/// <summary>
/// Property tests of broadcasting binary ops over ranks 0–4. Shapes are fixed at build time, so a
/// bounded set of models is compiled once, each a broadcasting pattern (which axes of each operand
/// are a literal 1, and how many leading axes it lacks); CsCheck then draws the symbolic sizes
/// and the values when the code runs. For every draw the generated forward equals the eager op,
/// and the generated step's gradients equal the exact ones, summed back over broadcast axes.
/// </summary>
public class BroadcastPropertyTests
{
    static readonly string[] Ops = ["Add", "Sub", "Mul", "Div"];

    /// <summary>A pattern: output rank, and per operand its rank and which of its axes are a literal 1.</summary>
    sealed record Pattern(int Id, string Op, int Rank, bool[] AOnes, bool[] BOnes)
    {
        public string Class => $"P{Id}";

        /// <summary>The output axis of operand axis j, aligned from the right.</summary>
        public int Axis(bool[] ones, int j) => Rank - ones.Length + j;

        public string ShapeOf(bool[] ones) => Attribute(ones.Select((one, j) => one ? "1" : $"\"D{Axis(ones, j)}\""));

        /// <summary>The output's axes (of the <see cref="Rank"/> possible): as many as the longer operand has.</summary>
        public IEnumerable<int> OutputAxes => Enumerable.Range(Rank - Math.Max(AOnes.Length, BOnes.Length), Math.Max(AOnes.Length, BOnes.Length));

        /// <summary>Whether output axis <paramref name="axis"/> has its symbol's size: some operand has it and not as a 1.</summary>
        public bool Carries(int axis) => Has(AOnes, axis) || Has(BOnes, axis);

        bool Has(bool[] ones, int axis) => axis - (Rank - ones.Length) is int j && j >= 0 && !ones[j];

        public string OutputShape => Attribute(OutputAxes.Select(axis => Carries(axis) ? $"\"D{axis}\"" : "1"));

        static string Attribute(IEnumerable<string> dims) => dims.Any() ? $"Shape({string.Join(", ", dims)})" : "Shape";
    }

    static readonly Lazy<(Assembly Assembly, IReadOnlyList<Pattern> Patterns)> Compiled = new(Compile);

    static (Assembly, IReadOnlyList<Pattern>) Compile()
    {
        // A fixed sample of the patterns, so the set of compiled models is bounded and the same every run.
        var rng = new Random(20261201);
        var patterns = new List<Pattern>();
        for (int rank = 0; rank <= 4; rank++)
        {
            for (int k = 0; k < (rank == 0 ? 1 : 6); k++)
            {
                bool[] Operand()
                {
                    int operandRank = rng.Next(0, rank + 1);
                    return Enumerable.Range(0, operandRank).Select(_ => rng.Next(3) == 0).ToArray();
                }
                patterns.Add(new Pattern(patterns.Count, Ops[patterns.Count % Ops.Length], rank, Operand(), k == 0 ? Enumerable.Repeat(false, rank).ToArray() : Operand()));
            }
        }
        var source = new StringBuilder();
        foreach (var p in patterns)
        {
            source.Append($$"""
                public sealed partial class {{p.Class}}
                {
                    [Differentiable]
                    public Tensor Forward([{{p.ShapeOf(p.AOnes)}}] Tensor a, [{{p.ShapeOf(p.BOnes)}}] Tensor b) => {{p.Op}}(a, b);

                    [Differentiable]
                    public Tensor Loss([RequiresGrad, {{p.ShapeOf(p.AOnes)}}] Tensor a, [RequiresGrad, {{p.ShapeOf(p.BOnes)}}] Tensor b, [{{p.OutputShape}}] Tensor w) => Sum({{p.Op}}(a, b) * w);
                }

                """);
        }
        return (InMemoryModels.Build(source.ToString()), patterns);
    }

    [Fact]
    public void GeneratedForwardAndGradientsMatchTheExactValuesForEveryDraw()
    {
        var (assembly, patterns) = Compiled.Value;
        var draws = Gen.Select(Gen.Int[0, patterns.Count - 1], Gen.Int[1, 4].Array[4], Gen.UInt);
        draws.Sample((index, sizes, seed) => Check(assembly, patterns[index], sizes, seed), iter: 300, threads: 1);
    }

    static void Check(Assembly assembly, Pattern p, int[] sizes, uint seed)
    {
        var values = new Rng(seed);
        int[] shapeOut = p.OutputAxes.Select(axis => p.Carries(axis) ? sizes[axis] : 1).ToArray();
        int[] ShapeOf(bool[] ones) => ones.Select((one, j) => one ? 1 : sizes[p.Axis(ones, j)]).ToArray();
        Tensor Draw(int[] shape, bool awayFromZero) => new(Enumerable.Range(0, Product(shape)).Select(_ =>
        {
            float v = values.NextFloat() * 2 - 1;
            return awayFromZero ? (v < 0 ? v - 0.5f : v + 0.5f) : v;
        }).ToArray(), shape);
        var a = Draw(ShapeOf(p.AOnes), false);
        var b = Draw(ShapeOf(p.BOnes), p.Op == "Div");
        var w = Draw(shapeOut, false);
        string where = $"{p.Op} of {Format(a.Shape)} and {Format(b.Shape)} (pattern {p.Id})";

        object model = Activator.CreateInstance(assembly.GetType(p.Class)!)!;
        var compiled = (Tensor)InMemoryModels.Call(model, "ForwardCompiled", a, b)!;
        var eager = (Tensor)typeof(F).GetMethod(p.Op, [typeof(Tensor), typeof(Tensor)])!.Invoke(null, [a, b])!;
        Assert.Equal(shapeOut, compiled.Shape.ToArray());
        Assert.Equal(eager.Shape.ToArray(), compiled.Shape.ToArray());

        var aGrad = new Tensor(a.Shape.ToArray());
        var bGrad = new Tensor(b.Shape.ToArray());
        aGrad.Span.Fill(float.NaN);
        bGrad.Span.Fill(float.NaN);
        float loss = (float)InMemoryModels.Call(model, "LossStep", a, b, w, aGrad, bGrad)!;

        // The exact values, in double: y = op(a, b) at every output element; da, db summed over broadcast axes.
        var expectedA = new double[a.Length];
        var expectedB = new double[b.Length];
        double expectedLoss = 0;
        for (int o = 0; o < Product(shapeOut); o++)
        {
            int ia = Offset(o, shapeOut, p.AOnes, a.Shape), ib = Offset(o, shapeOut, p.BOnes, b.Shape);
            double x = a[ia], y = b[ib], g = w[o];
            (double value, double dx, double dy) = p.Op switch
            {
                "Add" => (x + y, 1, 1),
                "Sub" => (x - y, 1, -1),
                "Mul" => (x * y, y, x),
                _ => (x / y, 1 / y, -x / (y * y)),
            };
            Assert.True(Close(compiled[o], value, 1e-6) && Close(eager[o], value, 1e-6), $"{where}: element {o} is {compiled[o]} (eager {eager[o]}), expected {value}");
            expectedLoss += value * g;
            expectedA[ia] += g * dx;
            expectedB[ib] += g * dy;
        }
        Assert.True(Close(loss, expectedLoss, 1e-5), $"{where}: loss {loss}, expected {expectedLoss}");
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(Close(aGrad[i], expectedA[i], 1e-4), $"{where}: da[{i}] = {aGrad[i]}, expected {expectedA[i]}");
        }
        for (int i = 0; i < b.Length; i++)
        {
            Assert.True(Close(bGrad[i], expectedB[i], 1e-4), $"{where}: db[{i}] = {bGrad[i]}, expected {expectedB[i]}");
        }
    }

    /// <summary>The flat index into an operand for output element <paramref name="o"/>: its coordinates, with broadcast axes at 0.</summary>
    static int Offset(int o, int[] shapeOut, bool[] ones, ReadOnlySpan<int> operandShape)
    {
        int offset = 0;
        for (int j = 0; j < ones.Length; j++)
        {
            // Operand axis j is output axis j + (output rank − operand rank), both aligned from the right.
            int axis = j + shapeOut.Length - ones.Length;
            int stride = Product(shapeOut.Skip(axis + 1));
            int coordinate = o / stride % shapeOut[axis];
            offset = offset * operandShape[j] + (operandShape[j] == 1 ? 0 : coordinate);
        }
        return offset;
    }

    static bool Close(double actual, double expected, double tolerance) => Math.Abs(actual - expected) <= tolerance * (1 + Math.Abs(expected));

    static int Product(IEnumerable<int> dims) => dims.Aggregate(1, (x, y) => x * y);

    static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray().Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
