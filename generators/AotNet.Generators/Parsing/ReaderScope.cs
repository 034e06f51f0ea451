using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Parsing;

/// <summary>
/// What names mean while one method body is read: its parameters and locals, and the object
/// (<c>this</c>, or a submodule when a call is inlined) whose members it reaches.
/// </summary>
internal sealed class ReaderScope
{
    public ReaderScope(INamedTypeSymbol owner, string namePrefix, string accessPrefix, SemanticModel model, ModuleFacts facts)
    {
        Owner = owner;
        Facts = facts;
        NamePrefix = namePrefix;
        AccessPrefix = accessPrefix;
        Model = model;
    }

    /// <summary>The type whose instance members the body reaches.</summary>
    public INamedTypeSymbol Owner { get; }

    /// <summary>What is known at build time about that instance's members.</summary>
    public ModuleFacts Facts { get; }

    /// <summary>The PyTorch-style name prefix of that instance: "" or "block.".</summary>
    public string NamePrefix { get; }

    /// <summary>The C# expression that reaches that instance, with a trailing dot: "this." or "this.block.".</summary>
    public string AccessPrefix { get; }

    public SemanticModel Model { get; }

    /// <summary>Locals that stand for a module: the variable of a loop over a module list.</summary>
    public Dictionary<ISymbol, ModuleRef> Modules { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>The counter of a compiled for loop, standing for the element <c>blocks[i]</c> the body is compiled for.</summary>
    public Dictionary<ISymbol, ModuleRef> Elements { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>The counters of the for loops being read, with their value in this iteration.</summary>
    public Dictionary<ISymbol, int> Counters { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Value ids of parameters and locals; -1 stands for a value that failed to read (already reported).</summary>
    public Dictionary<ISymbol, int> Values { get; } = new(SymbolEqualityComparer.Default);
}
