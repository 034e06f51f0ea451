using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace AotNet.Generators.Ops;

/// <summary>
/// The op table: every primitive the generator knows, one entry each, grouped by family in the
/// files of this folder. Parsing, shape inference, autodiff, fusion and emission read these
/// entries; no code outside this folder asks which op a node is. Declaring an entry is all it
/// takes to add it: the list below and the bindings are read off the declarations.
/// </summary>
internal static partial class OpTable
{
    /// <summary>Every entry, by family and then in declaration order, for the docs and the contract tests.</summary>
    public static IReadOnlyList<OpDef> All => _all ??= typeof(OpTable)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(member => member.FieldType == typeof(OpDef))
        .OrderBy(member => member.MetadataToken)
        .Select(member => (OpDef)member.GetValue(null)!)
        .OrderBy(op => op.Family)
        .ToList();

    static IReadOnlyList<OpDef>? _all;
}
