using System.Collections.Generic;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>The families the op table groups its entries into, for the docs and the passes' facts.</summary>
internal enum OpFamily
{
    /// <summary>Inputs, parameters, constants, copies, broadcasts and projections: the graph's plumbing.</summary>
    Structural,
    Elementwise,
    Reduction,
    LinearAlgebra,
    Softmax,
    Loss,

    /// <summary>Reshapes (views, which move no data) and axis permutations (copies).</summary>
    Shape,
}

/// <summary>The shape (and type) of every output of an op, from its inputs and attributes.</summary>
internal delegate ShapeResult ShapeRule(ShapeContext context);

/// <summary>The gradient an op contributes to its input <c>slot</c>, built from other primitives.</summary>
internal delegate int VjpRule(VjpContext context, int slot);

/// <summary>An elementwise op as C# (or as math text): the operands are already expressions for element i.</summary>
internal delegate string ScalarRule(IReadOnlyList<string> operands, OpAttributes attributes);

/// <summary>
/// An elementwise op on a whole vector, as C#: the operands are already vector expressions, and
/// <c>vector</c> names the width's static class (<c>global::System.Runtime.Intrinsics.Vector512</c>),
/// so one rule serves every width. A mask is a vector of all-ones or all-zeros lanes.
/// </summary>
internal delegate string VectorRule(IReadOnlyList<string> operands, OpAttributes attributes, string vector);

/// <summary>Writes a kernel call (or a plain loop) that computes every output of the node.</summary>
internal delegate void KernelRule(IKernelWriter writer, Node node);

/// <summary>Which output axis each operand axis of an elementwise op reads; null means NumPy's rule.</summary>
internal delegate IReadOnlyList<int>? OperandAxesRule(Node node, int slot);

/// <summary>
/// One primitive of the graph: everything the generator knows about it, in one place. Parsing
/// finds it through its binding, shape inference calls its rule, reverse mode asks for its
/// VJP, fusion reads its facts, and the emitter writes its scalar expression or kernel call.
/// Entries are compared by name, so graphs that hold them stay equatable.
/// </summary>
internal sealed class OpDef : System.IEquatable<OpDef>
{
    public OpDef(string name, OpFamily family, string summary, ShapeRule shape)
    {
        Name = name;
        Family = family;
        Summary = summary;
        Shape = shape;
    }

    public string Name { get; }

    public OpFamily Family { get; }

    /// <summary>The method of <c>AotNet.F</c> this primitive is, called with its tensor arguments in order; null when it has none.</summary>
    public string? Function { get; init; }

    /// <summary>
    /// The attributes a call of <see cref="Function"/> gives the node, from its tensor arguments' types
    /// and its constant arguments by parameter slot (axes, flags, pow's exponent, gelu's approximation).
    /// A value that does not fit is kept in the attributes for the op's shape rule to report.
    /// </summary>
    public System.Func<IReadOnlyList<TensorType>, CallConstants, OpAttributes> FunctionAttributes { get; init; } = static (_, _) => NoAttributes.Instance;

    /// <summary>Tensor parameters of <see cref="Function"/> that may be null (optional class weights).</summary>
    public IReadOnlyList<int> OptionalArguments { get; init; } = [];

    /// <summary>Names for the outputs of a call, used until the user names them with a local.</summary>
    public IReadOnlyList<string> OutputNames { get; init; } = [];

    /// <summary>One line for docs/ops.md.</summary>
    public string Summary { get; }

    public ShapeRule Shape { get; }

    /// <summary>The gradient the VJP computes, as math for docs/ops.md: <c>g ⊙ (1 − y²)</c>.</summary>
    public string Gradient { get; init; } = "";

    /// <summary>The reverse-mode rule; null for ops whose outputs carry no gradient (masks, leaves, projections).</summary>
    public VjpRule? Vjp { get; init; }

    /// <summary>Input slots that never carry a gradient, such as labels or a mask.</summary>
    public IReadOnlyList<int> NonDifferentiableInputs { get; init; } = [];

    /// <summary>The C# expression of one element, for elementwise ops; fusion merges these into one loop.</summary>
    public ScalarRule? Scalar { get; init; }

    /// <summary>
    /// The same element as <see cref="Scalar"/> for a vector of them, rounding alike to within an ulp;
    /// null keeps any loop the op is part of scalar.
    /// </summary>
    public VectorRule? Vector { get; init; }

    /// <summary>How an elementwise op indexes its operands, when it is not NumPy broadcasting.</summary>
    public OperandAxesRule? OperandAxes { get; init; }

    /// <summary>The math the op computes, for the comment above the emitted code: <c>tanh({0})</c>.</summary>
    public ScalarRule Math { get; init; } = static (operands, _) => string.Join(", ", operands);

    /// <summary>The kernel call, for ops that are not elementwise.</summary>
    public KernelRule? Kernel { get; init; }

    /// <summary>
    /// Whether the node's kernel can add its result to what its output holds, for a step that
    /// accumulates gradients (see <see cref="IKernelWriter.Accumulate"/>). The planner stores a
    /// gradient whose last kernel cannot through a copy that can.
    /// </summary>
    public System.Func<Node, bool>? Accumulates { get; init; }

    /// <summary>
    /// The op's backward adds into gradients the graph does not hold (a loop's elements'
    /// parameters), so reverse mode runs its VJP whether or not its inputs want a gradient, and
    /// the step runs that backward even when nothing reads its result.
    /// </summary>
    public bool HasEffects { get; init; }

    /// <summary>
    /// Draws from the runtime's global generator (<c>Rng.Default</c>), so two evaluations differ:
    /// it is computed once and read from memory after, never recomputed.
    /// </summary>
    public bool IsRandom { get; init; }

    /// <summary>Caller-supplied values (inputs, labels, parameters) that live outside the workspace.</summary>
    public bool IsLeaf { get; init; }

    /// <summary>Reads output k of another node; the producing step writes it, so it has no step of its own.</summary>
    public bool IsProjection { get; init; }

    /// <summary>
    /// A view: the output is the first input's elements, in the same order, under another shape
    /// (a reshape, a flatten, a squeeze). It moves no data: the output shares the input's buffer.
    /// </summary>
    public bool IsView { get; init; }

    /// <summary>So cheap (a broadcast scalar) that each loop reading it recomputes it instead of reading memory.</summary>
    public bool Recomputable { get; init; }

    /// <summary>A matrix product whose kernel can add a bias and apply an activation before it stores its output.</summary>
    public bool HostsEpilogue { get; init; }

    /// <summary>An add that an epilogue host can absorb, when one operand is the host's output and the other one value per column.</summary>
    public bool FoldsAsBias { get; init; }

    /// <summary>The <c>AotNet.Kernels.Activation</c> member an epilogue host applies in place of this op, if any.</summary>
    public string? EpilogueActivation { get; init; }

    public bool IsElementwise => Scalar is not null;

    public bool Equals(OpDef? other) => other is not null && other.Name == Name;

    public override bool Equals(object? obj) => obj is OpDef other && Equals(other);

    public override int GetHashCode() => System.StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;
}
