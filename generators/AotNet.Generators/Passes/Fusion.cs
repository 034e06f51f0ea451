using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>
/// Orders the live nodes into steps and fuses them, reading only the op table's fusion facts:
/// an epilogue host (a GEMM) absorbs the bias add and the activation that follow it, and chains
/// of same-shape elementwise nodes become one loop. A value with one reader is absorbed into it;
/// a value that only other loops read is recomputed in each (so backward recomputes forward
/// elementwise values instead of saving them); anything a kernel or the caller reads is stored.
/// </summary>
internal static class Fusion
{
    public static IReadOnlyList<Step> Schedule(IReadOnlyList<Node> nodes, Uses uses)
    {
        var steps = new List<Step?>();
        var stepIndex = new Dictionary<int, int>();
        var projections = nodes.Where(n => n.Op.IsProjection).GroupBy(n => n.Input0).ToDictionary(g => g.Key, g => (IReadOnlyList<int>)g.Select(n => n.Id).ToList());
        var readers = nodes.Where(n => uses.Live[n.Id]).SelectMany(n => n.Inputs.Distinct().Select(input => (input, reader: n)))
            .GroupBy(p => p.input).ToDictionary(g => g.Key, g => g.Select(p => p.reader).ToList());

        // Save versus recompute: a loop's value that only other loops of its shape read is
        // recomputed inside each of them rather than written to memory and read back, unless
        // the loops would grow past this many ops. Elementwise work is bound by memory, so
        // recomputing a few ops costs less than a round trip through a buffer.
        const int RecomputeLimit = 48;
        bool OnlyLoopsRead(int id) => !uses.IsRoot[id] && readers.TryGetValue(id, out var list)
            && list.All(r => r.Op.IsElementwise && r.Shape == nodes[id].Shape);
        static int Work(IEnumerable<Node> members) => members.Count(m => !m.Op.Recomputable);

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
            if (!uses.Live[node.Id] || node.Op.IsLeaf || node.Op.IsProjection)
            {
                continue;
            }
            if (node.Op.FoldsAsBias && TryBias(node, nodes, out int hostId, out int biasId)
                && Producer(hostId) is KernelStep { Bias: null, Activation: null } biasTarget && biasTarget.Node.Op.HostsEpilogue && Absorbable(hostId))
            {
                MoveToEnd(hostId, biasTarget with { Bias = biasId, Output = node.Id });
                continue;
            }
            if (node.Op.EpilogueActivation is { } activation && Producer(node.Input0) is KernelStep { Activation: null } activationTarget
                && activationTarget.Node.Op.HostsEpilogue && Absorbable(node.Input0))
            {
                MoveToEnd(node.Input0, activationTarget with { Activation = activation, Output = node.Id });
                continue;
            }
            if (node.Op.IsElementwise)
            {
                var members = new List<Node>();
                foreach (int input in node.Inputs.Distinct())
                {
                    if (Producer(input) is not FusedStep producer)
                    {
                        continue;
                    }
                    bool sameShape = nodes[input].Shape == node.Shape;
                    if (sameShape && Absorbable(input))
                    {
                        steps[stepIndex[input]] = null;
                        stepIndex.Remove(input);
                        members.AddRange(producer.Members);
                    }
                    else if (sameShape && OnlyLoopsRead(input) && Work(members.Concat(producer.Members).Distinct()) < RecomputeLimit)
                    {
                        // Its step stays until every reader has taken a copy; then nothing reads it and it is dropped.
                        members.AddRange(producer.Members);
                    }
                    else if (producer.Members.All(m => m.Op.Recomputable) && (sameShape || producer.Members.All(m => m.Inputs.Count == 0)))
                    {
                        // A broadcast scalar is cheaper to recompute in this loop than to read from memory.
                        members.AddRange(producer.Members);
                    }
                }
                members.Add(node);
                // Two absorbed chains may each recompute the same broadcast scalar; keep one copy.
                Append(new FusedStep(members.GroupBy(m => m.Id).Select(g => g.First()).ToList(), node.Id));
                continue;
            }
            if (node.Op.IsView)
            {
                Append(new ViewStep(node));
                continue;
            }
            Append(new KernelStep(node, projections.TryGetValue(node.Id, out var extra) ? extra : []));
        }
        return WithoutUnreadSteps(steps.Where(s => s is not null).Select(s => s!).ToList(), uses);
    }

    /// <summary>Drops steps whose every reader recomputes their value instead of reading it.</summary>
    static List<Step> WithoutUnreadSteps(List<Step> steps, Uses uses)
    {
        while (true)
        {
            var read = new HashSet<int>(steps.SelectMany(s => s.Reads));
            int removed = steps.RemoveAll(s => s.Writes.All(w => !uses.IsRoot[w] && !read.Contains(w)));
            if (removed == 0)
            {
                return steps;
            }
        }
    }

    /// <summary>Whether <paramref name="add"/> is <c>host + bias</c> with a bias of one value per output column.</summary>
    static bool TryBias(Node add, IReadOnlyList<Node> nodes, out int host, out int bias)
    {
        foreach (var (candidate, other) in new[] { (add.Input0, add.Input1), (add.Input1, add.Input0) })
        {
            var product = nodes[candidate];
            var vector = nodes[other];
            if (product.Op.HostsEpilogue && product.Shape == add.Shape && vector.Shape.Rank == 1 && vector.Shape[0] == add.Shape.Last)
            {
                host = candidate;
                bias = other;
                return true;
            }
        }
        host = bias = -1;
        return false;
    }
}
