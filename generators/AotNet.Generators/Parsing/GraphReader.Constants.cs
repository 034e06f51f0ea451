using System.Collections.Generic;
using AotNet.Generators.Diagnostics;
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
    int ReadConstantArgument(IMethodSymbol method, int slot, IOperation? argument, ConstantArgument?[] constants)
    {
        var parameter = method.Parameters[slot];
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
        Report(Descriptors.UnsupportedExpression, Written(argument.Syntax).GetLocation(), FirstLine(argument.Syntax),
            $"'{parameter.Name}' of F.{method.Name} is part of the static graph, so it must be a constant written at the call (a literal, a const, or an array of them)");
        return ReadValue.Failed;
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
