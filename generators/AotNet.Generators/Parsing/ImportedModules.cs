using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AotNet.Generators.Parsing;

/// <summary>
/// Modules from referenced assemblies, read from the descriptions their generator wrote
/// (<see cref="ModuleDescriber"/>). Their declarations join a copy of the compilation, where they
/// stand in for the compiled types of the same names, so that a model's calls into them are read,
/// inlined and checked exactly like calls into modules of its own project.
/// </summary>
internal sealed class ImportedModules
{
    public const string AttributeName = "AotNet.Compiled.ModuleDescriptionAttribute";

    /// <summary>The description format this generator writes and reads.</summary>
    public const int Format = 1;

    static readonly ConditionalWeakTable<Compilation, ImportedModules> Cache = new();

    /// <summary>The trees of imported declarations, with the assembly each came from.</summary>
    static readonly ConditionalWeakTable<SyntaxTree, string> ImportedTrees = new();

    readonly Dictionary<string, string> _unreadable;

    ImportedModules(Compilation original, Compilation compilation, Dictionary<string, string> unreadable)
    {
        Original = original;
        Compilation = compilation;
        _unreadable = unreadable;
    }

    /// <summary>The project's own compilation, without the descriptions.</summary>
    public Compilation Original { get; }

    /// <summary>The compilation with every readable description added; the original when there are none.</summary>
    public Compilation Compilation { get; }

    /// <summary>The imported modules of <paramref name="compilation"/>, read once per compilation.</summary>
    public static ImportedModules For(Compilation compilation, ParseOptions? options) =>
        Cache.GetValue(compilation, c => Read(c, options as CSharpParseOptions ?? CSharpParseOptions.Default));

    /// <summary>True for a symbol declared in an imported description rather than in the project's own source.</summary>
    public static bool IsImported(ISymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Length > 0 && symbol.DeclaringSyntaxReferences.All(r => ImportedTrees.TryGetValue(r.SyntaxTree, out _));

    /// <summary>True for a node of an imported description.</summary>
    public static bool IsImported(SyntaxTree? tree) => tree is not null && ImportedTrees.TryGetValue(tree, out _);

    /// <summary>The assembly an imported symbol came from.</summary>
    public static string AssemblyOf(ISymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Select(r => ImportedTrees.TryGetValue(r.SyntaxTree, out string? assembly) ? assembly : null).FirstOrDefault(a => a is not null)
        ?? symbol.ContainingAssembly?.Name ?? "";

    /// <summary>Why a compiled module type has no readable description, for the message that says its body cannot be read.</summary>
    public string WhyNotReadable(INamedTypeSymbol type)
    {
        string name = type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (_unreadable.TryGetValue(name, out string? why))
        {
            return why;
        }
        string assembly = type.ContainingAssembly?.Name ?? "its assembly";
        if (type.DerivesFrom(KnownNames.Module) && type.ContainingType is { } outer)
        {
            return $"it is compiled in '{assembly}' nested in '{outer.Name}', and only top-level module types carry descriptions (a module nested in a module travels with it)";
        }
        if (type.DerivesFrom(KnownNames.Module) && type.IsGenericType)
        {
            return $"it is compiled in '{assembly}', and generic module types carry no description yet";
        }
        if (!type.DerivesFrom(KnownNames.Module))
        {
            return $"it is compiled in '{assembly}', and only modules carry descriptions of their code; call it from a module's [Differentiable] method";
        }
        return $"it is compiled in '{assembly}', which carries no description of it; the AotNet generator writes one for each public module type when it builds '{assembly}' as a library";
    }

    static ImportedModules Read(Compilation compilation, CSharpParseOptions options)
    {
        var trees = new List<SyntaxTree>();
        var unreadable = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (!MayDescribeModules(assembly))
            {
                continue;
            }
            foreach (var attribute in assembly.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != AttributeName || attribute.ConstructorArguments.Length != 4
                    || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol type
                    || attribute.ConstructorArguments[1].Value is not int format
                    || attribute.ConstructorArguments[2].Value is not string fileName
                    || attribute.ConstructorArguments[3].Value is not string source)
                {
                    continue;
                }
                if (format != Format)
                {
                    unreadable[type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)] =
                        $"'{assembly.Name}' describes it in format {format}, and this generator reads format {Format}; build both projects with the same version of AotNet";
                    continue;
                }
                var tree = CSharpSyntaxTree.ParseText(source, options, $"{assembly.Name}/{fileName}");
                ImportedTrees.Add(tree, assembly.Name);
                trees.Add(tree);
            }
        }
        return new ImportedModules(compilation, trees.Count == 0 ? compilation : compilation.AddSyntaxTrees(trees), unreadable);
    }

    /// <summary>Only AotNet and assemblies built against it can hold descriptions; the rest are not opened.</summary>
    static bool MayDescribeModules(IAssemblySymbol assembly) =>
        assembly.Name == "AotNet" || assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == "AotNet"));
}
