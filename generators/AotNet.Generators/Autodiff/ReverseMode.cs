using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Autodiff;

/// <summary>
/// Builds the backward graph. Only nodes that lie between the loss and something that wants a
/// gradient (a parameter, or an input marked [RequiresGrad]) get one: the static form of
/// Caffe's <c>propagate_down</c>.
/// </summary>
internal static class ReverseMode
{
    public static TrainingGraph Differentiate(GraphSpec forward)
    {
        var graph = new GraphBuilder(forward.Nodes);
        int count = forward.Nodes.Count;
        var wantsGrad = new bool[count];
        foreach (var node in forward.Nodes)
        {
            wantsGrad[node.Id] = node.Op switch
            {
                OpKind.Parameter => true,
                OpKind.Input => forward.Inputs[node.Index].RequiresGrad,
                OpKind.LabelsInput => false,
                _ => node.Inputs.Where((input, slot) => VjpRules.IsDifferentiableInput(node, slot)).Any(input => wantsGrad[input]),
            };
        }

        var gradients = new Dictionary<int, int>();
        int seed = graph.Add(new Node(0, OpKind.Constant, EquatableArray<int>.Empty, forward.Nodes[forward.Output].Shape, "seed", Scalar: 1f));
        gradients[forward.Output] = seed;

        for (int id = count - 1; id >= 0; id--)
        {
            var node = forward.Nodes[id];
            if (!wantsGrad[id] || node.Op.IsLeaf() || !gradients.TryGetValue(id, out int grad))
            {
                continue;
            }
            for (int slot = 0; slot < node.Inputs.Count; slot++)
            {
                int input = node.Inputs[slot];
                if (!VjpRules.IsDifferentiableInput(node, slot) || !wantsGrad[input])
                {
                    continue;
                }
                int contribution = VjpRules.InputGradient(graph, node, slot, grad);
                gradients[input] = gradients.TryGetValue(input, out int earlier)
                    ? graph.Add(OpKind.Add, forward.Nodes[input].Shape, earlier, contribution)
                    : contribution;
            }
        }

        // Name each gradient after its value (dh1 for h1), so backward code reads like the math.
        foreach (var pair in gradients.OrderBy(p => p.Key))
        {
            var node = forward.Nodes[pair.Key];
            if (node.Name is { } name && !node.Op.IsLeaf())
            {
                graph.NameIfUnnamed(pair.Value, "d" + char.ToUpperInvariant(name[0]) + name.Substring(1));
            }
        }

        var outputs = new List<GradientOutput>();
        foreach (var node in forward.Nodes.Where(n => wantsGrad[n.Id] && n.Op.IsLeaf()))
        {
            var target = node.Op == OpKind.Parameter ? GradientTarget.Parameter : GradientTarget.Input;
            int gradient = gradients.TryGetValue(node.Id, out int g) ? g : ZeroLike(graph, node);
            graph.NameIfUnnamed(gradient, "d_" + Identifier(node.Name ?? "t" + node.Id));
            outputs.Add(new GradientOutput(target, node.Index, gradient));
        }
        return new TrainingGraph(graph.Nodes, forward.Output, outputs);
    }

    /// <summary>A parameter the loss does not depend on still gets a gradient: zero.</summary>
    static int ZeroLike(GraphBuilder graph, Node node) =>
        graph.Add(new Node(0, OpKind.Constant, EquatableArray<int>.Empty, node.Shape, Scalar: 0f));

    static string Identifier(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
