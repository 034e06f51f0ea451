using AotNet.Generators.Emit;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

public class BroadcastIndexTests
{
    [Theory]
    [InlineData(new object[] { "N", 8 }, "i")]
    [InlineData(new object[] { 8 }, "i % 8")]
    [InlineData(new object[] { 1, 8 }, "i % 8")]
    [InlineData(new object[] { "N", 1 }, "i / 8")]
    [InlineData(new object[] { }, "0")]
    [InlineData(new object[] { 1, 1 }, "0")]
    public void IndexesAnOperandBroadcastToNBy8(object[] operand, string expected) =>
        Assert.Equal(expected, BroadcastIndex.For(S(operand), S("N", 8), "i"));

    [Theory]
    [InlineData(new object[] { 3, 1 }, "(i / 4) % 3")]
    [InlineData(new object[] { 3, 4 }, "((i / 4) % 3) * 4 + i % 4")]
    [InlineData(new object[] { 2, 1, 4 }, "(i / 12) * 4 + i % 4")]
    public void RankThreeOutputsCombineDivisionModuloAndStride(object[] operand, string expected) =>
        Assert.Equal(expected, BroadcastIndex.For(S(operand), S(2, 3, 4), "i"));

    [Fact]
    public void UsesTheLoopIndexItIsGiven() =>
        Assert.Equal("i_ % 8", BroadcastIndex.For(S(8), S("N", 8), "i_"));

    [Fact]
    public void ExplicitOperandAxesPlaceAReducedValue() =>
        // A row sum [N] spread back over [N, 8]: its one axis is output axis 0.
        Assert.Equal("i / 8", BroadcastIndex.For(S("N"), S("N", 8), "i", [0]));

    [Fact]
    public void SymbolicStridesAreParenthesised() =>
        Assert.Equal("i / (C * H)", BroadcastIndex.For(S("N", 1, 1), S("N", "C", "H"), "i"));
}
