using AotNet.Generators.Diagnostics;
using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>Calls of <c>AotNet.F</c>, Tensor operators, layers and parameters, read through the op table's bindings.</summary>
internal sealed partial class GraphReader
{
    int ReadFunctional(string name, int[] args, IOperation?[] arguments, CallConstants constants, IInvocationOperation invocation)
    {
        if (AnyFailed(args))
        {
            return ReadValue.Failed;
        }
        if (!OpTable.Functions.TryGetValue(name, out var binding))
        {
            return Unsupported(invocation, $"F.{name} has no generated form yet; compute it outside the [Differentiable] method");
        }
        bool anyNull = false;
        for (int slot = 0; slot < args.Length; slot++)
        {
            anyNull |= !binding.OptionalArguments.Contains(slot) && !constants.IsConstant(slot) && IsNullTensor(args[slot], arguments[slot], $"F.{name}");
        }
        if (anyNull)
        {
            return ReadValue.Failed;
        }
        return Lower(binding, args, invocation.Syntax, name, constants);
    }

    int ReadBinaryOperator(string token, int left, int right, IOperation at)
    {
        if (AnyFailed(left, right))
        {
            return ReadValue.Failed;
        }
        if (!OpTable.Operators.TryGetValue(token, out var binding))
        {
            return Unsupported(at, $"Tensor has no differentiable form of the '{token}' operator yet");
        }
        return Lower(binding, [left, right], at.Syntax, binding.Method, CallConstants.None);
    }

    int ReadNegation(IUnaryOperation unary, ReaderScope scope)
    {
        int operand = Read(unary.Operand, scope);
        if (IsNullTensor(operand, unary.Operand, "the '-' operator") || AnyFailed(operand))
        {
            return ReadValue.Failed;
        }
        var binding = OpTable.Operators["unary -"];
        return Lower(binding, [operand], unary.Syntax, binding.Method, CallConstants.None);
    }

    /// <summary>An operator declared by Tensor or by Parameter.</summary>
    static bool IsGraphOperator(IMethodSymbol? method) =>
        method?.ContainingType.Is(KnownNames.Tensor) == true || method?.ContainingType.Is(KnownNames.Parameter) == true;

    /// <summary>
    /// An operand of a Tensor operator: a tensor, or a float scalar. A constant float (a literal, a
    /// const field) becomes a Constant node; a readonly float field of the model is read when the code runs.
    /// </summary>
    int ReadOperand(IOperation operand, ReaderScope scope)
    {
        if (operand.Type?.SpecialType != SpecialType.System_Single)
        {
            return Read(operand, scope);
        }
        if (TryReadConstant(operand, out object? value) && value is float or int)
        {
            return _graph.Constant(System.Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture));
        }
        var inner = operand;
        while (inner is IConversionOperation or IParenthesizedOperation)
        {
            inner = inner is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)inner).Operand;
        }
        if (inner is IFieldReferenceOperation { Field: { IsReadOnly: true, Type.SpecialType: SpecialType.System_Single } field } reference
            && (field.IsStatic || reference.Instance is null or IInstanceReferenceOperation))
        {
            if (!Reachable(field, reference))
            {
                return ReadValue.Failed;
            }
            string access = field.IsStatic
                ? field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Names.Escape(field.Name)
                : scope.AccessPrefix + Names.Escape(field.Name);
            return _graph.RuntimeScalar(access, field.IsStatic ? field.ContainingType.Name + "." + field.Name : scope.NamePrefix + field.Name);
        }
        return Unsupported(operand, "a scalar operand must be a float constant (a literal or a const field) or a readonly float field of the model");
    }

    /// <summary>Builds the nodes of one call, reports a shape mismatch at the call, and names the outputs until the user does.</summary>
    int Lower(Binding binding, int[] args, SyntaxNode at, string displayName, CallConstants constants)
    {
        for (int slot = 0; slot < args.Length; slot++)
        {
            if (args[slot] == ReadValue.None && !binding.OptionalArguments.Contains(slot) && !constants.IsConstant(slot))
            {
                Report(Descriptors.UnsupportedExpression, at.GetLocation(), FirstLine(at), $"argument {slot + 1} of {displayName} is null; it needs a tensor");
                return ReadValue.Failed;
            }
        }
        var result = binding.Lower(_graph, args, constants, SpotOf(at), displayName);
        if (result.Error is { } error)
        {
            Report(Descriptors.ShapeMismatch, at.GetLocation(), error);
            return ReadValue.Failed;
        }
        if (result.Parts is { } parts)
        {
            return NewPieces(parts);
        }
        for (int index = 0; index < binding.OutputNames.Count; index++)
        {
            Suggest(_graph.OutputOf(result.Node, index), binding.OutputNames[index]);
        }
        return result.Node;
    }

    int ReadLinearLayer(ISymbol member, ReaderScope scope, int x, SyntaxNode at)
    {
        if (x == ReadValue.Failed)
        {
            return ReadValue.Failed;
        }
        var info = LayerReader.ReadLinear(member, _compilation, out string? problem, out var location);
        if (info is null)
        {
            Report(Descriptors.LayerSizeNotConstant, location, member.Name, problem!);
            return ReadValue.Failed;
        }
        string path = scope.NamePrefix + member.Name;
        string access = scope.AccessPrefix + Names.Escape(member.Name);
        int weight = ParameterNode(path + ".weight", access + ".Weight", Graph.Shape.Of(Dim.Of(info.OutFeatures), Dim.Of(info.InFeatures)));
        int bias = info.HasBias ? ParameterNode(path + ".bias", access + ".Bias!", Graph.Shape.Of(Dim.Of(info.OutFeatures))) : ReadValue.None;
        // The layer is the functional form over its own parameters, named after the layer in messages.
        int result = Lower(OpTable.Functions["Linear"], [x, weight, bias], at, path, CallConstants.None);
        return Suggest(result, Names.Identifier(path));
    }

    int ReadMember(IMemberReferenceOperation reference, ReaderScope scope)
    {
        var member = reference.Member;
        var type = LayerReader.MemberType(member);
        if (member.ContainingType.Is(KnownNames.Linear) && member.Name is "Weight" or "Bias"
            && ResolveMember(reference.Instance, scope) is { } layer)
        {
            if (!Reachable(layer, reference.Instance!))
            {
                return ReadValue.Failed;
            }
            var info = LayerReader.ReadLinear(layer, _compilation, out string? problem, out var location);
            if (info is null)
            {
                Report(Descriptors.LayerSizeNotConstant, location, layer.Name, problem!);
                return ReadValue.Failed;
            }
            if (member.Name == "Bias" && !info.HasBias)
            {
                return Unsupported(reference, $"'{layer.Name}' was built without a bias");
            }
            string path = scope.NamePrefix + layer.Name + "." + member.Name.ToLowerInvariant();
            string access = scope.AccessPrefix + Names.Escape(layer.Name) + "." + member.Name + (member.Name == "Bias" ? "!" : "");
            var shape = member.Name == "Weight"
                ? Graph.Shape.Of(Dim.Of(info.OutFeatures), Dim.Of(info.InFeatures))
                : Graph.Shape.Of(Dim.Of(info.OutFeatures));
            return ParameterNode(path, access, shape);
        }
        if (type.Is(KnownNames.Parameter) && reference.Instance is null or IInstanceReferenceOperation && !member.IsStatic)
        {
            if (!Reachable(member, reference))
            {
                return ReadValue.Failed;
            }
            var shape = ShapeReader.Read(member, constantsOnly: true, out _);
            if (shape is null)
            {
                Report(Descriptors.ParameterNeedsShape, member.FirstLocation(), member.Name);
                return ReadValue.Failed;
            }
            return ParameterNode(scope.NamePrefix + member.Name, scope.AccessPrefix + Names.Escape(member.Name), shape);
        }
        return Unsupported(reference, type.Is(KnownNames.Tensor)
            ? "a Tensor member is a constant to the graph; make it a Parameter with a [Shape], or pass it in as an input"
            : "only Parameter members can be read here");
    }

    int ParameterNode(string name, string access, Shape shape)
    {
        if (_parameterNodes.TryGetValue(name, out int existing))
        {
            return existing;
        }
        int index = _parameters.Count;
        _parameters.Add(new ParameterSpec(name, access, shape));
        int id = _graph.Leaf(LeafKind.Parameter, index, TensorType.Float(shape), name);
        _parameterNodes[name] = id;
        return id;
    }

    static SourceSpot SpotOf(SyntaxNode syntax)
    {
        var line = syntax.GetLocation().GetLineSpan();
        return new SourceSpot(line.Path ?? "", line.StartLinePosition.Line + 1, line.StartLinePosition.Character + 1);
    }
}
