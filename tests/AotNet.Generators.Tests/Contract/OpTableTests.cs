using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// Every entry of <see cref="OpTable.All"/> has the parts the passes need: a math text for the
/// generated comments, a scalar or kernel rule to emit it (leaves and projections emit nothing),
/// and a VJP when its output is float and it can sit on a path that reverse mode walks.
/// </summary>
public class OpTableTests
{
    /// <summary>Entries whose math text is the default (their operands), with the reason that is right.</summary>
    static readonly IReadOnlyDictionary<string, string> DefaultMathIsRight = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Copy"] = "a copy's math is its operand, which the default text is",
    };

    /// <summary>Entries that only a VJP emits, so nothing differentiates through them, with the reason.</summary>
    static readonly IReadOnlyDictionary<string, string> BackwardOnly = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CrossEntropyBackward"] = "the VJP of CrossEntropy emits it; second derivatives are not supported",
        ["GeluGrad"] = "the VJP of Gelu emits it; second derivatives are not supported",
        ["BinaryCrossEntropyGradient"] = "the VJP of BinaryCrossEntropy emits it; second derivatives are not supported",
        ["EmbeddingBackward"] = "the VJP of Embedding emits it for the table; second derivatives are not supported",
        ["LoopBackward"] = "the VJP of Loop emits it: each body's own step, recomputed from its saved input; second derivatives are not supported",
    };

    /// <summary>Entries that read only their input's shape, never its values, so nothing flows back through them, with the reason.</summary>
    static readonly IReadOnlyDictionary<string, string> ReadsNoValues = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DropoutMask"] = "a random mask of x's shape, a constant of the step; the gradient flows through the multiply by it",
    };

    /// <summary>Entries whose result is integer (indices) for any input, so they have no gradient, with the reason.</summary>
    static readonly IReadOnlyDictionary<string, string> IntegerResult = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Argmax"] = "its result is Int32 indices whatever its attributes, as PyTorch's argmax, which has no gradient either",
    };

    public static TheoryData<string> Entries() => new(OpTable.All.Select(op => op.Name));

    [Theory]
    [MemberData(nameof(Entries))]
    public void EntryHasEveryPartItNeeds(string name)
    {
        var op = OpTable.All.Single(o => o.Name == name);
        Assert.Empty(MissingParts(op));
    }

    /// <summary>An elementwise op without a vector rule would quietly keep every loop it joins scalar.</summary>
    [Fact]
    public void EveryElementwiseEntryHasAVectorRule() =>
        Assert.Empty(OpTable.All.Where(op => op.Scalar is not null && op.Vector is null).Select(op => op.Name));

    [Fact]
    public void EntryNamesAreUnique() => Assert.Equal(OpTable.All.Count, OpTable.All.Select(op => op.Name).Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public void EveryPrimitiveABindingLowersToIsInTheTable()
    {
        var names = OpTable.All.Select(op => op.Name).ToHashSet(StringComparer.Ordinal);
        var lowered = OpTable.Functions.Values.Concat(OpTable.Operators.Values).SelectMany(b => b.Ops).Select(op => op.Name);
        Assert.All(lowered, n => Assert.Contains(n, names));
    }

    [Fact]
    public void BackwardOnlyEntriesAreNotReachableFromUserCode()
    {
        var lowered = OpTable.Functions.Values.Concat(OpTable.Operators.Values).SelectMany(b => b.Ops).Select(op => op.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(BackwardOnly.Keys, name => Assert.DoesNotContain(name, lowered));
        Assert.All(BackwardOnly.Keys.Concat(DefaultMathIsRight.Keys), name => Assert.Contains(name, OpTable.All.Select(op => op.Name)));
    }

    [Fact]
    public void DefaultMathTextIsTheOperand() => Assert.All(DefaultMathIsRight.Keys, name =>
        Assert.Equal("x", OpTable.All.Single(op => op.Name == name).Math(["x"], NoAttributes.Instance)));

    /// <summary>The check itself: entries missing each part are reported.</summary>
    [Fact]
    public void MissingPartsAreReported()
    {
        static ShapeResult SameShape(ShapeContext context) => ShapeResult.Ok(context[0]);
        var bare = new OpDef("Bare", OpFamily.Elementwise, "no parts", SameShape);
        Assert.Equal(["a Math text", "a Scalar or a Kernel rule", "a Vjp"], MissingParts(bare));

        var noVjp = new OpDef("NoVjp", OpFamily.Elementwise, "", SameShape) { Scalar = static (o, _) => o[0], Math = static (o, _) => $"f({o[0]})" };
        Assert.Equal(["a Vjp"], MissingParts(noVjp));

        var mask = new OpDef("Mask", OpFamily.Elementwise, "", static c => ShapeResult.Ok(new TensorType(DType.Bool, c[0])))
        {
            Scalar = static (o, _) => $"({o[0]} > 0f)",
            Math = static (o, _) => $"{o[0]} > 0",
        };
        Assert.Empty(MissingParts(mask));

        var leaf = new OpDef("Leaf", OpFamily.Structural, "", SameShape) { IsLeaf = true };
        Assert.Empty(MissingParts(leaf));
    }

    static List<string> MissingParts(OpDef op)
    {
        var missing = new List<string>();
        if (op.IsLeaf || op.IsProjection)
        {
            return missing;
        }
        if (op.Math.Method == DefaultMath.Method && !DefaultMathIsRight.ContainsKey(op.Name))
        {
            missing.Add("a Math text");
        }
        // A view moves no data, so it has neither: its step only names its source's buffer anew.
        if (op.Scalar is null && op.Kernel is null && !op.IsView)
        {
            missing.Add("a Scalar or a Kernel rule");
        }
        if (op.Vjp is null && HasFloatOutput(op) && !BackwardOnly.ContainsKey(op.Name) && !IntegerResult.ContainsKey(op.Name) && !ReadsNoValues.ContainsKey(op.Name))
        {
            missing.Add("a Vjp");
        }
        return missing;
    }

    static readonly ScalarRule DefaultMath = new OpDef("Default", OpFamily.Structural, "", static _ => ShapeResult.Fail("")).Math;

    /// <summary>
    /// Whether the entry's output is float: its shape rule, asked about float [2, 3] operands
    /// (one, two or three of them, without attributes), gives only float outputs. Rules that
    /// need attributes cannot be asked this way; those entries (sums, GEMMs, constants) are float.
    /// </summary>
    static bool HasFloatOutput(OpDef op)
    {
        var operand = TensorType.Float(Shape.Of(Dim.Of(2), Dim.Of(3)));
        for (int arity = 1; arity <= 3; arity++)
        {
            ShapeResult result;
            try
            {
                result = op.Shape(new ShapeContext(op.Name, Enumerable.Repeat(operand, arity).ToList(), NoAttributes.Instance, []));
            }
            catch (Exception e) when (e is InvalidCastException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
            {
                continue;
            }
            if (result.Outputs is { } outputs && outputs.Any(t => t.DType != DType.Float32))
            {
                return false;
            }
        }
        return true;
    }
}
