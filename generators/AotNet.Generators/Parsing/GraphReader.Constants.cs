using System.Collections.Generic;
using AotNet.Generators.Diagnostics;
using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>
/// The non-tensor arguments of <c>AotNet.F</c> calls (axes, flags, a reduction's name, a margin):
/// the graph is static, so each must be a constant the compiler can see at the call site, and
/// becomes part of the node's typed attributes.
/// </summary>
internal sealed partial class GraphReader
{
    /// <summary>A Tensor, Labels or Mask parameter, whose argument the graph holds as a node; any other argument of an F method is a constant.</summary>
    static bool IsTensorParameter(IParameterSymbol parameter) =>
        parameter.Type.Is(KnownNames.Tensor) || parameter.Type.Is(KnownNames.Labels) || parameter.Type.Is(KnownNames.Mask);

    /// <summary>
    /// Reads argument <paramref name="slot"/> of <paramref name="method"/> as a constant into
    /// <paramref name="constants"/>; an omitted argument takes the parameter's default. Reports a
    /// value only known when the code runs, at the argument.
    /// </summary>
    int ReadConstantArgument(IParameterSymbol parameter, string methodName, int slot, IOperation? argument, ConstantArgument?[] constants, ReaderScope scope)
    {
        if (argument is null)
        {
            constants[slot] = new ConstantArgument(parameter.HasExplicitDefaultValue ? parameter.ExplicitDefaultValue : null);
            return Binding.ConstantSlot;
        }
        if (TryReadConstant(argument, out object? value))
        {
            constants[slot] = new ConstantArgument(value);
            return Binding.ConstantSlot;
        }
        if (IsNumber(parameter.Type) && Known(argument, scope) is { IsKnown: true } fact && (fact.IsNull || fact.Constant is int or float))
        {
            // A module's configuration that its construction fixes, such as a padding row given to its constructor.
            constants[slot] = new ConstantArgument(fact.IsNull ? null : fact.Constant);
            return Binding.ConstantSlot;
        }
        _sizeOfFailedValue = false;
        if (IsSizes(parameter.Type) && TryReadSizes(argument, scope) is { } sizes)
        {
            constants[slot] = new ConstantArgument(sizes);
            return Binding.ConstantSlot;
        }
        if (_sizeOfFailedValue)
        {
            // x.Dim(0) of a value that could not be read: its problem is reported where it failed.
            return ReadValue.Failed;
        }
        var read = argument;
        while (read is IConversionOperation { Operand: { } operand })
        {
            read = operand;
        }
        if (read is IMemberReferenceOperation { Member: var configuration } && scope.NamePrefix.Length > 0)
        {
            string module = scope.NamePrefix.TrimEnd('.');
            Report(Descriptors.UnsupportedExpression, Written(argument.Syntax).GetLocation(), FirstLine(argument.Syntax),
                $"'{parameter.Name}' of F.{methodName} is part of the static graph, and here it is '{configuration.Name}' of '{module}' ({scope.Owner.Name}), which is not known at build time: create '{module}' with a constant for it, in a readonly member's initializer or in the constructor");
            return ReadValue.Failed;
        }
        Report(Descriptors.UnsupportedExpression, Written(argument.Syntax).GetLocation(), FirstLine(argument.Syntax),
            $"'{parameter.Name}' of F.{methodName} is part of the static graph, so it must be a constant written at the call (a literal, a const, or an array of them)"
            + (IsSizes(parameter.Type) ? ", or a size of a tensor such as x.Dim(0)" : ""));
        return ReadValue.Failed;
    }

    /// <summary>An int or float, or a nullable one: the arguments a module's known configuration may supply.</summary>
    static bool IsNumber(ITypeSymbol type)
    {
        var value = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        return value.SpecialType is SpecialType.System_Int32 or SpecialType.System_Single;
    }

    static bool IsSizes(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_Int32 || type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Int32 };

    /// <summary>
    /// Sizes that the graph knows as dimensions though C# knows them only when the code runs:
    /// <c>x.Dim(0)</c>, <c>x.Length</c>, a module's int sizes, constants, and + − × ÷ of them. Null for anything else.
    /// </summary>
    Dim[]? TryReadSizes(IOperation operation, ReaderScope scope)
    {
        IEnumerable<IOperation>? elements = operation switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
            ICollectionExpressionOperation collection => collection.Elements,
            _ => null,
        };
        if (elements is null)
        {
            return TryReadSize(operation, scope) is { } single ? [single] : null;
        }
        var sizes = new List<Dim>();
        foreach (var element in elements)
        {
            if (TryReadSize(element, scope) is not { } size)
            {
                return null;
            }
            sizes.Add(size);
        }
        return [.. sizes];
    }

    /// <summary>Set when a size read the shape of a value that had already failed, so nothing more is said about it.</summary>
    bool _sizeOfFailedValue;

    Dim? TryReadSize(IOperation operation, ReaderScope scope)
    {
        switch (operation)
        {
            case { ConstantValue: { HasValue: true, Value: int constant } }:
                return Dim.Of(constant);
            case IConversionOperation { Operand: { } operand }:
                return TryReadSize(operand, scope);
            case IParenthesizedOperation { Operand: { } inner }:
                return TryReadSize(inner, scope);
            case IInvocationOperation { TargetMethod.Name: "Dim", Instance: { } tensor } call
                when call.TargetMethod.ContainingType.Is(KnownNames.Tensor) && call.Arguments.Length == 1 && call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: int axis }:
            {
                int value = Read(tensor, scope);
                if (value < 0 || ReadValue.IsTuple(value))
                {
                    _sizeOfFailedValue |= value == ReadValue.Failed;
                    return null;
                }
                var shape = _graph.Shape(value);
                int resolved = axis < 0 ? axis + shape.Rank : axis;
                return resolved >= 0 && resolved < shape.Rank ? shape[resolved] : null;
            }
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } tensor } length when length.Property.ContainingType.Is(KnownNames.Tensor):
            {
                int value = Read(tensor, scope);
                _sizeOfFailedValue |= value == ReadValue.Failed;
                return value >= 0 && !ReadValue.IsTuple(value) ? _graph.Shape(value).Length : null;
            }
            case IMemberReferenceOperation { Member: var member } reference when member is IFieldSymbol or IPropertySymbol { IsIndexer: false }
                && LayerReader.MemberType(member)?.SpecialType == SpecialType.System_Int32 && !member.IsStatic:
            {
                // x.View(n, t, Heads, Dim / Heads): a module's own sizes, constant where its construction fixes them.
                if (reference.Instance is null or IInstanceReferenceOperation)
                {
                    return ModuleSize(member.Name, scope, reference);
                }
                return ResolveModule(reference.Instance, scope, reference) is { } module
                    ? ModuleSize(member.Name, new ReaderScope(module.Type, module.NamePrefix, module.AccessPrefix, scope.Model, module.Facts), reference)
                    : null;
            }
            case IBinaryOperation binary when TryReadSize(binary.LeftOperand, scope) is { } left && TryReadSize(binary.RightOperand, scope) is { } right:
                return binary.OperatorKind switch
                {
                    BinaryOperatorKind.Add => left + right,
                    BinaryOperatorKind.Subtract => left - right,
                    BinaryOperatorKind.Multiply => left * right,
                    BinaryOperatorKind.Divide when !(right.IsConstant && right.Value == 0) => left / right,
                    _ => null,
                };
            default:
                return null;
        }
    }

    static bool TryReadConstant(IOperation operation, out object? value)
    {
        value = null;
        if (operation.ConstantValue.HasValue)
        {
            value = operation.ConstantValue.Value switch
            {
                double d => (float)d,
                var other => other,
            };
            return value is null or int or bool or float or string;
        }
        if (operation is IDefaultValueOperation)
        {
            // default for a nullable parameter (a float? bound left open); other defaults are constants above.
            return true;
        }
        if (operation is IConversionOperation { Operand: { } operand })
        {
            return TryReadConstant(operand, out value);
        }
        IEnumerable<IOperation>? elements = operation switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
            ICollectionExpressionOperation collection => collection.Elements,
            _ => null,
        };
        if (elements is null)
        {
            return false;
        }
        var ints = new List<int>();
        foreach (var element in elements)
        {
            if (!TryReadConstant(element, out object? item) || item is not int i)
            {
                return false;
            }
            ints.Add(i);
        }
        value = ints.ToArray();
        return true;
    }
}
