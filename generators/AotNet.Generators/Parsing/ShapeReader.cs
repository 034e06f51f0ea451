using System.Collections.Generic;
using AotNet.Generators.Graph;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Parsing;

/// <summary>Reads a <c>[Shape(...)]</c> attribute: ints are constant dimensions, strings are symbols.</summary>
internal static class ShapeReader
{
    /// <summary>The declared shape, or null with <paramref name="problem"/> saying what is wrong.</summary>
    public static Shape? Read(ISymbol symbol, bool constantsOnly, out string? problem)
    {
        problem = null;
        var attribute = symbol.FindAttribute(KnownNames.Shape);
        if (attribute is null || attribute.ConstructorArguments.Length != 1)
        {
            problem = "has no [Shape]; declare one, such as [Shape(\"N\", 784)]";
            return null;
        }
        var dims = new List<Dim>();
        foreach (var value in attribute.ConstructorArguments[0].Values)
        {
            switch (value.Value)
            {
                case int size when size > 0:
                    dims.Add(Dim.Of(size));
                    break;
                case string name when !constantsOnly && SyntaxFacts.IsValidIdentifier(name):
                    dims.Add(Dim.Named(name));
                    break;
                default:
                    problem = constantsOnly
                        ? $"has a [Shape] dimension '{value.Value ?? "null"}'; use positive int constants"
                        : $"has a [Shape] dimension '{value.Value ?? "null"}'; use positive int constants or identifier-like symbols such as \"N\"";
                    return null;
            }
        }
        return new Shape(dims.ToEquatableArray());
    }
}

internal static class SyntaxFacts
{
    public static bool IsValidIdentifier(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name)
        && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;
}
