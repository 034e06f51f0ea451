using AotNet.Generators.Ops;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// One way user code reaches a binding of the op table: a call <c>F.Method(…)</c>, or a Tensor
/// operator. The PyTorch fixture and the naive reference are the F method's.
/// </summary>
public sealed record TableBinding(string Method, string? Operator)
{
    /// <summary>Every entry of <see cref="OpTable.Functions"/> and <see cref="OpTable.Operators"/>, in a stable order.</summary>
    public static IReadOnlyList<TableBinding> All { get; } =
    [
        .. OpTable.Functions.Values.Select(b => new TableBinding(b.Method, null)).OrderBy(b => b.Method, StringComparer.Ordinal),
        .. OpTable.Operators.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new TableBinding(p.Value.Method, p.Key)),
    ];

    /// <summary>"Add", or "op+Add" for the operator bound to Add.</summary>
    public string Key => Operator is null ? Method : $"op{Operator}{Method}";

    /// <summary>A C# identifier for the binding: "Add", or "OperatorAdd".</summary>
    public string Identifier => Operator is null ? Method : "Operator" + Method;

    /// <summary>The C# expression applying the binding to arguments.</summary>
    public string Call(IReadOnlyList<string> arguments) => Operator is null
        ? $"{Method}({string.Join(", ", arguments)})"
        : arguments.Count == 1 ? $"({Operator.Replace("unary ", "")}{Value(arguments[0])})" : $"({Value(arguments[0])} {Operator} {Value(arguments[1])})";

    /// <summary>The value of a named argument <c>a: a</c>, for an operator's operand.</summary>
    static string Value(string argument) => argument.Contains(':', StringComparison.Ordinal) ? argument[(argument.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() : argument;

    /// <summary>Whether the F method returns a mask (a comparison), which the harness reads as 1s and 0s through Where.</summary>
    public bool ReturnsMask => typeof(F).GetMethods().Any(m => m.Name == Method && m.ReturnType == typeof(Mask));

    /// <summary>Whether the F method returns labels (argmax's indices): read as numbers, and with no gradient, as in PyTorch.</summary>
    public bool ReturnsLabels => typeof(F).GetMethods().Any(m => m.Name == Method && m.ReturnType == typeof(Labels));

    /// <summary>Labels as a float tensor of their shape, for comparing with PyTorch's indices.</summary>
    public static Tensor AsTensor(object result) => result switch
    {
        Mask mask => mask.ToTensor(),
        Labels labels => new Tensor(labels.Span.ToArray().Select(v => (float)v).ToArray(), labels.Shape.ToArray()),
        Tensor[] pieces => F.Concat(pieces.Select(p => p.Reshape(-1)).ToArray(), 0),
        _ => (Tensor)result,
    };

    /// <summary>
    /// The F method a fixture case calls: the overload whose parameters it names in order (leaving
    /// out only optional ones; F.Pow's two forms differ in names), taking labels where the case passes labels.
    /// </summary>
    public System.Reflection.ParameterInfo[] Parameters(FixtureCase fixture) => Overload(fixture).GetParameters();

    System.Reflection.MethodInfo Overload(FixtureCase fixture) => typeof(F).GetMethods().Single(m =>
    {
        var parameters = m.GetParameters();
        return m.Name == Method && (m.ReturnType == typeof(Tensor) || m.ReturnType == typeof(Mask) || m.ReturnType == typeof(Labels) || m.ReturnType == typeof(Tensor[])) && fixture.Args.Count <= parameters.Length
            && parameters.Skip(fixture.Args.Count).All(p => p.IsOptional)
            && fixture.Args.Select((a, i) => a.Name == parameters[i].Name && (a.Kind == "labels") == (parameters[i].ParameterType == typeof(Labels))).All(x => x);
    });

    /// <summary>
    /// Runs the eager runtime's own method, or operator, on the arguments of <paramref name="fixture"/>. A mask is read as 1s and 0s,
    /// and the pieces of a split are flattened and joined, as the fixture records them.
    /// </summary>
    public Tensor Eager(IReadOnlyList<object?> arguments, FixtureCase fixture)
    {
        if (Operator is not null)
        {
            var a = (Tensor)arguments[0]!;
            if (arguments.Count == 1)
            {
                return Operator == "unary -" ? -a : throw new InvalidOperationException($"no eager form of operator {Operator}; add it here");
            }
            var b = (Tensor)arguments[1]!;
            return Operator switch
            {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "/" => a / b,
                _ => throw new InvalidOperationException($"no eager form of operator {Operator}; add it here"),
            };
        }
        var method = Overload(fixture);
        var parameters = method.GetParameters();
        var all = parameters.Select((p, i) => i < arguments.Count ? arguments[i] : p.DefaultValue).ToArray();
        return AsTensor(method.Invoke(null, all)!);
    }

    public override string ToString() => Key;
}
