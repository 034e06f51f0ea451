using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>One unit of emitted work, which materialises the value of node <see cref="Output"/> (and any further outputs).</summary>
internal abstract record Step(int Output)
{
    /// <summary>The materialised values the step reads.</summary>
    public abstract IEnumerable<int> Reads { get; }

    /// <summary>Every value the step writes: its output, then the projections of a node with several outputs.</summary>
    public virtual IReadOnlyList<int> Writes => [Output];
}

/// <summary>
/// A kernel call for one node. An epilogue host (a GEMM) may also add a bias and apply an
/// activation that fusion folded into it; <see cref="Step.Output"/> is then the last folded node.
/// </summary>
internal sealed record KernelStep(Node Node, int Output, IReadOnlyList<int> Projections, int? Bias = null, string? Activation = null) : Step(Output)
{
    public KernelStep(Node node, IReadOnlyList<int> projections)
        : this(node, node.Id, projections)
    {
    }

    public override IEnumerable<int> Reads => Bias is int bias ? Node.Inputs.Concat([bias]) : Node.Inputs;

    public override IReadOnlyList<int> Writes => [Output, .. Projections];
}

/// <summary>A view of another value under a new shape: it shares that value's buffer, so it does no work.</summary>
internal sealed record ViewStep(Node Node) : Step(Node.Id)
{
    public override IEnumerable<int> Reads => [Node.Input0];
}

/// <summary>A chain of elementwise nodes computed in one loop; only the last is materialised.</summary>
internal sealed record FusedStep(IReadOnlyList<Node> Members, int Output) : Step(Output)
{
    public override IEnumerable<int> Reads
    {
        get
        {
            var inside = new HashSet<int>(Members.Select(m => m.Id));
            return Members.SelectMany(m => m.Inputs).Where(i => !inside.Contains(i)).Distinct();
        }
    }
}
