using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using AotNet.Generators.Passes;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

public class FusionTests
{
    [Fact]
    public void AnElementwiseChainBecomesOneLoop()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int b = Parameter(graph, parameters, "b", S(4));
        int sum = graph.Add(x, b);
        int relu = graph.Apply(OpTable.Relu, sum);
        int tanh = graph.Apply(OpTable.Tanh, relu);

        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [tanh]));

        var fused = Assert.IsType<FusedStep>(Assert.Single(steps));
        Assert.Equal([sum, relu, tanh], fused.Members.Select(m => m.Id));
        Assert.Equal([x, b], fused.Reads.OrderBy(id => id));
    }

    [Fact]
    public void AValueOnlyLoopsReadIsRecomputedInEachNotStored()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int relu = graph.Apply(OpTable.Relu, x);
        int product = graph.Mul(relu, x);
        int sum = graph.Add(product, relu);

        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [sum]));

        var fused = Assert.IsType<FusedStep>(Assert.Single(steps));
        Assert.Equal([relu, product, sum], fused.Members.Select(m => m.Id).Order());
        Assert.Equal([x], fused.Reads);
    }

    [Fact]
    public void AValueAKernelAlsoReadsIsStored()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int w = Parameter(graph, parameters, "w", S(4, 3));
        int tanh = graph.Apply(OpTable.Tanh, x);
        int product = Gemm(graph, tanh, w);
        int square = graph.Mul(tanh, tanh);
        int total = graph.Add(SumAll(graph, product), SumAll(graph, square));

        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [total]));

        Assert.Contains(steps, s => s.Output == tanh);
        Assert.Contains(steps, s => s is FusedStep f && f.Output == square && f.Reads.Contains(tanh));
    }

    [Fact]
    public void AGemmAbsorbsItsBiasAndReluAsAnEpilogue()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int w = Parameter(graph, parameters, "w", S(3, 4));
        int b = Parameter(graph, parameters, "b", S(3));
        int product = Gemm(graph, x, w, transposeB: true);
        int biased = graph.Add(product, b);
        int relu = graph.Apply(OpTable.Relu, biased);

        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [relu]));

        var gemm = Assert.IsType<KernelStep>(Assert.Single(steps));
        Assert.Equal(product, gemm.Node.Id);
        Assert.Equal(b, gemm.Bias);
        Assert.Equal("Relu", gemm.Activation);
        Assert.Equal(relu, gemm.Output);
    }

    [Fact]
    public void AGemmOutputTheCallerWantsKeepsItsOwnStep()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int w = Parameter(graph, parameters, "w", S(3, 4));
        int product = Gemm(graph, x, w, transposeB: true);
        int relu = graph.Apply(OpTable.Relu, product);

        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [relu, product]));

        Assert.Equal(2, steps.Count);
        Assert.Null(Assert.IsType<KernelStep>(steps[0]).Activation);
    }

    [Fact]
    public void DeadNodesAreNotScheduled()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int unused = graph.Apply(OpTable.Tanh, x);
        int kept = graph.Apply(OpTable.Relu, x);

        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [kept]));

        Assert.DoesNotContain(steps, s => s.Output == unused);
        Assert.Equal(kept, Assert.Single(steps).Output);
    }

    [Fact]
    public void AMaskFeedingOneSelectFusesIntoItsLoop()
    {
        // Relu's VJP is where(y > 0, dy, 0): the mask is never materialised.
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int dy = Input(graph, inputs, "dy", S("N", 4));
        int mask = graph.GreaterThan(x, graph.Constant(0f));
        int selected = graph.Where(mask, dy, graph.Constant(0f));

        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [selected]));

        var fused = Assert.IsType<FusedStep>(Assert.Single(steps));
        Assert.Contains(fused.Members, m => m.Id == mask);
        Assert.Equal([x, dy], fused.Reads.OrderBy(id => id));
    }
}
