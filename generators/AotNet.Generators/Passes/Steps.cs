using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>One unit of emitted work, which materialises the value of node <see cref="Output"/>.</summary>
internal abstract record Step(int Output)
{
    /// <summary>The materialised values the step reads.</summary>
    public abstract IEnumerable<int> Reads { get; }
}

/// <summary>A runtime kernel call or a simple loop for one node.</summary>
internal sealed record KernelStep(Node Node) : Step(Node.Id)
{
    public override IEnumerable<int> Reads => Node.Inputs;
}

/// <summary>A GEMM whose epilogue adds a bias and applies a relu, when fusion found them.</summary>
internal sealed record GemmStep(Node Gemm, int? Bias, bool Relu, int Output) : Step(Output)
{
    public override IEnumerable<int> Reads => Bias is int bias ? Gemm.Inputs.Concat(new[] { bias }) : Gemm.Inputs;
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
