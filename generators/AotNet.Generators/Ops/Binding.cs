using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Ops;

/// <summary>The node a binding produced, or why the call does not fit.</summary>
internal readonly record struct BindingResult(int Node, string? Error)
{
    public static BindingResult Fail(string error) => new(-1, error);
}

/// <summary>
/// Builds the graph for one call of a runtime method; arguments are node ids, or
/// <see cref="Binding.Omitted"/>, or <see cref="Binding.Constant"/> where the argument is a
/// build-time constant (a float or a string) whose value is at the same slot of <c>constants</c>. <paramref name="displayName"/> is what messages call it: <c>Linear</c>, or a layer's name.
/// </summary>
internal delegate BindingResult Lowering(OpGraph graph, IReadOnlyList<int> arguments, IReadOnlyList<object?> constants, SourceSpot? source, string displayName);

/// <summary>
/// How a call of the eager runtime (a method of <c>AotNet.F</c>, or an operator of <c>Tensor</c>)
/// becomes graph nodes: usually one primitive, sometimes a few (Linear is a GEMM and an add).
/// </summary>
internal sealed class Binding
{
    /// <summary>The argument id of an optional argument left out (a null bias).</summary>
    public const int Omitted = -2;

    /// <summary>The argument id of a constant argument (a float or a string); its value is in the call's constants.</summary>
    public const int Constant = -3;

    public Binding(string method, Lowering lower, IReadOnlyList<OpDef> ops, params string[] outputNames)
        : this(method, lower, ops, [], outputNames)
    {
    }

    public Binding(string method, Lowering lower, IReadOnlyList<OpDef> ops, IReadOnlyList<int> optionalArguments, params string[] outputNames)
    {
        OptionalArguments = optionalArguments;
        Method = method;
        _lower = lower;
        Ops = ops;
        OutputNames = outputNames;
    }

    /// <summary>The runtime method's name, <c>F.{Method}</c>.</summary>
    public string Method { get; }

    readonly Lowering _lower;

    /// <summary>Builds the nodes of a call whose arguments are all tensors (or omitted).</summary>
    public BindingResult Lower(OpGraph graph, IReadOnlyList<int> arguments, SourceSpot? source, string displayName) =>
        _lower(graph, arguments, new object?[arguments.Count], source, displayName);

    /// <summary>Builds the nodes of a call; <paramref name="constants"/> holds the values at the <see cref="Constant"/> slots.</summary>
    public BindingResult Lower(OpGraph graph, IReadOnlyList<int> arguments, IReadOnlyList<object?> constants, SourceSpot? source, string displayName) =>
        _lower(graph, arguments, constants, source, displayName);

    /// <summary>The primitives the call lowers to, for the docs.</summary>
    public IReadOnlyList<OpDef> Ops { get; }

    /// <summary>Arguments that may be null (an omitted bias); every other argument must be a tensor.</summary>
    public IReadOnlyList<int> OptionalArguments { get; }

    /// <summary>Names for the outputs, used until the user names them with a local.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>A call that is exactly one primitive over its tensor arguments.</summary>
    public static Binding Direct(OpDef op, params string[] outputNames) => Direct(op.Name, op, static _ => NoAttributes.Instance, outputNames);

    /// <summary>
    /// A call that is one primitive over its tensor arguments, with attributes from the arguments'
    /// types, or from its constant arguments when the op reads them (<see cref="OpDef.ArgumentAttributes"/>).
    /// </summary>
    public static Binding Direct(string method, OpDef op, System.Func<IReadOnlyList<TensorType>, OpAttributes> attributes, params string[] outputNames) =>
        new(method, (graph, arguments, constants, source, displayName) => Apply(graph, op, arguments, constants, source, displayName, attributes), [op], outputNames);

    /// <summary>Adds <paramref name="op"/> over the tensor arguments of a call; constant arguments become its attributes.</summary>
    public static BindingResult Apply(OpGraph graph, OpDef op, IReadOnlyList<int> arguments, IReadOnlyList<object?> constants, SourceSpot? source, string displayName,
        System.Func<IReadOnlyList<TensorType>, OpAttributes>? attributes = null)
    {
        var tensors = arguments.Where(a => a != Constant).ToList();
        OpAttributes chosen;
        if (op.ArgumentAttributes is { } rule)
        {
            var result = rule(Enumerable.Range(0, arguments.Count).Select(i => i < constants.Count ? constants[i] : null).ToList());
            if (result.Error is { } error)
            {
                return BindingResult.Fail($"{displayName}: {error}");
            }
            chosen = result.Attributes!;
        }
        else
        {
            chosen = (attributes ?? op.FunctionAttributes)(tensors.Select(a => graph[a].Outputs[0]).ToList());
        }
        var applied = graph.TryApply(op, chosen, source, tensors, out int id, displayName);
        return applied.Succeeded ? new BindingResult(id, null) : BindingResult.Fail(applied.Error!);
    }
}
