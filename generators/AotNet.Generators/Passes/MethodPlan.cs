using System.Collections.Generic;
using AotNet.Generators.Autodiff;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Passes;

/// <summary>A method ready to emit: its nodes, its fused steps in order, and where every value lives.</summary>
internal sealed record MethodPlan(
    IReadOnlyList<Node> Nodes,
    IReadOnlyList<Step> Steps,
    MemoryPlan Memory,
    int Output,
    IReadOnlyList<GradientOutput> Gradients);
