using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using AotNet.Generators.Shapes;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

public class ShapeRuleTests
{
    static (ShapeResult Result, List<DimRequirement> Requirements) Apply(OpDef op, OpAttributes attributes, params Shape[] shapes)
    {
        var requirements = new List<DimRequirement>();
        var context = new ShapeContext(op.Name, shapes.Select(TensorType.Float).ToList(), attributes, requirements);
        return (op.Shape(context), requirements);
    }

    static ShapeResult Broadcast(params Shape[] shapes) => Apply(OpTable.Add, NoAttributes.Instance, shapes).Result;

    static ShapeResult Gemm(Shape a, bool ta, Shape b, bool tb) => Apply(OpTable.MatMul, new GemmAttributes(ta, tb), a, b).Result;

    [Fact]
    public void BroadcastAlignsFromTheRight()
    {
        Assert.Equal("[N, 8]", Broadcast(S("N", 8), S(8)).Shape!.ToString());
        Assert.Equal("[N, 8]", Broadcast(S("N", 1), S(1, 8)).Shape!.ToString());
        Assert.Equal("[2, 3, 4]", Broadcast(S(2, 1, 4), S(3, 1)).Shape!.ToString());
    }

    [Fact]
    public void BroadcastRefusesUnequalConstantsAndNamesBothShapes()
    {
        var result = Broadcast(S("N", 3), S(4));
        Assert.Null(result.Shape);
        Assert.Contains("[N, 3]", result.Error);
        Assert.Contains("[4]", result.Error);
    }

    [Fact]
    public void ASymbolBroadcastsOnlyAgainstItselfOrALiteralOne()
    {
        Assert.Equal("[N, 3]", Broadcast(S("N", 3), S(1, 3)).Shape!.ToString());
        var (same, none) = Apply(OpTable.Add, NoAttributes.Instance, S("N", 3), S("N", 3));
        Assert.Equal("[N, 3]", same.Shape!.ToString());
        Assert.Empty(none);

        // Against another symbol or a constant other than 1, equality is checked when the code runs.
        var (other, checkN) = Apply(OpTable.Add, NoAttributes.Instance, S("N", 3), S("M", 3));
        Assert.Equal("[N, 3]", other.Shape!.ToString());
        Assert.Equal(("N", "M"), (checkN.Single().Left.Code, checkN.Single().Right.Code));
        var (five, checkFive) = Apply(OpTable.Add, NoAttributes.Instance, S("N", 3), S(5, 3));
        Assert.Equal("[5, 3]", five.Shape!.ToString());
        Assert.Equal("5", Assert.Single(checkFive).Right.Code);
    }

    [Fact]
    public void GemmReadsTransposedOperands()
    {
        Assert.Equal("[N, 5]", Gemm(S("N", 4), false, S(4, 5), false).Shape!.ToString());
        Assert.Equal("[4, 5]", Gemm(S("N", 4), true, S("N", 5), false).Shape!.ToString());
        Assert.Equal("[N, 3]", Gemm(S("N", 4), false, S(3, 4), true).Shape!.ToString());
        Assert.Equal("[4, 3]", Gemm(S("N", 4), true, S(3, "N"), true).Shape!.ToString());
    }

    [Fact]
    public void GemmRefusesMismatchedInnerDimensions()
    {
        var result = Gemm(S("N", 4), false, S(5, 3), false);
        Assert.Null(result.Shape);
        Assert.Contains("4 is not 5", result.Error);
    }

    [Fact]
    public void LinearNamesTheLayerAndTheFeatureCount()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 700));
        int good = Input(graph, inputs, "good", S("N", 784));
        int w = Parameter(graph, parameters, "w", S(256, 784));
        int b = Parameter(graph, parameters, "b", S(256));

        var result = OpTable.Functions["Linear"].Lower(graph, [x, w, b], CallConstants.None, null, "fc1");
        Assert.Contains("fc1 expects 784 input features", result.Error);
        var fine = OpTable.Functions["Linear"].Lower(graph, [good, w, b], CallConstants.None, null, "fc1");
        Assert.Equal("[N, 256]", graph.Shape(fine.Node).ToString());
    }

    [Fact]
    public void ReductionsDropOrKeepTheirAxes()
    {
        Assert.Equal("[N]", Apply(OpTable.Sum, new ReduceAttributes(new[] { 1 }.ToEquatableArray(), false), S("N", 4)).Result.Shape!.ToString());
        Assert.Equal("[N, 1]", Apply(OpTable.Mean, new ReduceAttributes(new[] { 1 }.ToEquatableArray(), true), S("N", 4)).Result.Shape!.ToString());
        Assert.Equal("[]", Apply(OpTable.Sum, new ReduceAttributes(new[] { 0, 1 }.ToEquatableArray(), false), S("N", 4)).Result.Shape!.ToString());
    }
}
