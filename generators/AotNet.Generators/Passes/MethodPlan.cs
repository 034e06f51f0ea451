using System.Collections.Generic;
using AotNet.Generators.Autodiff;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>A method ready to emit: its nodes, its fused steps in order, where every value lives, and what it hands back.</summary>
internal sealed record MethodPlan(
    IReadOnlyList<Node> Nodes,
    IReadOnlyList<Step> Steps,
    MemoryPlan Memory,
    int Output,
    IReadOnlyList<GradientOutput> Gradients,
    IReadOnlyList<int> ExtraOutputs)
{
    /// <summary>Every value the method hands back: its output, then the other elements of a tuple it returns.</summary>
    public IReadOnlyList<int> AllOutputs => [Output, .. ExtraOutputs];
}
