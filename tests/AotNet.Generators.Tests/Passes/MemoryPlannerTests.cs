using AotNet.Generators.Graph;
using AotNet.Generators.Passes;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

public class MemoryPlannerTests
{
    [Fact]
    public void ValuesWithDisjointLifetimesShareSlots()
    {
        // A chain of four row-wise kernels: none runs in place, but each value dies one step
        // after it is made, so two slots suffice.
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int t1 = graph.Add(OpKind.LogSoftmax, S("N", 4), x);
        int t2 = graph.Add(OpKind.LogSoftmax, S("N", 4), t1);
        int t3 = graph.Add(OpKind.LogSoftmax, S("N", 4), t2);
        int t4 = graph.Add(OpKind.LogSoftmax, S("N", 4), t3);
        var uses = new Uses(graph.Nodes, [t4]);
        var steps = Fusion.Schedule(graph.Nodes, uses);
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "xValues") };

        var plan = MemoryPlanner.Plan(graph.Nodes, steps, external);

        Assert.Equal(2, plan.SlotCount);
        Assert.NotEqual(plan.Storage[t1].Slot, plan.Storage[t2].Slot);
        Assert.Equal(plan.Storage[t1].Slot, plan.Storage[t3].Slot);
        Assert.Equal(["N * 4"], plan.SlotLengths[0]);
    }

    [Fact]
    public void AnElementwiseLoopWritesOverTheInputItReadsLast()
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int soft = graph.Add(OpKind.LogSoftmax, S("N", 4), x);
        int relu = graph.Add(OpKind.Relu, S("N", 4), soft);
        var steps = Fusion.Schedule(graph.Nodes, new Uses(graph.Nodes, [relu]));
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "xValues") };

        var plan = MemoryPlanner.Plan(graph.Nodes, steps, external);

        Assert.Equal(1, plan.SlotCount);
        Assert.Equal(plan.Storage[soft].Slot, plan.Storage[relu].Slot);
    }

    [Fact]
    public void ExternalBuffersAreNeverOverwrittenInPlace()
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int relu = graph.Add(OpKind.Relu, S("N", 4), x);
        var steps = Fusion.Schedule(graph.Nodes, new Uses(graph.Nodes, [relu]));
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "xValues") };

        var plan = MemoryPlanner.Plan(graph.Nodes, steps, external);

        Assert.Equal(StorageKind.Slot, plan.Storage[relu].Kind);
        Assert.Equal(1, plan.SlotCount);
    }

    [Fact]
    public void ASlotHoldingValuesOfDifferentSizesKnowsEveryLength()
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int w = Parameter(graph, parameters, "w", S(4, 8));
        int v = Parameter(graph, parameters, "v", S(8, 2));
        int wide = Gemm(graph, x, w, S("N", 8));
        int soft = graph.Add(OpKind.LogSoftmax, S("N", 8), wide);
        int narrow = Gemm(graph, soft, v, S("N", 2));
        int last = graph.Add(OpKind.LogSoftmax, S("N", 2), narrow);
        var steps = Fusion.Schedule(graph.Nodes, new Uses(graph.Nodes, [last]));
        var external = new Dictionary<int, Storage>
        {
            [x] = new(StorageKind.External, "xValues"),
            [w] = new(StorageKind.External, "w"),
            [v] = new(StorageKind.External, "v"),
        };

        var plan = MemoryPlanner.Plan(graph.Nodes, steps, external);

        Assert.Equal(plan.Storage[wide].Slot, plan.Storage[narrow].Slot);
        Assert.Equal(["N * 8", "N * 2"], plan.SlotLengths[plan.Storage[wide].Slot]);
    }
}
