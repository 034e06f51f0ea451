using AotNet.Generators.Ops;

namespace AotNet.Generators.Graph;

/// <summary>
/// One op of the graph: its entry in the op table, its inputs (node ids, earlier in topological
/// order), its typed attributes and its outputs. A node with several outputs is read through
/// projection nodes, one per extra output. <see cref="Name"/> is the user's local variable
/// name where there is one, for readable code; <see cref="Source"/> is the expression it came from.
/// </summary>
internal sealed record Node(
    int Id,
    OpDef Op,
    EquatableArray<int> Inputs,
    EquatableArray<TensorType> Outputs,
    OpAttributes Attributes,
    string? Name = null,
    SourceSpot? Source = null)
{
    /// <summary>The shape of the first output.</summary>
    public Shape Shape => Outputs[0].Shape;

    /// <summary>The element type of the first output.</summary>
    public DType DType => Outputs[0].DType;

    public int Input0 => Inputs[0];

    public int Input1 => Inputs[1];
}
