namespace AotNet;

/// <summary>
/// A safetensors file read into memory and fully validated (see <see cref="Safetensors.Read"/>).
/// Tensors are decoded on request, so reading a file and checking it against a model costs one
/// copy of the bytes.
/// </summary>
public sealed class SafetensorsFile
{
    readonly byte[] _bytes;
    readonly int _dataStart;
    readonly Dictionary<string, SafetensorsEntry> _byName;

    internal SafetensorsFile(string source, byte[] bytes, int dataStart, List<SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Source = source;
        _bytes = bytes;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>Where the bytes came from, as error messages name it.</summary>
    public string Source { get; }

    /// <summary>Every tensor in the file, sorted by name (ordinal).</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The header's <c>__metadata__</c> strings; empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>True when the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The entry named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The file has no such tensor.</exception>
    public SafetensorsEntry this[string name] =>
        _byName.TryGetValue(name, out var entry) ? entry : throw new KeyNotFoundException($"{Source} has no tensor named '{name}'.");

    /// <summary>
    /// A new float32 tensor holding the named tensor's values. F32 is copied exactly; F16 and
    /// BF16 widen exactly; F64 is rounded to the nearest float.
    /// </summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not F32, F64, F16 or BF16.</exception>
    public Tensor ReadTensor(string name)
    {
        var entry = this[name];
        var tensor = new Tensor(entry.Shape.ToArray());
        CopyTo(entry, tensor.Span);
        return tensor;
    }

    /// <summary>Decodes <paramref name="entry"/> (which must belong to this file) into <paramref name="destination"/>, converting as <see cref="ReadTensor"/> does.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not F32, F64, F16 or BF16.</exception>
    /// <exception cref="ArgumentException">The destination's length is not the tensor's element count.</exception>
    public void CopyTo(SafetensorsEntry entry, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_byName.TryGetValue(entry.Name, out var own) || !ReferenceEquals(own, entry))
        {
            throw new ArgumentException($"Entry '{entry.Name}' does not belong to {Source}.", nameof(entry));
        }
        if (!entry.IsFloat)
        {
            throw new NotSupportedException(
                $"{Source}: tensor '{entry.Name}' has dtype {entry.DType}; AotNet tensors are float32 and it reads only F32, F64, F16 and BF16.");
        }
        if (destination.Length != entry.ElementCount)
        {
            throw new ArgumentException(
                $"Tensor '{entry.Name}' {Shapes.Format(entry.Shape)} has {entry.ElementCount} elements; the destination has {destination.Length}.", nameof(destination));
        }
        var bytes = _bytes.AsSpan(_dataStart + (int)entry.Begin, (int)(entry.End - entry.Begin));
        SafetensorsDType.ToFloats(entry.DType, bytes, destination);
    }
}
