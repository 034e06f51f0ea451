using System.Collections.Generic;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>Reachability and use counts over a graph, from a set of roots (values the caller receives).</summary>
internal sealed class Uses
{
    public Uses(IReadOnlyList<Node> nodes, IEnumerable<int> roots)
    {
        Live = new bool[nodes.Count];
        Count = new int[nodes.Count];
        IsRoot = new bool[nodes.Count];
        var pending = new Stack<int>();
        foreach (int root in roots)
        {
            IsRoot[root] = true;
            Count[root]++;
            pending.Push(root);
        }
        while (pending.Count > 0)
        {
            int id = pending.Pop();
            if (Live[id])
            {
                continue;
            }
            Live[id] = true;
            foreach (int input in nodes[id].Inputs)
            {
                pending.Push(input);
            }
        }
        foreach (var node in nodes)
        {
            if (!Live[node.Id])
            {
                continue;
            }
            foreach (int input in node.Inputs)
            {
                Count[input]++;
            }
        }
    }

    /// <summary>Nodes some root depends on; the rest is dead code.</summary>
    public bool[] Live { get; }

    /// <summary>How many live nodes read each value, plus one for a root.</summary>
    public int[] Count { get; }

    public bool[] IsRoot { get; }
}
