namespace AotNet.Generators.Graph;

/// <summary>
/// The typed attributes of a node. Each op that has settings (transposes, axes, a constant's
/// value) has its own record, so attributes compare by value and the incremental pipeline can
/// cache graphs that hold them.
/// </summary>
internal abstract record OpAttributes;

/// <summary>An op without settings.</summary>
internal sealed record NoAttributes : OpAttributes
{
    public static readonly NoAttributes Instance = new();
}

/// <summary>Which caller-supplied value a leaf is.</summary>
internal enum LeafKind
{
    Input,
    Labels,
    Parameter,
}

/// <summary>A leaf: input or parameter number <paramref name="Index"/> of the method.</summary>
internal sealed record LeafAttributes(LeafKind Kind, int Index) : OpAttributes;

/// <summary>A constant value broadcast to <paramref name="Shape"/>.</summary>
internal sealed record ConstantAttributes(float Value, Shape Shape) : OpAttributes;

/// <summary>A size known only when the code runs, such as the element count N·C, as a float scalar.</summary>
internal sealed record SizeAttributes(Dim Size) : OpAttributes;

/// <summary>
/// A broadcast to <paramref name="Shape"/>. <paramref name="OperandAxes"/> names the output axis of
/// each operand axis; empty means NumPy's rule, aligned from the right.
/// </summary>
internal sealed record ExpandAttributes(Shape Shape, EquatableArray<int> OperandAxes) : OpAttributes;

/// <summary>Output <paramref name="Index"/> of a node with several outputs.</summary>
internal sealed record OutputAttributes(int Index) : OpAttributes;

/// <summary>A matrix product <c>op(A)·op(B)</c>, where op transposes when asked.</summary>
internal sealed record GemmAttributes(bool TransposeA, bool TransposeB) : OpAttributes;

/// <summary>A reduction over <paramref name="Axes"/> (sorted, non-negative), keeping them as size 1 when <paramref name="KeepDim"/>.</summary>
internal sealed record ReduceAttributes(EquatableArray<int> Axes, bool KeepDim) : OpAttributes
{
    /// <summary>What a variance divides by: n − <see cref="Correction"/> (1 for PyTorch's unbiased estimate).</summary>
    public int Correction { get; init; }
}

/// <summary>A row-wise op over axis <paramref name="Axis"/> (non-negative).</summary>
internal sealed record AxisAttributes(int Axis) : OpAttributes;

/// <summary>
/// An embedding's padding row, whose gradient stays zero, as given (negative counts from the end);
/// <see cref="None"/> without one, <see cref="NotConstant"/> when the argument was not known at build time.
/// </summary>
internal sealed record EmbeddingAttributes(int Padding) : OpAttributes
{
    public const int None = int.MaxValue;
    public const int NotConstant = int.MinValue;

    /// <summary>The padding row as code over the table's row count.</summary>
    public string RowCode(Dim rows) => Padding >= 0 ? Padding.ToString(System.Globalization.CultureInfo.InvariantCulture) : (rows + Dim.Of(Padding)).Code;
}

/// <summary>The constant exponent of <c>x^p</c>, from a float argument of <c>F.Pow</c>.</summary>
internal sealed record PowAttributes(float Exponent) : OpAttributes;

/// <summary>The probability that dropout zeroes an element, strictly between 0 and 1.</summary>
internal sealed record DropoutAttributes(float P) : OpAttributes;

/// <summary>The slope of leaky relu below 0.</summary>
internal sealed record LeakyReluAttributes(float NegativeSlope) : OpAttributes;

/// <summary>ELU's scale of <c>eˣ − 1</c> below 0.</summary>
internal sealed record EluAttributes(float Alpha) : OpAttributes;

/// <summary>
/// GELU exact (<c>approximate = "none"</c>) or with PyTorch's tanh approximation (<c>"tanh"</c>);
/// any other value (null included) is kept for the shape rule to report.
/// </summary>
internal sealed record GeluAttributes(string? Approximate) : OpAttributes
{
    public bool Tanh => Approximate == "tanh";
}

/// <summary>Clamp's bounds; either may be absent, not both (the shape rule reports that).</summary>
internal sealed record ClampAttributes(float? Min, float? Max) : OpAttributes;

/// <summary>
/// A float scalar read when the code runs: a readonly field of the model, as the C# expression
/// that reads it from the generated member (<c>this.scale</c>, <c>global::Ns.Model.Gain</c>).
/// </summary>
internal sealed record RuntimeScalarAttributes(string Access, string Display) : OpAttributes;

/// <summary>A view of the input under <paramref name="Shape"/>, with the same element count.</summary>
internal sealed record ReshapeAttributes(Shape Shape) : OpAttributes;

/// <summary>Output axis k is input axis <c>Axes[k]</c>.</summary>
internal sealed record PermuteAttributes(EquatableArray<int> Axes) : OpAttributes;

/// <summary>A join of the inputs along <paramref name="Axis"/>.</summary>
internal sealed record ConcatAttributes(int Axis) : OpAttributes;

/// <summary>Positions <paramref name="Start"/> to <paramref name="Start"/> + <paramref name="Length"/> of <paramref name="Axis"/>.</summary>
internal sealed record NarrowAttributes(int Axis, Dim Start, Dim Length) : OpAttributes;

/// <summary>Positions <paramref name="Start"/> + k·<paramref name="Step"/> for k below <paramref name="Length"/> of <paramref name="Axis"/>, an axis of constant size.</summary>
internal sealed record SliceAttributes(int Axis, int Start, int Step, int Length) : OpAttributes;

/// <summary>
/// A loop over a module list compiled as a loop of calls: <see cref="Body"/> names the generated
/// methods of its body, <see cref="Collection"/> reaches the list (<c>this.blocks</c>), whose
/// elements are <see cref="Element"/>s, <see cref="Count"/> is its length, and
/// <see cref="Symbols"/> are the sizes the carried value's shape uses, passed on to the body.
/// </summary>
internal sealed record LoopAttributes(string Body, string Collection, string Element, Dim Count, EquatableArray<string> Symbols) : OpAttributes;
