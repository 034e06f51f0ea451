namespace AotNet;

/// <summary>
/// One kind of per-parameter optimizer state (PyTorch's <c>state[p][name]</c>), created on the
/// first step that needs it so that unused buffers cost nothing.
/// </summary>
sealed class ParameterBuffer(string name, int parameterCount)
{
    readonly float[]?[] _buffers = new float[]?[parameterCount];

    /// <summary>The state key, e.g. <c>exp_avg</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The buffer of parameter <paramref name="index"/>, or null before it exists.</summary>
    public float[]? this[int index]
    {
        get => _buffers[index];
        set => _buffers[index] = value;
    }

    /// <summary>The buffer of parameter <paramref name="index"/>, created zeroed on first use.</summary>
    public Span<float> GetOrCreate(int index, int length) => _buffers[index] ??= new float[length];

    /// <summary>Drops every buffer, so the next step starts afresh.</summary>
    public void Clear() => Array.Clear(_buffers);
}
