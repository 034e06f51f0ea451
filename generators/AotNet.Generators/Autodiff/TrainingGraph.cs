using System.Collections.Generic;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Autodiff;

/// <summary>Where a gradient goes: a parameter's <c>Grad</c>, or the caller's buffer for an input.</summary>
internal enum GradientTarget
{
    Parameter,
    Input,
}

/// <summary>A gradient the training step must deliver: the target, its index, and the node that computes it.</summary>
internal sealed record GradientOutput(GradientTarget Target, int Index, int Node);

/// <summary>
/// Forward and backward nodes in one topological order, with the loss and the gradients they
/// yield, and <see cref="Effects"/>: backward nodes that must run for what they add into
/// gradients the graph does not hold, though nothing reads their result.
/// </summary>
internal sealed record TrainingGraph(IReadOnlyList<Node> Nodes, int Loss, IReadOnlyList<GradientOutput> Gradients, IReadOnlyList<int> Effects);
