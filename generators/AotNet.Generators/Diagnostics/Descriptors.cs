using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. Each has a page in docs/diagnostics.md.</summary>
internal static class Descriptors
{
    const string Category = "AotNet";

    /// <summary>
    /// docs/diagnostics.md in the repository the package names (RepositoryUrl and RepositoryBranch
    /// in Directory.Build.props, stamped into this assembly at build time), up to the anchor.
    /// </summary>
    internal static readonly string HelpRoot =
        $"{Metadata("AotNet.RepositoryUrl").TrimEnd('/')}/blob/{Metadata("AotNet.RepositoryBranch")}/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor TypeNotPartial = Create(
        "AOTNET0001", "Type must be partial",
        "'{0}' must be declared partial, with every type that contains it, so the generator can add its compiled members");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Create(
        "AOTNET0002", "Statement not supported in a differentiable method",
        "This statement cannot be part of a static graph; use local declarations, assignments to locals and inputs, if on build-time conditions, loops over module lists, and return: {0}");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Create(
        "AOTNET0003", "Expression not supported in a differentiable method",
        "'{0}' is not differentiable here: {1}");

    public static readonly DiagnosticDescriptor ShapeMismatch = Create(
        "AOTNET0004", "Shapes do not match",
        "{0}");

    public static readonly DiagnosticDescriptor InvalidShape = Create(
        "AOTNET0005", "Input needs a valid [Shape]",
        "Input '{0}' {1}");

    public static readonly DiagnosticDescriptor RecursiveCall = Create(
        "AOTNET0007", "Differentiable methods cannot recurse",
        "'{0}' calls itself through {1}; a static graph must be finite, so unroll the recursion");

    public static readonly DiagnosticDescriptor UnsupportedSignature = Create(
        "AOTNET0008", "Unsupported signature for a differentiable method",
        "'{0}' {1}");

    public static readonly DiagnosticDescriptor GradientOfLabels = Create(
        "AOTNET0009", "Labels have no gradient",
        "[RequiresGrad] is on '{0}', which holds integer labels; only Tensor inputs have gradients, so remove the attribute");

    public static readonly DiagnosticDescriptor ParameterNeedsShape = Create(
        "AOTNET0010", "Parameter needs a [Shape]",
        "Parameter '{0}' {1}; declare its sizes as int constants or as names of int fields or properties of its module, such as [Shape(128, 64)] or [Shape(nameof(OutFeatures), nameof(InFeatures))]");

    public static readonly DiagnosticDescriptor MemberNotReachable = Create(
        "AOTNET0011", "Submodule member is not reachable from the generated code",
        "'{0}' is private to '{1}', but the compiled code of '{2}' inlines a call into '{1}' and must read it; make '{0}' internal or public");

    public static readonly DiagnosticDescriptor ConditionNotKnown = Create(
        "AOTNET0014", "Condition must be known at build time",
        "'{0}' decides which ops run, so the generator must know it at build time, or it must be a bool the generated code can branch on: use a constant, configuration the constructor sets, a null check of a member, a module list's Count, a loop counter, the Training flag or a bool field or property; {1}");

    public static readonly DiagnosticDescriptor ImportedMemberNotPublic = Create(
        "AOTNET0015", "Member of a module from another assembly is not public",
        "'{0}' of '{1}' is not public, but '{1}' comes from the assembly '{2}' and the compiled code of '{3}' inlines its calls, so it must read '{0}' from outside that assembly; make '{0}' public in '{2}'");

    public static readonly DiagnosticDescriptor MemberNotVisible = Create(
        "AOTNET0012", "Member holds modules or parameters the generator cannot list",
        "'{0}' is a {1} holding {2}, which VisitMembers cannot list, so they would not be trained, optimised or saved; hold modules in a ModuleList<T> or an array, and each parameter in a field or property of its own");

    public static readonly DiagnosticDescriptor InternalError = Create(
        "AOTNET0013", "The generator failed",
        "The generator failed on '{0}' ({1}: {2}); this is a bug in AotNet, so please report it with this message. Other models are unaffected.");

    static string Metadata(string key) =>
        typeof(Descriptors).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The generator was built without the {key} assembly metadata.");

    static DiagnosticDescriptor Create(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id.ToLowerInvariant());
}
