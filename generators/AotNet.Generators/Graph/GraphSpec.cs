namespace AotNet.Generators.Graph;

/// <summary>An input of the differentiable method: a tensor, or integer labels.</summary>
internal sealed record InputSpec(string Name, bool IsLabels, Shape Shape, bool RequiresGrad)
{
    /// <summary>The name as generated code writes it, with an @ for a keyword.</summary>
    public string Code => Names.Escape(Name);
}

/// <summary>
/// A parameter the graph reads: its PyTorch-style name (<c>fc1.weight</c>), the C# expression
/// that reaches the <c>AotNet.Parameter</c> (<c>this.fc1.Weight</c>), and its shape.
/// </summary>
internal sealed record ParameterSpec(string Name, string Access, Shape Shape);

/// <summary>
/// A size the graph reads from a module when the code runs, because its construction does not
/// fix it at build time: <see cref="Symbol"/> is the dimension's name in shapes,
/// <see cref="Access"/> the C# expression that reads it (<c>this.block.Dim</c>), and
/// <see cref="Name"/> how messages name it (<c>block.Dim</c>).
/// </summary>
internal sealed record SizeSymbol(string Symbol, string Access, string Name);

/// <summary>
/// A member the graph was built without because the module's construction leaves it null (a
/// layer's bias, an optional gate): <see cref="Access"/> reaches it, and the generated code
/// refuses to run if it holds a value after all, which the graph would silently ignore.
/// </summary>
internal sealed record AbsentMember(string Access, string Name);

/// <summary>
/// The body of a loop over a module list, compiled once and called per element:
/// <see cref="Forward"/> maps the carried value to its next value, and <see cref="Step"/> is
/// the scalar <c>Σ next ⊙ dNext</c>, whose training step gives the carried value's gradient and
/// adds into the element's parameters' gradients. Both read the element through a parameter
/// named <see cref="Module"/> of type <see cref="Element"/>.
/// </summary>
internal sealed record LoopBody(string Name, string Collection, string Element, string Module, GraphSpec Forward, GraphSpec Step);

/// <summary>
/// The forward graph of one method: nodes in topological order, the node it returns, and the
/// size equalities that only the running code can check. A method that returns a tuple has
/// its first element in <see cref="Output"/> (the loss, for a training step) and the rest in
/// <see cref="ExtraOutputs"/>; <see cref="OutputNames"/> then holds every element's name.
/// </summary>
internal sealed record GraphSpec(
    EquatableArray<InputSpec> Inputs,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<Node> Nodes,
    int Output,
    EquatableArray<DimRequirement> Requirements = default,
    EquatableArray<int> ExtraOutputs = default,
    EquatableArray<string> OutputNames = default,
    EquatableArray<SizeSymbol> Sizes = default,
    EquatableArray<LoopBody> Loops = default,
    string? ModuleParameter = null,
    EquatableArray<AbsentMember> Absent = default)
{
    /// <summary>Whether the method returns a tuple of tensors rather than one tensor.</summary>
    public bool ReturnsTuple => OutputNames.Count > 0;

    /// <summary>Every value the method returns, in order.</summary>
    public System.Collections.Generic.IEnumerable<int> AllOutputs => System.Linq.Enumerable.Prepend(ExtraOutputs, Output);
}
