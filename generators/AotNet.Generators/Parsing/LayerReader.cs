using System.Linq;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Parsing;

/// <summary>Reads members of modules: their types, their order, and how a layer was configured.</summary>
internal static class LayerReader
{
    /// <summary>
    /// Whether a Linear member has a bias, from the arguments it was created with, or null with
    /// <paramref name="problem"/> set. Its sizes are the layer's own properties, which the caller
    /// resolves like any module size.
    /// </summary>
    public static bool? LinearHasBias(ModuleFacts? facts, out string? problem)
    {
        problem = null;
        if (facts is null || facts.Arguments.Count == 0)
        {
            problem = "the generator cannot see where it is created; create it in its initializer or the constructor with 'new Linear(...)'";
            return null;
        }
        if (!facts.Arguments.TryGetValue("bias", out var bias) || bias.Constant is not bool flag)
        {
            problem = "its 'bias' argument is not a constant";
            return null;
        }
        return flag;
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
