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
    /// <summary>The description of <paramref name="type"/>, or null when no other assembly could use it.</summary>
    public static ModuleDescriptionSpec? Describe(INamedTypeSymbol type, Compilation compilation)
    {
        // An application is not referenced by other projects; only libraries describe their modules.
        if (compilation.Options.OutputKind != OutputKind.DynamicallyLinkedLibrary || !type.DerivesFrom(KnownNames.Module) || type.IsGenericType || !IsPublic(type) || ImportedModules.IsImported(type))
        {
            return null;
        }
        var globalUsings = compilation.SyntaxTrees
            .SelectMany(tree => tree.GetCompilationUnitRoot().Usings)
            .Where(u => u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword))
            .Select(u => u.WithGlobalKeyword(default).NormalizeWhitespace().ToFullString())
            .Distinct()
            .ToList();
        var files = new List<DescribedFile>();
        foreach (var declaration in type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>())
        {
            files.Add(new DescribedFile(FileName(declaration.SyntaxTree.FilePath), Source(declaration, globalUsings)));
        }
        return files.Count == 0 ? null : new ModuleDescriptionSpec(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), files.ToEquatableArray());
    }

    static bool IsPublic(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }
        return true;
    }

    static string FileName(string path)
    {
        int slash = System.Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return path.Substring(slash + 1);
    }

    /// <summary>
    /// The declaration in the scope it was written in: usings, namespaces and containing types on
    /// the first line, then the declaration at its original line and column, so that the reader's
    /// comments and messages give the line the module's author sees.
    /// </summary>
    static string Source(TypeDeclarationSyntax declaration, IReadOnlyList<string> globalUsings)
    {
        var opening = new StringBuilder();
        var root = declaration.SyntaxTree.GetCompilationUnitRoot();
        foreach (string global in globalUsings)
        {
            opening.Append(global).Append(' ');
        }
        foreach (var directive in root.Usings.Where(u => !u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword)))
        {
            opening.Append(directive.NormalizeWhitespace().ToFullString()).Append(' ');
        }
        int closers = 0;
        foreach (var ancestor in declaration.Ancestors().Reverse())
        {
            switch (ancestor)
            {
                case BaseNamespaceDeclarationSyntax space:
                    opening.Append("namespace ").Append(space.Name.ToString()).Append(" { ");
                    foreach (var directive in space.Usings)
                    {
                        opening.Append(directive.NormalizeWhitespace().ToFullString()).Append(' ');
                    }
                    closers++;
                    break;
                case TypeDeclarationSyntax outer:
                    opening.Append(outer.Modifiers.ToString()).Append(' ').Append(outer.Keyword.Text).Append(' ')
                        .Append(outer.Identifier.Text).Append(outer.TypeParameterList?.ToString() ?? "").Append(" { ");
                    closers++;
                    break;
            }
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
        text.Append(CommentsRemoved.From(declaration));
        text.Append('\n').Append(string.Concat(Enumerable.Repeat("}", closers)));
        return text.ToString();
    }
}

/// <summary>
/// Comments carry nothing the consumer reads, and without them a comment edit leaves the
/// description, and so every later pipeline step, unchanged. Their line breaks stay, so lines keep their numbers.
/// </summary>
internal sealed class CommentsRemoved : CSharpSyntaxRewriter
{
    static readonly CommentsRemoved Instance = new();

    CommentsRemoved() : base(visitIntoStructuredTrivia: false)
    {
    }

    public static string From(SyntaxNode node) => Instance.Visit(node).ToString();

    public override SyntaxTrivia VisitTrivia(SyntaxTrivia trivia)
    {
        if (!trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) && !trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
            && !trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) && !trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
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
