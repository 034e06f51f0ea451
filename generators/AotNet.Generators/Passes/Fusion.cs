using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>
/// Orders the live nodes into steps and fuses them: a GEMM absorbs the bias add and relu that
/// follow it (its epilogue), and chains of same-shape elementwise nodes become one loop. A node
/// is absorbed only when its value has no other reader and no caller wants it, so nothing
/// that backward saves is ever fused away.
/// </summary>
internal static class Fusion
{
    public static IReadOnlyList<Step> Schedule(IReadOnlyList<Node> nodes, Uses uses)
    {
        var steps = new List<Step?>();
        var stepIndex = new Dictionary<int, int>();

        void Append(Step step)
        {
            stepIndex[step.Output] = steps.Count;
            steps.Add(step);
        }

        Step? Producer(int id) => stepIndex.TryGetValue(id, out int index) ? steps[index] : null;

        bool Absorbable(int id) => uses.Count[id] == 1 && !uses.IsRoot[id];

        void MoveToEnd(int oldOutput, Step replacement)
        {
            steps[stepIndex[oldOutput]] = null;
            stepIndex.Remove(oldOutput);
            Append(replacement);
        }

        foreach (var node in nodes)
        {
            if (!uses.Live[node.Id] || node.Op.IsLeaf())
            {
                continue;
            }
            if (node.Op == OpKind.Add && TryBias(node, nodes, out int gemmId, out int biasId)
                && Producer(gemmId) is GemmStep { Bias: null, Relu: false } biasTarget && Absorbable(gemmId))
            {
                MoveToEnd(gemmId, biasTarget with { Bias = biasId, Output = node.Id });
                continue;
            }
            if (node.Op == OpKind.Relu && Producer(node.Input0) is GemmStep { Relu: false } reluTarget && Absorbable(node.Input0))
            {
                MoveToEnd(node.Input0, reluTarget with { Relu = true, Output = node.Id });
                continue;
            }
            if (node.Op.IsElementwise())
            {
                var members = new List<Node>();
                foreach (int input in node.Inputs.Distinct())
                {
                    if (Producer(input) is not FusedStep producer || nodes[input].Shape != node.Shape)
                    {
                        continue;
                    }
                    if (Absorbable(input))
                    {
                        steps[stepIndex[input]] = null;
                        stepIndex.Remove(input);
                        members.AddRange(producer.Members);
                    }
                    else if (producer.Members.All(m => m.Op.IsRecomputable()))
                    {
                        members.AddRange(producer.Members);
                    }
                }
                members.Add(node);
                // Two absorbed chains may each recompute the same broadcast scalar; keep one copy.
                Append(new FusedStep(members.GroupBy(m => m.Id).Select(g => g.First()).ToList(), node.Id));
                continue;
            }
            Append(node.Op == OpKind.Gemm ? new GemmStep(node, null, false, node.Id) : new KernelStep(node));
        }
        return WithoutUnreadSteps(steps.Where(s => s is not null).Select(s => s!).ToList(), uses);
    }

    /// <summary>Drops steps whose every reader recomputes their value instead of reading it.</summary>
    static List<Step> WithoutUnreadSteps(List<Step> steps, Uses uses)
    {
        while (true)
        {
            var read = new HashSet<int>(steps.SelectMany(s => s.Reads));
            int removed = steps.RemoveAll(s => !uses.IsRoot[s.Output] && !read.Contains(s.Output));
            if (removed == 0)
            {
                return steps;
            }
        }
    }

    /// <summary>Whether <paramref name="add"/> is <c>gemm + bias</c> with a bias of one value per output column.</summary>
    static bool TryBias(Node add, IReadOnlyList<Node> nodes, out int gemm, out int bias)
    {
        foreach (var (candidate, other) in new[] { (add.Input0, add.Input1), (add.Input1, add.Input0) })
        {
            var product = nodes[candidate];
            var vector = nodes[other];
            if (product.Op == OpKind.Gemm && product.Shape == add.Shape && vector.Shape.Rank == 1 && vector.Shape[0] == add.Shape.Last)
            {
                gemm = candidate;
                bias = other;
                return true;
            }
        }
        gemm = bias = -1;
        return false;
    }
}
