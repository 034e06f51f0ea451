using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using AotNet.Generators.Passes;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

public class MemoryPlannerTests
{
    /// <summary>A log-softmax over the last axis: an op with a kernel, so the planner gives it a slot of its own.</summary>
    internal static int LogSoftmax(OpGraph graph, int x) => graph.Apply(OpTable.LogSoftmax, new AxisAttributes(graph.Shape(x).Rank - 1), x);

    [Fact]
    public void ValuesWithDisjointLifetimesShareSlots()
    {
        // A chain of four row-wise kernels: none runs in place, but each value dies one step
        // after it is made, so two slots suffice.
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int t1 = LogSoftmax(graph, x);
        int t2 = LogSoftmax(graph, t1);
        int t3 = LogSoftmax(graph, t2);
        int t4 = LogSoftmax(graph, t3);
        var uses = new Uses(graph.Builder.Nodes, [t4]);
        var steps = Fusion.Schedule(graph.Builder.Nodes, uses);
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "xValues") };

        var plan = MemoryPlanner.Plan(graph.Builder.Nodes, steps, external);

        Assert.Equal(2, plan.SlotCount);
        Assert.NotEqual(plan.Storage[t1].Slot, plan.Storage[t2].Slot);
        Assert.Equal(plan.Storage[t1].Slot, plan.Storage[t3].Slot);
        Assert.Equal(["N * 4"], plan.SlotLengths[0].Select(d => d.Code));
    }

    [Fact]
    public void AnElementwiseLoopWritesOverTheInputItReadsLast()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int soft = LogSoftmax(graph, x);
        int relu = graph.Apply(OpTable.Relu, soft);
        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [relu]));
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "xValues") };

        var plan = MemoryPlanner.Plan(graph.Builder.Nodes, steps, external);

        Assert.Equal(1, plan.SlotCount);
        Assert.Equal(plan.Storage[soft].Slot, plan.Storage[relu].Slot);
    }

    [Fact]
    public void ExternalBuffersAreNeverOverwrittenInPlace()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int relu = graph.Apply(OpTable.Relu, x);
        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [relu]));
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "xValues") };

        var plan = MemoryPlanner.Plan(graph.Builder.Nodes, steps, external);

        Assert.Equal(StorageKind.Slot, plan.Storage[relu].Kind);
        Assert.Equal(1, plan.SlotCount);
    }

    [Fact]
    public void ASlotHoldingValuesOfDifferentSizesKnowsEveryLength()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int w = Parameter(graph, parameters, "w", S(4, 8));
        int v = Parameter(graph, parameters, "v", S(8, 2));
        int wide = Gemm(graph, x, w);
        int soft = LogSoftmax(graph, wide);
        int narrow = Gemm(graph, soft, v);
        int last = LogSoftmax(graph, narrow);
        var steps = Fusion.Schedule(graph.Builder.Nodes, new Uses(graph.Builder.Nodes, [last]));
        var external = new Dictionary<int, Storage>
        {
            [x] = new(StorageKind.External, "xValues"),
            [w] = new(StorageKind.External, "w"),
            [v] = new(StorageKind.External, "v"),
        };

        var plan = MemoryPlanner.Plan(graph.Builder.Nodes, steps, external);

        Assert.Equal(plan.Storage[wide].Slot, plan.Storage[narrow].Slot);
        Assert.Equal(["N * 8", "N * 2"], plan.SlotLengths[plan.Storage[wide].Slot].Select(d => d.Code));
    }
}

public class ExpressionPlanningTests
{
    static int LogSoftmax(OpGraph graph, int x) => MemoryPlannerTests.LogSoftmax(graph, x);

    [Fact]
    public void SlotsAreMatchedBySizeExpressionAcrossAConvStyleShapeAndAFlatten()
    {
        // A value of [N, C, (H + 2·2 − 5) / 1 + 1, W] dies before a value of [N, C·H·W] is made:
        // both hold N·C·H·W floats, so the second reuses the first one's slot, at one length.
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        var h = Dim.Named("H");
        var padded = (h + Dim.Of(2) * Dim.Of(2) - Dim.Of(5)) / Dim.Of(1) + Dim.Of(1);
        int x = Input(graph, inputs, "x", Shape.Of(Dim.Named("N"), Dim.Named("C"), padded, Dim.Named("W")));
        int flat = Input(graph, inputs, "flat", Shape.Of(Dim.Named("N"), Dim.Named("C") * Dim.Named("W") * h));
        int conv = LogSoftmax(graph, x);
        int reduced = SumAll(graph, conv);
        int flattened = LogSoftmax(graph, flat);
        int scaled = graph.Mul(flattened, reduced);
        int last = LogSoftmax(graph, scaled);
        var nodes = graph.Builder.Nodes;
        var steps = Fusion.Schedule(nodes, new Uses(nodes, [last]));
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "xValues"), [flat] = new(StorageKind.External, "flatValues") };

        var plan = MemoryPlanner.Plan(nodes, steps, external);

        Assert.Equal(plan.Storage[conv].Slot, plan.Storage[flattened].Slot);
        Assert.Equal(["C * H * N * W"], plan.SlotLengths[plan.Storage[conv].Slot].Select(d => d.Code));
    }

    [Fact]
    public void AReturnedValueKeepsItsSlotToTheEnd()
    {
        // loss = Σ x is returned after the later steps run: none of them may write over it.
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S(4));
        int loss = SumAll(graph, x);
        int tanh = graph.Apply(OpTable.Tanh, loss);
        int after = LogSoftmax(graph, graph.Expand(tanh, S(1)));
        var nodes = graph.Builder.Nodes;
        var steps = Fusion.Schedule(nodes, new Uses(nodes, [after, loss]));
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "xValues") };

        var plan = MemoryPlanner.Plan(nodes, steps, external, returned: [loss]);

        int lossSlot = plan.Storage[loss].Slot;
        Assert.All(plan.Storage.Where(p => p.Key != loss && p.Value.Kind == StorageKind.Slot), p => Assert.NotEqual(lossSlot, p.Value.Slot));
    }
}
