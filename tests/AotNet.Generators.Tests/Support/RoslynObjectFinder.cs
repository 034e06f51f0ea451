using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Tests.Support;

/// <summary>
/// Walks an object graph by reflection (every instance field, so records, arrays, equatable
/// arrays and tuples alike) and reports the paths of Roslyn objects that must not outlive the
/// first pipeline step: symbols, syntax, compilations, semantic models, locations, trees.
/// </summary>
public static class RoslynObjectFinder
{
    static readonly Type[] Forbidden =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location), typeof(SyntaxTree),
        typeof(IOperation), typeof(SyntaxReference), typeof(AttributeData),
    ];

    public static IReadOnlyList<string> Find(object? root, string rootName)
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(root, rootName, found, visited, depth: 0);
        return found;
    }

    static void Walk(object? value, string path, List<string> found, HashSet<object> visited, int depth)
    {
        if (value is null || depth > 64)
        {
            return;
        }
        var type = value.GetType();
        if (Forbidden.Any(f => f.IsAssignableFrom(type)))
        {
            found.Add($"{path}: {type.FullName}");
            return;
        }
        if (type.IsPrimitive || type.IsEnum || value is string or decimal or Type || type.IsPointer)
        {
            return;
        }
        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }
        if (value is Array array)
        {
            int index = 0;
            foreach (var item in array)
            {
                Walk(item, $"{path}[{index++}]", found, visited, depth + 1);
            }
            return;
        }
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                {
                    continue;
                }
                Walk(field.GetValue(value), $"{path}.{Readable(field.Name)}", found, visited, depth + 1);
            }
        }
    }

    static string Readable(string fieldName) =>
        fieldName.StartsWith('<') && fieldName.IndexOf('>') is > 0 and var end ? fieldName[1..end] : fieldName;
}
