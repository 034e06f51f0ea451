using System.Collections.Generic;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Ops;

/// <summary>The node a binding produced, or why the call does not fit.</summary>
internal readonly record struct BindingResult(int Node, string? Error)
{
    public static BindingResult Fail(string error) => new(-1, error);

    /// <summary>A call that returns several tensors (<c>Tensor[]</c>), such as a split: one node per piece, in order.</summary>
    public static BindingResult Pieces(IReadOnlyList<int> nodes) => new(nodes.Count > 0 ? nodes[0] : -1, null) { Parts = nodes };

    /// <summary>The pieces of a call that returns several tensors; null for a call that returns one.</summary>
    public IReadOnlyList<int>? Parts { get; init; }
}

/// <summary>
/// Builds the graph for one call of a runtime method; arguments are node ids, or
/// <see cref="Binding.Omitted"/>, or <see cref="Binding.ConstantSlot"/> where <paramref name="constants"/> holds the
/// argument's constant value. <paramref name="displayName"/> is what messages call it: the op's name, or a layer's.
/// </summary>
internal delegate BindingResult Lowering(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string displayName);

/// <summary>
/// How a call of the eager runtime (a method of <c>AotNet.F</c>, or an operator of <c>Tensor</c>)
/// becomes graph nodes: usually one primitive, sometimes a few (a linear map with a bias is a GEMM and an add).
/// </summary>
internal sealed class Binding
{
    /// <summary>The argument id of an optional argument left out (a null bias).</summary>
    public const int Omitted = -2;

    /// <summary>The argument id of a constant (non-tensor) argument; its value is in the call's <see cref="CallConstants"/>.</summary>
    public const int ConstantSlot = -3;

    public Binding(string method, Lowering lower, IReadOnlyList<OpDef> ops, params string[] outputNames)
        : this(method, lower, ops, [], outputNames)
    {
    }

    public Binding(string method, Lowering lower, IReadOnlyList<OpDef> ops, IReadOnlyList<int> optionalArguments, params string[] outputNames)
    {
        OptionalArguments = optionalArguments;
        Method = method;
        Lower = lower;
        Ops = ops;
        OutputNames = outputNames;
    }

    /// <summary>The runtime method's name, <c>F.{Method}</c>.</summary>
    public string Method { get; }

    /// <summary>Builds the nodes of a call; <c>constants</c> holds the values at the <see cref="ConstantSlot"/> slots.</summary>
    public Lowering Lower { get; }

    /// <summary>The primitives the call lowers to, for the docs.</summary>
    public IReadOnlyList<OpDef> Ops { get; }

    /// <summary>Arguments that may be null (an omitted bias); every other argument must be a tensor.</summary>
    public IReadOnlyList<int> OptionalArguments { get; }

    /// <summary>Names for the outputs, used until the user names them with a local.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>A call that is exactly one primitive over its tensor arguments.</summary>
    public static Binding Direct(OpDef op, params string[] outputNames) => Direct(op.Name, op, static (_, _) => NoAttributes.Instance, outputNames);

    /// <summary>
    /// A call that is one primitive over its tensor arguments, with attributes that depend on the
    /// arguments' types and on the call's constant arguments.
    /// </summary>
    public static Binding Direct(string method, OpDef op, System.Func<IReadOnlyList<TensorType>, CallConstants, OpAttributes> attributes, params string[] outputNames) =>
        new(method, (graph, arguments, constants, source, displayName) => Apply(graph, op, arguments, constants, source, displayName, attributes), [op], outputNames);

    /// <summary>
    /// Adds <paramref name="op"/> over the tensor arguments of a call (constant and omitted slots
    /// left out), with <paramref name="attributes"/>, or else the op's <see cref="OpDef.FunctionAttributes"/>.
    /// </summary>
    public static BindingResult Apply(OpGraph graph, OpDef op, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string displayName,
        System.Func<IReadOnlyList<TensorType>, CallConstants, OpAttributes>? attributes = null)
    {
        var tensors = arguments.Where(a => a >= 0).ToList();
        var chosen = (attributes ?? op.FunctionAttributes)(tensors.Select(a => graph[a].Outputs[0]).ToList(), constants);
        var result = graph.TryApply(op, chosen, source, tensors, out int id, displayName);
        return result.Succeeded ? new BindingResult(id, null) : BindingResult.Fail(result.Error!);
    }
}
