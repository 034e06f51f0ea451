using AotNet.Generators.Shapes;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

public class ShapeRuleTests
{
    [Fact]
    public void BroadcastAlignsFromTheRight()
    {
        Assert.Equal("[N, 8]", ShapeRules.Broadcast("Add", S("N", 8), S(8)).Shape!.ToString());
        Assert.Equal("[N, 8]", ShapeRules.Broadcast("Mul", S("N", 1), S(1, 8)).Shape!.ToString());
        Assert.Equal("[2, 3, 4]", ShapeRules.Broadcast("Add", S(2, 1, 4), S(3, 1)).Shape!.ToString());
    }

    [Fact]
    public void BroadcastRefusesUnequalDimensionsAndNamesBothShapes()
    {
        var result = ShapeRules.Broadcast("Add", S("N", 3), S(4));
        Assert.Null(result.Shape);
        Assert.Contains("[N, 3]", result.Error);
        Assert.Contains("[4]", result.Error);
    }

    [Fact]
    public void ASymbolMatchesOnlyItselfOrOne()
    {
        Assert.Null(ShapeRules.Broadcast("Add", S("N", 3), S("M", 3)).Shape);
        Assert.Null(ShapeRules.Broadcast("Add", S("N", 3), S(5, 3)).Shape);
        Assert.Equal("[N, 3]", ShapeRules.Broadcast("Add", S("N", 3), S(1, 3)).Shape!.ToString());
    }

    [Fact]
    public void GemmReadsTransposedOperands()
    {
        Assert.Equal("[N, 5]", ShapeRules.Gemm("MatMul", S("N", 4), false, S(4, 5), false).Shape!.ToString());
        Assert.Equal("[4, 5]", ShapeRules.Gemm("MatMul", S("N", 4), true, S("N", 5), false).Shape!.ToString());
        Assert.Equal("[N, 3]", ShapeRules.Gemm("Linear", S("N", 4), false, S(3, 4), true).Shape!.ToString());
        Assert.Equal("[4, 3]", ShapeRules.Gemm("MatMul", S("N", 4), true, S(3, "N"), true).Shape!.ToString());
    }

    [Fact]
    public void GemmRefusesMismatchedInnerDimensions()
    {
        var result = ShapeRules.Gemm("MatMul", S("N", 4), false, S(5, 3), false);
        Assert.Null(result.Shape);
        Assert.Contains("4 is not 5", result.Error);
    }

    [Fact]
    public void LinearNamesTheLayerAndTheFeatureCount()
    {
        var result = ShapeRules.Linear("fc1", S("N", 700), S(256, 784), S(256));
        Assert.Null(result.Shape);
        Assert.Contains("fc1 expects 784 input features", result.Error);
        Assert.Equal("[N, 256]", ShapeRules.Linear("fc1", S("N", 784), S(256, 784), S(256)).Shape!.ToString());
    }
}
