namespace AotNet.Generators.Graph;

/// <summary>Where a generated partial declaration goes: namespace and the chain of containing types.</summary>
internal sealed record TypeLocation(string? Namespace, EquatableArray<string> TypeDeclarations, string FullName)
{
    /// <summary>A file-name-safe form of the type's name.</summary>
    public string HintPrefix => FullName.Replace("global::", "").Replace('<', '_').Replace('>', '_');
}

/// <summary>
/// A module's Training flag that a method reads: the C# expression that reaches the module
/// (<c>this</c>, <c>this.block</c>) and its name in messages (<c>block</c>, or "" for the model).
/// </summary>
internal sealed record ModeFlag(string Access, string Name);

/// <summary>
/// A bool known only when the code runs that decides which ops run: the model's mode
/// (<see cref="IsTraining"/>, read as <c>this.Training</c>) or a configuration member such as
/// <c>this.residual</c>. <see cref="Name"/> is how the variants' names spell it.
/// </summary>
internal sealed record RuntimeCondition(string Access, string Name, bool IsTraining);

/// <summary>One straight-line graph of a method, read with each run-time condition set to <see cref="Values"/>.</summary>
internal sealed record GraphVariant(GraphSpec Graph, EquatableArray<bool> Values);

/// <summary>
/// Everything needed to emit one <c>[Differentiable]</c> method: where it lives, its signature and
/// its graph. A method whose branches depend on <see cref="Conditions"/> known only at run time
/// has one graph per combination in <see cref="Variants"/> (the first is <see cref="Graph"/>), and
/// the generated member chooses among them when called; <see cref="ModeFlags"/> lists the
/// Training flags read, which must agree with the model's.
/// </summary>
internal sealed record ModelSpec(
    TypeLocation Type,
    string MethodName,
    string Accessibility,
    GraphSpec Graph,
    SourceRange? Method = null,
    bool IsModule = false,
    EquatableArray<RuntimeCondition> Conditions = default,
    EquatableArray<GraphVariant> Variants = default,
    EquatableArray<ModeFlag> ModeFlags = default);

/// <summary>How a member holds what <c>VisitMembers</c> lists.</summary>
internal enum MemberKind
{
    Parameter,
    Module,

    /// <summary>An array of modules, listed as <c>name.0</c>, <c>name.1</c>, …</summary>
    ModuleArray,
}

/// <summary>A member a module exposes to <c>VisitMembers</c>; a nullable one is listed only while it holds a value.</summary>
internal sealed record MemberSpec(string Name, MemberKind Kind, bool IsNullable = false, string? StateName = null);

/// <summary>A module type whose <c>VisitMembers</c> the generator writes, and the members it cannot list.</summary>
internal sealed record ModuleTypeSpec(TypeLocation Type, EquatableArray<MemberSpec> Members, EquatableArray<Diagnostics.DiagnosticInfo> Problems, bool VisitsBase = false);

/// <summary>
/// The signature of a method whose graph could not be read. Its members are still declared
/// (with bodies that throw), so the build shows the real error and not a missing member at each caller.
/// </summary>
internal sealed record StubSpec(TypeLocation Type, string MethodName, string Accessibility, EquatableArray<InputSpec> Inputs, EquatableArray<string> TupleNames);
