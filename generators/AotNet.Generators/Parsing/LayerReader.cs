using System.Linq;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Parsing;

/// <summary>Reads members of modules: their types, their order and their names.</summary>
internal static class LayerReader
{
    /// <summary>The member's name in state dicts: its [StateName], or its own name; empty for a child whose members are named as the parent's own.</summary>
    public static string StateName(ISymbol member) =>
        member.FindAttribute(KnownNames.StateName) is { ConstructorArguments.Length: 1 } attribute
        && attribute.ConstructorArguments[0].Value is string name && (name.Length == 0 || name.Trim().Length > 0) ? name : member.Name;

    /// <summary>The state-dict path of <paramref name="member"/> under <paramref name="prefix"/> ("blocks.0."): its name appended, or nothing for an empty state name.</summary>
    public static string PathOf(string prefix, ISymbol member)
    {
        string name = StateName(member);
        return name.Length == 0 ? prefix.TrimEnd('.') : prefix + name;
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
