namespace AotNet;

/// <summary>
/// One kind of per-parameter optimizer state (PyTorch's <c>state[p][name]</c>), created on the
/// first step that needs it so that unused buffers cost nothing.
/// </summary>
sealed class ParameterBuffer(string name, int parameterCount, Func<ParameterGroup, bool>? keptWhen = null)
{
    readonly float[]?[] _buffers = new float[]?[parameterCount];

    /// <summary>The state key, e.g. <c>exp_avg</c>.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// When every step creates this buffer for the parameters of a group (Adam's <c>exp_avg</c>
    /// always, SGD's <c>momentum_buffer</c> when the group has momentum), so a loaded state that has
    /// stepped but lacks it is incomplete; null for buffers whose absence is normal.
    /// </summary>
    public Func<ParameterGroup, bool>? KeptWhen { get; } = keptWhen;

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
