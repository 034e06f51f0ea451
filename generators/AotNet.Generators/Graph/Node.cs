namespace AotNet.Generators.Graph;

/// <summary>
/// One value of the graph and the op that computes it. <see cref="Index"/> selects the input or
/// parameter of a leaf; <see cref="Scalar"/> is the value of a constant or the scale of a fill.
/// <see cref="Name"/> is the user's local variable name where there is one, for readable code.
/// </summary>
internal sealed record Node(
    int Id,
    OpKind Op,
    EquatableArray<int> Inputs,
    Shape Shape,
    string? Name = null,
    int Index = -1,
    bool TransposeA = false,
    bool TransposeB = false,
    float Scalar = 0f)
{
    public int Input0 => Inputs[0];

    public int Input1 => Inputs[1];
}
