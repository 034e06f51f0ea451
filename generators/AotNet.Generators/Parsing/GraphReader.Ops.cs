using System.Collections.Generic;
using AotNet.Generators.Diagnostics;
using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using Microsoft.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>Calls of <c>AotNet.F</c>, Tensor operators, layers and parameters, read through the op table's bindings.</summary>
internal sealed partial class GraphReader
{
    /// <summary>Calls whose result is integer (labels, indices), by node, with where they are: a gradient cannot pass through them.</summary>
    public Dictionary<int, (Location Location, string Text)> IntegerResults { get; } = [];

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
        if (Known(inner, scope) is { IsKnown: true, Constant: float or int or double } known)
        {
            // Configuration the module's construction fixes, such as a normalisation's epsilon, or a
            // scale computed from it (1f / MathF.Sqrt(Dim / Heads)): a constant of the graph.
            return _graph.Constant(System.Convert.ToSingle(known.Constant, System.Globalization.CultureInfo.InvariantCulture));
        }
        if (inner is IMemberReferenceOperation { Member: var scalar } reference && LayerReader.MemberType(scalar)?.SpecialType == SpecialType.System_Single
            && (scalar is IFieldSymbol { IsReadOnly: true } || (scalar is IPropertySymbol { IsIndexer: false } && !scalar.IsStatic && ModuleFacts.IsStable(scalar)))
            && (scalar.IsStatic || reference.Instance is null or IInstanceReferenceOperation))
        {
            if (!Reachable(scalar, reference))
            {
                return ReadValue.Failed;
            }
            string access = scalar.IsStatic
                ? scalar.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Names.Escape(scalar.Name)
                : scope.AccessPrefix + Names.Escape(scalar.Name);
            return _graph.RuntimeScalar(access, scalar.IsStatic ? scalar.ContainingType.Name + "." + scalar.Name : scope.NamePrefix + scalar.Name);
        }
        if (ScalarCode(inner, scope) is { } code)
        {
            // A scale computed from configuration known only when the model is built: the generated
            // code evaluates the same C# expression, once per call.
            return _graph.RuntimeScalar(code, FirstLine(inner.Syntax));
        }
        return Unsupported(operand, "a scalar operand must be a float constant (a literal or a const field), a readonly float field or get-only property of the module, or arithmetic and MathF functions of those and its int sizes");
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
        if (_graph[result.Node].DType == DType.Int32)
        {
            IntegerResults[result.Node] = (at.GetLocation(), FirstLine(at));
        }
        return result.Node;
    }

    int ReadMember(IMemberReferenceOperation reference, ReaderScope scope, bool viaModule = false)
    {
        var member = reference.Member;
        var type = LayerReader.MemberType(member);
        if (!viaModule && type.Is(KnownNames.Parameter) && !member.IsStatic && reference.Instance is not (null or IInstanceReferenceOperation)
            && ResolveModule(reference.Instance, scope, reference) is { } module)
        {
            // block.Up inside a loop over blocks: the parameter of that element.
            return ReadMember(reference, new ReaderScope(module.Type, module.NamePrefix, module.AccessPrefix, scope.Model, module.Facts), viaModule: true);
        }
        if (type.Is(KnownNames.Parameter) && (viaModule || reference.Instance is null or IInstanceReferenceOperation) && !member.IsStatic)
        {
            if (!Reachable(member, reference))
            {
                return ReadValue.Failed;
            }
            if (scope.Facts[member].IsNull)
            {
                return Unsupported(reference, $"'{member.Name}' is null in this {scope.Owner.Name}: its constructor leaves it unset for these arguments");
            }
            var shape = ReadParameterShape(member, scope, reference);
            if (shape is null)
            {
                return ReadValue.Failed;
            }
            string access = scope.AccessPrefix + Names.Escape(member.Name) + (LayerReader.MemberType(member)?.NullableAnnotation == NullableAnnotation.Annotated ? "!" : "");
            return ParameterNode(LayerReader.PathOf(scope.NamePrefix, member), access, shape);
        }
        return Unsupported(reference, type.Is(KnownNames.Tensor)
            ? "a Tensor member is a constant to the graph; make it a Parameter with a [Shape], or pass it in as an input"
            : "only Parameter members can be read here");
    }

    /// <summary>
    /// A parameter's [Shape]: int constants, or names of int fields and properties of its module
    /// (<c>[Shape(nameof(Dim), nameof(Dim))]</c>). A size the module's construction fixes at
    /// build time is a constant; any other is read from the module when the code runs.
    /// </summary>
    Shape? ReadParameterShape(ISymbol member, ReaderScope scope, IOperation at)
    {
        var declared = ShapeReader.Read(member, constantsOnly: false, out string? problem);
        if (declared is null)
        {
            Report(Descriptors.ParameterNeedsShape, member.FirstLocation(), member.Name, problem!);
            return null;
        }
        var dims = new Dim[declared.Rank];
        for (int axis = 0; axis < dims.Length; axis++)
        {
            if (declared[axis].Symbol is not { } symbol)
            {
                dims[axis] = declared[axis];
                continue;
            }
            if (!scope.Owner.GetMembers(symbol).Any(m => LayerReader.MemberType(m)?.SpecialType == SpecialType.System_Int32))
            {
                Report(Descriptors.ParameterNeedsShape, member.FirstLocation(), member.Name,
                    $"has a [Shape] size \"{symbol}\" that names no int field or property of '{scope.Owner.Name}'");
                return null;
            }
            if (ModuleSize(symbol, scope, at) is not { } size)
            {
                return null;
            }
            if (size.IsConstant && size.Value <= 0)
            {
                Report(Descriptors.ParameterNeedsShape, member.FirstLocation(), member.Name,
                    $"has the size {scope.NamePrefix}{symbol} = {size.Value} here; sizes must be positive");
                return null;
            }
            dims[axis] = size;
        }
        return new Shape(dims.ToEquatableArray());
    }

    /// <summary>
    /// The int member <paramref name="symbol"/> of the module in <paramref name="scope"/> as a
    /// size: a constant when its construction fixes it at build time, else a symbol the
    /// generated code reads from the module. Null when the member is not reachable (reported).
    /// </summary>
    Dim? ModuleSize(string symbol, ReaderScope scope, IOperation at)
    {
        var size = scope.Owner.GetMembers(symbol).First(m => LayerReader.MemberType(m)?.SpecialType == SpecialType.System_Int32);
        if (!Reachable(size, at))
        {
            return null;
        }
        object? known = size is IFieldSymbol { HasConstantValue: true } constant ? constant.ConstantValue : scope.Facts[size].Constant;
        if (known is int value)
        {
            return Dim.Of(value);
        }
        string access = size.IsStatic ? size.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Names.Escape(symbol) : scope.AccessPrefix + Names.Escape(symbol);
        string name = scope.NamePrefix.Length == 0 ? symbol : Names.Identifier(scope.NamePrefix + symbol);
        if (!_sizes.Any(s => s.Symbol == name))
        {
            _sizes.Add(new SizeSymbol(name, access, scope.NamePrefix + symbol));
        }
        return Dim.Named(name);
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

    /// <summary>
    /// C# that computes a scalar from constants and the module's readonly numbers: literals,
    /// + − × ÷, casts, and static MathF or Math functions. Null for anything else.
    /// </summary>
    string? ScalarCode(IOperation operation, ReaderScope scope)
    {
        switch (operation)
        {
            case { ConstantValue: { HasValue: true, Value: float value } }:
                return Emit.Literals.Float(value);
            case { ConstantValue: { HasValue: true, Value: int value } }:
                return Emit.Literals.Int(value);
            case IConversionOperation { Operand: { } operand } conversion when conversion.Type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Int32:
                return ScalarCode(operand, scope) is { } converted
                    ? $"(({conversion.Type.ToDisplayString()}){converted})"
                    : null;
            case IParenthesizedOperation { Operand: { } inner }:
                return ScalarCode(inner, scope);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide } binary:
            {
                string token = binary.OperatorKind switch
                {
                    BinaryOperatorKind.Add => "+",
                    BinaryOperatorKind.Subtract => "-",
                    BinaryOperatorKind.Multiply => "*",
                    _ => "/",
                };
                return ScalarCode(binary.LeftOperand, scope) is { } left && ScalarCode(binary.RightOperand, scope) is { } right ? $"({left} {token} {right})" : null;
            }
            case IInvocationOperation { TargetMethod: { IsStatic: true } math } call when math.ContainingType.ToDisplayString() is "System.MathF" or "System.Math":
            {
                var arguments = call.Arguments.Select(a => ScalarCode(a.Value, scope)).ToList();
                return arguments.All(a => a is not null) ? $"global::{math.ContainingType.ToDisplayString()}.{math.Name}({string.Join(", ", arguments)})" : null;
            }
            case IMemberReferenceOperation { Member: var member } reference when member is IFieldSymbol or IPropertySymbol { IsIndexer: false }
                && !member.IsStatic && ModuleFacts.IsStable(member) && reference.Instance is null or IInstanceReferenceOperation
                && LayerReader.MemberType(member)?.SpecialType is SpecialType.System_Single or SpecialType.System_Int32:
                return Reachable(member, reference) ? scope.AccessPrefix + Names.Escape(member.Name) : null;
            default:
                return null;
        }
    }

    SourceSpot SpotOf(SyntaxNode syntax)
    {
        if (_importedCall is not null && ImportedModules.IsImported(syntax.SyntaxTree))
        {
            syntax = _importedCall;
        }
        var line = syntax.GetLocation().GetLineSpan();
        return new SourceSpot(line.Path ?? "", line.StartLinePosition.Line + 1, line.StartLinePosition.Character + 1);
    }
}
