using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Autodiff;
using AotNet.Generators.Graph;
using AotNet.Generators.Ops;

namespace AotNet.Generators.Passes;

/// <summary>
/// Runs the passes for the two members each method gets. Inference keeps only what its output
/// needs; training differentiates, then fuses and plans forward and backward together, so
/// backward keeps exactly the activations it reads.
/// </summary>
internal static class Planner
{
    /// <summary>The storage key of the tensor an inference path returns, or of element <paramref name="k"/> of a tuple it returns.</summary>
    public static string ResultKey(int k = 0) => k == 0 ? "result" : $"result:{k}";

    public static MethodPlan PlanInference(GraphSpec graph)
    {
        var builder = new OpGraph(new GraphBuilder(graph.Nodes));
        var claimed = new HashSet<int>();
        var outputs = graph.AllOutputs.Select(o => OwnedCopy(builder, o, claimed)).ToList();
        var nodes = builder.Builder.Nodes;
        var uses = new Uses(nodes, outputs);
        var steps = Fusion.Schedule(nodes, uses);
        var external = Leaves(graph, nodes);
        for (int k = 0; k < outputs.Count; k++)
        {
            external[outputs[k]] = new Storage(StorageKind.External, ResultKey(k));
        }
        var memory = MemoryPlanner.Plan(nodes, steps, external);
        return new MethodPlan(nodes, steps, memory, outputs[0], [], outputs.Skip(1).ToList());
    }

    /// <summary>The training step: <paramref name="scale"/>, when given, is the float the backward seed reads when the code runs.</summary>
    public static MethodPlan PlanTraining(GraphSpec graph, string? scale = null)
    {
        var training = ReverseMode.Differentiate(graph, scale);
        var builder = new OpGraph(new GraphBuilder(training.Nodes));
        var claimed = new HashSet<int>();
        int loss = OwnedCopy(builder, training.Loss, claimed);
        var extras = graph.ExtraOutputs.Select(o => OwnedCopy(builder, o, claimed)).ToList();
        var gradients = training.Gradients
            .Select(g => g with { Node = OwnedCopy(builder, g.Node, claimed) })
            .ToList();
        var effects = training.Effects;
        var steps = Schedule(builder, gradients, loss, extras, effects);
        // So that a step can add into a gradient's buffer, the gradients that cannot take it as
        // they are get a copy, which can; the value then lives in the workspace.
        if (gradients.Any(g => GradientStores.NeedsCopy(g.Node, steps)))
        {
            gradients = gradients.Select(g => GradientStores.NeedsCopy(g.Node, steps) ? g with { Node = builder.Copy(g.Node) } : g).ToList();
            steps = Schedule(builder, gradients, loss, extras, effects);
        }
        var nodes = builder.Builder.Nodes;
        var external = Leaves(graph, nodes);
        foreach (var gradient in gradients)
        {
            external[gradient.Node] = new Storage(StorageKind.External, GradientKey(gradient));
        }
        for (int k = 0; k < extras.Count; k++)
        {
            external[extras[k]] = new Storage(StorageKind.External, ResultKey(k + 1));
        }
        // The step returns the loss from its slot after backward has run, so no backward value may take that slot.
        var memory = MemoryPlanner.Plan(nodes, steps, external, returned: [loss]);
        return new MethodPlan(nodes, steps, memory, loss, gradients, extras);
    }

    static IReadOnlyList<Step> Schedule(OpGraph builder, IReadOnlyList<GradientOutput> gradients, int loss, IReadOnlyList<int> extras, IReadOnlyList<int> effects)
    {
        var nodes = builder.Builder.Nodes;
        var roots = gradients.Select(g => g.Node).Append(loss).Concat(extras).Concat(effects).ToList();
        return Fusion.Schedule(nodes, new Uses(nodes, roots));
    }

    /// <summary>The storage key of a gradient's destination; the emitter gives each key its local.</summary>
    public static string GradientKey(GradientOutput gradient) => $"grad:{gradient.Target}:{gradient.Index}";

    /// <summary>The storage key of a leaf: an input, labels or a parameter.</summary>
    public static string LeafKey(LeafAttributes leaf) => leaf.Kind == LeafKind.Parameter ? $"parameter:{leaf.Index}" : $"input:{leaf.Index}";

    /// <summary>
    /// A value delivered to the caller must be written by a step of its own. A leaf, a view of
    /// another value, or a value already delivered elsewhere gets a copy.
    /// </summary>
    static int OwnedCopy(OpGraph graph, int node, HashSet<int> claimed)
    {
        var op = graph[node].Op;
        bool needsCopy = op.IsLeaf || op.IsProjection || op.IsView || !claimed.Add(node);
        if (!needsCopy)
        {
            return node;
        }
        int copy = graph.Copy(node);
        claimed.Add(copy);
        return copy;
    }

    static Dictionary<int, Storage> Leaves(GraphSpec graph, IReadOnlyList<Node> nodes)
    {
        var external = new Dictionary<int, Storage>();
        foreach (var node in nodes.Where(n => n.Op.IsLeaf))
        {
            external[node.Id] = new Storage(StorageKind.External, LeafKey((LeafAttributes)node.Attributes));
        }
        return external;
    }
}
