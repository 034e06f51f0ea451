using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Ops;

namespace AotNet.Generators.Autodiff;

/// <summary>
/// Builds the backward graph by asking each op's table entry for its VJP. Only nodes that lie
/// between the loss and something that wants a gradient (a parameter, or an input marked
/// [RequiresGrad]) get one: the static form of Caffe's <c>propagate_down</c>.
/// </summary>
internal static class ReverseMode
{
    /// <summary>
    /// The backward graph of <paramref name="forward"/>. Its seed, ∂loss/∂loss, is 1, or the
    /// float <paramref name="scale"/> reads when the code runs (the step's gradient scale), which
    /// then multiplies every gradient.
    /// </summary>
    public static TrainingGraph Differentiate(GraphSpec forward, string? scale = null)
    {
        var graph = new OpGraph(new GraphBuilder(forward.Nodes));
        int count = forward.Nodes.Count;
        var wantsGrad = new bool[count];
        foreach (var node in forward.Nodes)
        {
            wantsGrad[node.Id] = node.Attributes switch
            {
                LeafAttributes { Kind: LeafKind.Parameter } => true,
                LeafAttributes { Kind: LeafKind.Input } leaf => forward.Inputs[leaf.Index].RequiresGrad,
                LeafAttributes => false,
                // Masks and labels carry no gradient, and a projection's gradient would need its
                // producer's VJP for that output, which no primitive has yet.
                _ => node.DType == DType.Float32 && node.Op.Vjp is not null && (node.Op.HasEffects || DifferentiableSlots(node).Any(slot => wantsGrad[node.Inputs[slot]])),
            };
        }

        var gradients = new Dictionary<int, int>();
        var effects = new List<int>();
        int seed = scale is null ? graph.Constant(1f, forward.Nodes[forward.Output].Shape) : graph.RuntimeScalar(scale, scale);
        graph.Builder.Rename(seed, "seed");
        gradients[forward.Output] = seed;

        for (int id = count - 1; id >= 0; id--)
        {
            var node = forward.Nodes[id];
            if (!wantsGrad[id] || node.Op.IsLeaf || !gradients.TryGetValue(id, out int grad))
            {
                continue;
            }
            var context = new VjpContext(graph, node, grad);
            foreach (int slot in DifferentiableSlots(node))
            {
                int input = node.Inputs[slot];
                if (!wantsGrad[input])
                {
                    if (node.Op.HasEffects)
                    {
                        int effectBefore = graph.Builder.Nodes.Count;
                        effects.Add(node.Op.Vjp!(context, slot));
                        AttributeTo(graph.Builder, effectBefore, node.Source);
                    }
                    continue;
                }
                int before = graph.Builder.Nodes.Count;
                int contribution = node.Op.Vjp!(context, slot);
                AttributeTo(graph.Builder, before, node.Source);
                gradients[input] = gradients.TryGetValue(input, out int earlier) ? graph.Add(earlier, contribution) : contribution;
            }
        }

        // Name each gradient after its value (dh1 for h1), so backward code reads like the math.
        foreach (var pair in gradients.OrderBy(p => p.Key))
        {
            var node = forward.Nodes[pair.Key];
            if (node.Name is { } name && !node.Op.IsLeaf)
            {
                graph.Builder.NameIfUnnamed(pair.Value, "d" + char.ToUpperInvariant(name[0]) + name.Substring(1));
            }
        }

        var outputs = new List<GradientOutput>();
        foreach (var node in forward.Nodes.Where(n => wantsGrad[n.Id] && n.Op.IsLeaf))
        {
            var leaf = (LeafAttributes)node.Attributes;
            var target = leaf.Kind == LeafKind.Parameter ? GradientTarget.Parameter : GradientTarget.Input;
            // A parameter the loss does not depend on still gets a gradient: zero.
            int gradient = gradients.TryGetValue(node.Id, out int g) ? g : graph.Expand(graph.Constant(0f), node.Shape);
            graph.Builder.NameIfUnnamed(gradient, "d_" + Identifier(node.Name ?? "t" + node.Id));
            outputs.Add(new GradientOutput(target, leaf.Index, gradient));
        }
        return new TrainingGraph(graph.Builder.Nodes, forward.Output, outputs, effects);
    }

    /// <summary>Backward nodes point at the forward expression they differentiate, so comments and reports name the user's line.</summary>
    static void AttributeTo(GraphBuilder builder, int from, SourceSpot? source)
    {
        for (int id = from; source is not null && id < builder.Nodes.Count; id++)
        {
            if (builder[id].Source is null)
            {
                builder.Replace(builder[id] with { Source = source });
            }
        }
    }

    static IEnumerable<int> DifferentiableSlots(Node node) =>
        Enumerable.Range(0, node.Inputs.Count).Where(slot => !node.Op.NonDifferentiableInputs.Contains(slot));

    static string Identifier(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
