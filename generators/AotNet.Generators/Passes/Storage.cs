namespace AotNet.Generators.Passes;

/// <summary>Where a value lives.</summary>
internal enum StorageKind
{
    /// <summary>A caller's tensor or labels, a parameter, or a gradient buffer: outside the workspace.</summary>
    External,

    /// <summary>A workspace slot shared with other values whose lifetimes do not overlap.</summary>
    Slot,
}

/// <summary>A value's home: an external buffer (named by a key such as <c>parameter:0</c>), or a workspace slot.</summary>
internal sealed record Storage(StorageKind Kind, string Key, int Slot = -1);
