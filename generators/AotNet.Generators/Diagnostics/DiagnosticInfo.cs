using System.Linq;
using AotNet.Generators.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AotNet.Generators.Diagnostics;

/// <summary>
/// A diagnostic as plain values (id, file, span, arguments), so it can travel through the
/// incremental pipeline and be cached. <see cref="ToDiagnostic"/> turns it back into a Roslyn
/// diagnostic located in its syntax tree, where <c>#pragma warning disable</c> applies.
/// </summary>
internal sealed record DiagnosticInfo(string Id, string FilePath, TextSpan Span, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        var span = location?.SourceSpan ?? default;
        string path = location?.SourceTree?.FilePath ?? "";
        return new DiagnosticInfo(descriptor.Id, path, span, arguments.ToEquatableArray());
    }

    public Diagnostic ToDiagnostic(Compilation compilation)
    {
        var descriptor = DescriptorsById.Find(Id);
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == FilePath);
        var location = tree is null ? Location.None : Location.Create(tree, Span);
        return Diagnostic.Create(descriptor, location, Arguments.Cast<object>().ToArray());
    }
}

internal static class DescriptorsById
{
    static readonly DiagnosticDescriptor[] All =
    [
        Descriptors.TypeNotPartial,
        Descriptors.UnsupportedStatement,
        Descriptors.UnsupportedExpression,
        Descriptors.ShapeMismatch,
        Descriptors.InvalidShape,
        Descriptors.RecursiveCall,
        Descriptors.UnsupportedSignature,
        Descriptors.GradientOfLabels,
        Descriptors.ParameterNeedsShape,
        Descriptors.MemberNotReachable,
        Descriptors.MemberNotVisible,
        Descriptors.InternalError,
        Descriptors.ConditionNotKnown,
        Descriptors.ImportedMemberNotPublic,
    ];

    public static DiagnosticDescriptor Find(string id) => All.First(d => d.Id == id);

    public static System.Collections.Generic.IReadOnlyList<DiagnosticDescriptor> Every => All;
}
