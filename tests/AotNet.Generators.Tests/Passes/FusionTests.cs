using AotNet.Generators.Graph;
using AotNet.Generators.Passes;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

public class FusionTests
{
    [Fact]
    public void AnElementwiseChainBecomesOneLoop()
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int b = Parameter(graph, parameters, "b", S(4));
        int sum = graph.Add(OpKind.Add, S("N", 4), x, b);
        int relu = graph.Add(OpKind.Relu, S("N", 4), sum);
        int tanh = graph.Add(OpKind.Tanh, S("N", 4), relu);

        var steps = Fusion.Schedule(graph.Nodes, new Uses(graph.Nodes, [tanh]));

        var fused = Assert.IsType<FusedStep>(Assert.Single(steps));
        Assert.Equal([sum, relu, tanh], fused.Members.Select(m => m.Id));
        Assert.Equal([x, b], fused.Reads.OrderBy(id => id));
    }

    [Fact]
    public void AValueReadTwiceIsMaterialisedNotFused()
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int relu = graph.Add(OpKind.Relu, S("N", 4), x);
        int product = graph.Add(OpKind.Mul, S("N", 4), relu, x);
        int sum = graph.Add(OpKind.Add, S("N", 4), product, relu);

        var steps = Fusion.Schedule(graph.Nodes, new Uses(graph.Nodes, [sum]));

        Assert.Equal(2, steps.Count);
        Assert.Equal(relu, steps[0].Output);
        Assert.Equal([product, sum], ((FusedStep)steps[1]).Members.Select(m => m.Id));
    }

    [Fact]
    public void AGemmAbsorbsItsBiasAndReluAsAnEpilogue()
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int w = Parameter(graph, parameters, "w", S(3, 4));
        int b = Parameter(graph, parameters, "b", S(3));
        int product = Gemm(graph, x, w, S("N", 3), transposeB: true);
        int biased = graph.Add(OpKind.Add, S("N", 3), product, b);
        int relu = graph.Add(OpKind.Relu, S("N", 3), biased);

        var steps = Fusion.Schedule(graph.Nodes, new Uses(graph.Nodes, [relu]));

        var gemm = Assert.IsType<GemmStep>(Assert.Single(steps));
        Assert.Equal(b, gemm.Bias);
        Assert.True(gemm.Relu);
        Assert.Equal(relu, gemm.Output);
    }

    [Fact]
    public void AGemmOutputTheCallerWantsKeepsItsOwnStep()
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int w = Parameter(graph, parameters, "w", S(3, 4));
        int product = Gemm(graph, x, w, S("N", 3), transposeB: true);
        int relu = graph.Add(OpKind.Relu, S("N", 3), product);

        var steps = Fusion.Schedule(graph.Nodes, new Uses(graph.Nodes, [relu, product]));

        Assert.Equal(2, steps.Count);
        Assert.False(Assert.IsType<GemmStep>(steps[0]).Relu);
    }

    [Fact]
    public void DeadNodesAreNotScheduled()
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int unused = graph.Add(OpKind.Tanh, S("N", 4), x);
        int kept = graph.Add(OpKind.Relu, S("N", 4), x);

        var steps = Fusion.Schedule(graph.Nodes, new Uses(graph.Nodes, [kept]));

        Assert.DoesNotContain(steps, s => s.Output == unused);
        Assert.Equal(kept, Assert.Single(steps).Output);
    }
}
