using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Autodiff;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>
/// Runs the passes for the two members each method gets. Inference keeps only what its output
/// needs; training differentiates, then fuses and plans forward and backward together, so
/// backward keeps exactly the activations it reads.
/// </summary>
internal static class Planner
{
    public const string ResultValues = "resultValues";

    public static MethodPlan PlanInference(GraphSpec graph)
    {
        var builder = new GraphBuilder(graph.Nodes);
        int output = OwnedCopy(builder, graph.Output, new HashSet<int>());
        var uses = new Uses(builder.Nodes, [output]);
        var steps = Fusion.Schedule(builder.Nodes, uses);
        var external = Leaves(graph, builder.Nodes);
        external[output] = new Storage(StorageKind.External, ResultValues);
        var memory = MemoryPlanner.Plan(builder.Nodes, steps, external);
        return new MethodPlan(builder.Nodes, steps, memory, output, []);
    }

    public static MethodPlan PlanTraining(GraphSpec graph)
    {
        var training = ReverseMode.Differentiate(graph);
        var builder = new GraphBuilder(training.Nodes);
        var claimed = new HashSet<int>();
        int loss = OwnedCopy(builder, training.Loss, claimed);
        var gradients = training.Gradients
            .Select(g => g with { Node = OwnedCopy(builder, g.Node, claimed) })
            .ToList();
        var roots = gradients.Select(g => g.Node).Append(loss).ToList();
        var nodes = CrossEntropyFusion.Apply(builder.Nodes, new Uses(builder.Nodes, roots));
        var uses = new Uses(nodes, roots);
        var steps = Fusion.Schedule(nodes, uses);
        var external = Leaves(graph, nodes);
        foreach (var gradient in gradients)
        {
            external[gradient.Node] = new Storage(StorageKind.External, GradientValues(graph, gradient));
        }
        var memory = MemoryPlanner.Plan(nodes, steps, external);
        return new MethodPlan(nodes, steps, memory, loss, gradients);
    }

    /// <summary>The local that holds a gradient's destination span in generated code.</summary>
    public static string GradientValues(GraphSpec graph, GradientOutput gradient) => gradient.Target == GradientTarget.Parameter
        ? Names.Identifier(graph.Parameters[gradient.Index].Name) + "_grad"
        : graph.Inputs[gradient.Index].Name + "GradValues";

    /// <summary>
    /// A value delivered to the caller must be written by a step of its own. A leaf, or a value
    /// already delivered elsewhere, gets a copy.
    /// </summary>
    static int OwnedCopy(GraphBuilder builder, int node, HashSet<int> claimed)
    {
        bool needsCopy = builder[node].Op.IsLeaf() || !claimed.Add(node);
        if (!needsCopy)
        {
            return node;
        }
        int copy = builder.Add(OpKind.Copy, builder[node].Shape, node);
        claimed.Add(copy);
        return copy;
    }

    static Dictionary<int, Storage> Leaves(GraphSpec graph, IReadOnlyList<Node> nodes)
    {
        var external = new Dictionary<int, Storage>();
        foreach (var node in nodes.Where(n => n.Op.IsLeaf()))
        {
            string expression = node.Op == OpKind.Parameter
                ? Names.Identifier(graph.Parameters[node.Index].Name)
                : graph.Inputs[node.Index].Name + "Values";
            external[node.Id] = new Storage(StorageKind.External, expression);
        }
        return external;
    }
}
