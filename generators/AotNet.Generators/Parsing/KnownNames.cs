namespace AotNet.Generators.Parsing;

/// <summary>Metadata names of the runtime types the generator recognises.</summary>
internal static class KnownNames
{
    public const string Differentiable = "AotNet.DifferentiableAttribute";
    public const string Shape = "AotNet.ShapeAttribute";
    public const string RequiresGrad = "AotNet.RequiresGradAttribute";
    public const string Tensor = "AotNet.Tensor";
    public const string Labels = "AotNet.Labels";
    public const string Mask = "AotNet.Mask";
    public const string Parameter = "AotNet.Parameter";
    public const string Module = "AotNet.Module";
    public const string StateName = "AotNet.StateNameAttribute";
    public const string ModuleList = "AotNet.ModuleList";
    public const string Functional = "AotNet.F";
}
