namespace AotNet.Generators.Graph;

/// <summary>
/// Two sizes the graph needs equal that the build could not prove equal (two different
/// symbols, say). The generated code checks them when it runs, before any work.
/// </summary>
internal sealed record DimRequirement(Dim Left, Dim Right, string Message);
