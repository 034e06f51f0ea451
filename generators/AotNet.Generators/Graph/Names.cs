using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace AotNet.Generators.Graph;

/// <summary>Turns names such as <c>fc1.weight</c> into C# identifiers for generated locals.</summary>
internal static class Names
{
    public static string Identifier(string name)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        string identifier = new(chars);
        return identifier.Length == 0 || char.IsDigit(identifier[0]) ? "_" + identifier : identifier;
    }

    /// <summary>A name as C# must write it: <c>@out</c> for <c>out</c>.</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
