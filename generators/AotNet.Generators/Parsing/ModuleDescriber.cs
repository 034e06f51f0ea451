using System.Collections.Generic;
using System.Linq;
using System.Text;
using AotNet.Generators.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AotNet.Generators.Parsing;

/// <summary>
/// Writes down a public module's declarations for models in other assemblies, which inline its
/// calls and evaluate its constructor exactly as they would its source (<see cref="ImportedModules"/>).
/// </summary>
internal static class ModuleDescriber
{
    /// <summary>
    /// The description of <paramref name="type"/>, or null when no other assembly could use it.
    /// Only top-level types are described: a nested module travels inside its containing
    /// module's description, since a stand-in for a containing type would hide the real one.
    /// </summary>
    public static ModuleDescriptionSpec? Describe(INamedTypeSymbol type, Compilation compilation)
    {
        // An application is not referenced by other projects; only libraries describe their modules.
        if (compilation.Options.OutputKind != OutputKind.DynamicallyLinkedLibrary || !type.DerivesFrom(KnownNames.Module) || type.IsGenericType
            || type.ContainingType is not null || type.DeclaredAccessibility != Accessibility.Public || ImportedModules.IsImported(type))
        {
            return null;
        }
        var globalUsings = compilation.SyntaxTrees
            .SelectMany(tree => tree.GetCompilationUnitRoot().Usings)
            .Where(u => u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword))
            .Select(u => Written(u.WithGlobalKeyword(default)))
            .Distinct()
            .ToList();
        var files = new List<DescribedFile>();
        foreach (var declaration in type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>())
        {
            files.Add(new DescribedFile(FileName(declaration.SyntaxTree.FilePath), Source(declaration, globalUsings)));
        }
        return files.Count == 0 ? null : new ModuleDescriptionSpec(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), files.ToEquatableArray());
    }

    /// <summary>A using directive on one line, without the comments around it.</summary>
    static string Written(UsingDirectiveSyntax directive) => directive.WithoutTrivia().NormalizeWhitespace().ToFullString();

    static string FileName(string path)
    {
        int slash = System.Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return path.Substring(slash + 1);
    }

    /// <summary>
    /// The declaration in the scope it was written in, on the first line: its namespace, and inside
    /// it the usings, where they take precedence over what the model's project declares outside
    /// any namespace. The declaration follows at its original line and column, so the reader's
    /// comments and messages give the line the module's author sees.
    /// </summary>
    static string Source(TypeDeclarationSyntax declaration, IReadOnlyList<string> globalUsings)
    {
        var root = declaration.SyntaxTree.GetCompilationUnitRoot();
        var usings = globalUsings.Concat(root.Usings.Where(u => !u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword)).Select(Written)).ToList();
        var namespaces = declaration.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse().ToList();
        var opening = new StringBuilder();
        if (namespaces.Count == 0)
        {
            opening.Append(string.Join(" ", usings));
        }
        for (int i = 0; i < namespaces.Count; i++)
        {
            opening.Append("namespace ").Append(namespaces[i].Name.ToString()).Append(" { ");
            if (i == 0)
            {
                opening.Append(string.Join(" ", usings)).Append(' ');
            }
            opening.Append(string.Join(" ", namespaces[i].Usings.Select(Written))).Append(' ');
        }
        var start = declaration.GetLocation().GetLineSpan().StartLinePosition;
        var text = new StringBuilder(opening.ToString().TrimEnd());
        if (start.Line > 0)
        {
            text.Append('\n', start.Line).Append(' ', start.Character);
        }
        else
        {
            text.Append(' ');
        }
        text.Append(ActiveCode.Of(declaration));
        text.Append('\n').Append(string.Concat(Enumerable.Repeat("}", namespaces.Count)));
        return text.ToString();
    }
}

/// <summary>
/// The code as the library's compiler saw it. Comments carry nothing the reader needs, and
/// without them a comment edit leaves the description, and every later pipeline step, unchanged.
/// Preprocessor directives and the text they disabled go too: the model's project may define
/// other symbols, and must read what the library compiled. Line breaks stay, so lines keep their numbers.
/// </summary>
internal sealed class ActiveCode : CSharpSyntaxRewriter
{
    static readonly ActiveCode Instance = new();

    ActiveCode() : base(visitIntoStructuredTrivia: false)
    {
    }

    public static string Of(SyntaxNode node) => Instance.Visit(node).ToString();

    public override SyntaxTrivia VisitTrivia(SyntaxTrivia trivia)
    {
        if (!trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) && !trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
            && !trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) && !trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia)
            && !trivia.IsKind(SyntaxKind.DisabledTextTrivia) && !trivia.IsDirective)
        {
            return trivia;
        }
        int lineBreaks = trivia.ToFullString().Count(c => c == '\n');
        return SyntaxFactory.Whitespace(new string('\n', lineBreaks));
    }
}

/// <summary>One declaration of a module: the file it came from and its source in scope.</summary>
internal sealed record DescribedFile(string FileName, string Source);

/// <summary>What a module's assembly records about it for other assemblies' generators.</summary>
internal sealed record ModuleDescriptionSpec(string Type, EquatableArray<DescribedFile> Files);
