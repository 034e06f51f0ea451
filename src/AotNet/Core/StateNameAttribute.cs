namespace AotNet;

/// <summary>
/// The name a parameter or child module goes by in <see cref="Module.NamedParameters"/>, state
/// dicts and checkpoints, where it differs from the member's own: PyTorch calls a layer's weight
/// <c>weight</c>, and a C# property is <c>Weight</c>. Without it the member's name is used as written.
/// An empty name lists a child module's members as the parent's own, as PyTorch's
/// <c>Sequential</c> names its layers <c>0</c>, <c>1</c>, … directly under it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class StateNameAttribute : Attribute
{
    /// <summary>Names the member <paramref name="name"/>, or lists a child's members as the parent's own when it is empty.</summary>
    public StateNameAttribute(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > 0 && string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A state name is a name, or empty to list a child's members as the parent's own.", nameof(name));
        }
        Name = name;
    }

    /// <summary>The member's name in state dicts.</summary>
    public string Name { get; }
}
