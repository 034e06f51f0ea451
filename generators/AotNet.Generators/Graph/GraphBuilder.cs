using System.Collections.Generic;

namespace AotNet.Generators.Graph;

/// <summary>Appends nodes in topological order; every node's inputs already exist.</summary>
internal sealed class GraphBuilder
{
    readonly List<Node> _nodes;

    public GraphBuilder() => _nodes = [];

    public GraphBuilder(IEnumerable<Node> nodes) => _nodes = [.. nodes];

    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>Size equalities the shape rules could not prove, for the generated code to check.</summary>
    public List<DimRequirement> Requirements { get; } = [];

    /// <summary>Replaces the node with the same id, for passes that rewrite in place.</summary>
    public void Replace(Node node) => _nodes[node.Id] = node;

    public Node this[int id] => _nodes[id];

    /// <summary>Adds <paramref name="node"/> with the next id, ignoring the id it carries.</summary>
    public int Add(Node node)
    {
        int id = _nodes.Count;
        _nodes.Add(node with { Id = id });
        return id;
    }

    /// <summary>Gives a node a name, replacing any it had.</summary>
    public void Rename(int id, string name) => _nodes[id] = _nodes[id] with { Name = name };

    /// <summary>Gives a node the user's name for it, unless it already has one.</summary>
    public void NameIfUnnamed(int id, string name)
    {
        if (_nodes[id].Name is null && !_nodes[id].Op.IsLeaf)
        {
            _nodes[id] = _nodes[id] with { Name = name };
        }
    }
}
