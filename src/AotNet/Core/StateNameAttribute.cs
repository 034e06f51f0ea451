namespace AotNet;

/// <summary>
/// The name a parameter or child module goes by in <see cref="Module.NamedParameters"/>, state
/// dicts and checkpoints, where it differs from the member's own: PyTorch calls a layer's weight
/// <c>weight</c>, and a C# property is <c>Weight</c>. Without it the member's name is used as written.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class StateNameAttribute : Attribute
{
    /// <summary>Names the member <paramref name="name"/>.</summary>
    public StateNameAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The member's name in state dicts.</summary>
    public string Name { get; }
}
