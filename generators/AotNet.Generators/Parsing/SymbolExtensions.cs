using System.Linq;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Parsing;

internal static class SymbolExtensions
{
    static readonly SymbolDisplayFormat MetadataFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces);

    public static bool Is(this ITypeSymbol? type, string metadataName) =>
        type is not null && type.ToDisplayString(MetadataFormat) == metadataName;

    /// <summary>Whether <paramref name="type"/> is <paramref name="ancestor"/> or derives from it.</summary>
    public static bool DerivesFromType(this ITypeSymbol? type, ITypeSymbol ancestor)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, ancestor.OriginalDefinition))
            {
                return true;
            }
        }
        return false;
    }

    public static bool DerivesFrom(this ITypeSymbol? type, string metadataName)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Is(metadataName))
            {
                return true;
            }
        }
        return false;
    }

    public static bool HasAttribute(this ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass.Is(metadataName));

    public static AttributeData? FindAttribute(this ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass.Is(metadataName));

    public static Location? FirstLocation(this ISymbol symbol) => symbol.Locations.FirstOrDefault();
}
