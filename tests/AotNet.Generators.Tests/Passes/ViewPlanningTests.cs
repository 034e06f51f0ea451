using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using AotNet.Generators.Passes;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

/// <summary>A reshape moves no data: its value shares its source's buffer, which then lives as long as either is read.</summary>
public class ViewPlanningTests
{
    static int LogSoftmax(OpGraph graph, int x) => graph.Apply(OpTable.LogSoftmax, new AxisAttributes(graph.Shape(x).Rank - 1), x);

    [Fact]
    public void AViewSharesItsSourcesSlotAndKeepsItAlive()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 2, 3));
        int soft = LogSoftmax(graph, x);
        int flat = graph.Reshape(soft, Shape.Of(Dim.Named("N"), Dim.Of(6)));
        int other = LogSoftmax(graph, x);
        int last = LogSoftmax(graph, graph.Add(flat, graph.Reshape(other, S("N", 6))));
        var nodes = graph.Builder.Nodes;
        var steps = Fusion.Schedule(nodes, new Uses(nodes, [last]));
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "input:0") };

        var plan = MemoryPlanner.Plan(nodes, steps, external);

        Assert.Contains(steps, s => s is ViewStep v && v.Output == flat);
        Assert.Equal(plan.Storage[soft], plan.Storage[flat]);
        // soft's buffer is still read (as flat) after other is made, so other needs a slot of its own.
        Assert.NotEqual(plan.Storage[soft].Slot, plan.Storage[other].Slot);
    }

    [Fact]
    public void AViewOfAnInputIsTheInputsBuffer()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 2, 3));
        int flat = graph.Reshape(x, S("N", 6));
        int soft = LogSoftmax(graph, flat);
        var nodes = graph.Builder.Nodes;
        var steps = Fusion.Schedule(nodes, new Uses(nodes, [soft]));
        var external = new Dictionary<int, Storage> { [x] = new(StorageKind.External, "input:0") };

        var plan = MemoryPlanner.Plan(nodes, steps, external);

        Assert.Equal(plan.Storage[x], plan.Storage[flat]);
        Assert.Equal(StorageKind.Slot, plan.Storage[soft].Kind);
    }

    [Fact]
    public void AReshapeWhoseElementCountCannotBeProvenIsCheckedWhenTheCodeRuns()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S("N", 6));
        graph.Reshape(x, S("M", 3));
        var requirement = Assert.Single(graph.Builder.Requirements);
        Assert.Equal(("N * 6", "M * 3"), (requirement.Left.Code, requirement.Right.Code));
        // Two constant counts that differ are refused at build time.
        int fixedSize = Input(graph, inputs, "y", S(2, 3));
        Assert.Throws<InvalidOperationException>(() => graph.Reshape(fixedSize, S(5, 7)));
    }

    [Fact]
    public void APermutesGradientUsesTheInversePermutation()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        int x = Input(graph, inputs, "x", S(2, 3, 4), requiresGrad: true);
        int permuted = graph.Apply(OpTable.Permute, new PermuteAttributes(new[] { 2, 0, 1 }.ToEquatableArray()), x);
        Assert.Equal("[4, 2, 3]", graph.Shape(permuted).ToString());
        int loss = SumAll(graph, graph.Mul(permuted, permuted));

        var training = AotNet.Generators.Autodiff.ReverseMode.Differentiate(Finish(graph, inputs, [], loss));

        var backward = training.Nodes.Where(n => n.Op == OpTable.Permute && n.Id > permuted).Single();
        Assert.Equal([1, 2, 0], ((PermuteAttributes)backward.Attributes).Axes);
        Assert.Equal("[2, 3, 4]", backward.Shape.ToString());
    }
}
