using System.Collections.Generic;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>
/// Rewrites <c>LogSoftmaxGrad(NllGrad(g, labels), logp)</c> into one
/// <c>SoftmaxCrossEntropyGrad(g, logp, labels)</c>: <c>(softmax − onehot)·g/N</c> in a single
/// sweep instead of a scatter followed by a row-sum pass.
/// </summary>
internal static class CrossEntropyFusion
{
    public static IReadOnlyList<Node> Apply(IReadOnlyList<Node> nodes, Uses uses)
    {
        var result = new List<Node>(nodes);
        foreach (var node in nodes)
        {
            if (node.Op != OpKind.LogSoftmaxGrad || !uses.Live[node.Id])
            {
                continue;
            }
            var scatter = nodes[node.Input0];
            if (scatter.Op != OpKind.NllGrad || uses.Count[scatter.Id] != 1)
            {
                continue;
            }
            result[node.Id] = node with
            {
                Op = OpKind.SoftmaxCrossEntropyGrad,
                Inputs = new[] { scatter.Input0, node.Input1, scatter.Input1 }.ToEquatableArray(),
            };
        }
        return result;
    }
}
