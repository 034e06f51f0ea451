using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>Reads a layer's constant sizes from the initializer of the field or property that holds it.</summary>
internal static class LayerReader
{
    /// <summary>The sizes of a Linear member, or null with <paramref name="problem"/> and <paramref name="location"/> set.</summary>
    public static LinearLayerInfo? ReadLinear(ISymbol member, Compilation compilation, out string? problem, out Location? location)
    {
        problem = null;
        location = member.FirstLocation();
        var initializer = FindInitializer(member);
        if (initializer is null)
        {
            problem = "it has no initializer";
            return null;
        }
        location = initializer.GetLocation();
        var model = compilation.GetSemanticModel(initializer.SyntaxTree);
        if (model.GetOperation(initializer.Value) is not IObjectCreationOperation creation)
        {
            problem = "its initializer is not a 'new Linear(...)' expression";
            return null;
        }
        int? inFeatures = null, outFeatures = null;
        bool hasBias = true;
        foreach (var argument in creation.Arguments)
        {
            var constant = argument.Value.ConstantValue;
            switch (argument.Parameter?.Name)
            {
                case "inFeatures":
                    inFeatures = constant.HasValue ? constant.Value as int? : null;
                    break;
                case "outFeatures":
                    outFeatures = constant.HasValue ? constant.Value as int? : null;
                    break;
                case "bias":
                    if (argument.ArgumentKind != ArgumentKind.DefaultValue)
                    {
                        if (!constant.HasValue || constant.Value is not bool flag)
                        {
                            problem = "its 'bias' argument is not a constant";
                            return null;
                        }
                        hasBias = flag;
                    }
                    break;
            }
        }
        if (inFeatures is not > 0 || outFeatures is not > 0)
        {
            problem = "its sizes are not positive int constants";
            return null;
        }
        return new LinearLayerInfo(inFeatures.Value, outFeatures.Value, hasBias);
    }

    static EqualsValueClauseSyntax? FindInitializer(ISymbol member)
    {
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            switch (reference.GetSyntax())
            {
                case VariableDeclaratorSyntax { Initializer: { } fieldInit }:
                    return fieldInit;
                case PropertyDeclarationSyntax { Initializer: { } propertyInit }:
                    return propertyInit;
            }
        }
        return null;
    }

    /// <summary>The type of a field or property, or null for other members.</summary>
    public static ITypeSymbol? MemberType(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    /// <summary>Instance fields and properties of <paramref name="type"/> in source order.</summary>
    public static ISymbol[] InstanceMembersInSourceOrder(INamedTypeSymbol type) => type.GetMembers()
        .Where(m => !m.IsStatic && !m.IsImplicitlyDeclared && m is IFieldSymbol or IPropertySymbol { IsIndexer: false })
        .Where(m => m is not IFieldSymbol { AssociatedSymbol: not null })
        .OrderBy(m => m.FirstLocation()?.SourceTree?.FilePath ?? "", System.StringComparer.Ordinal)
        .ThenBy(m => m.FirstLocation()?.SourceSpan.Start ?? 0)
        .ToArray();
}
