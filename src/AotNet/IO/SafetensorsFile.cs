using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AotNet;

/// <summary>
/// A safetensors file whose header has been read and fully validated (see <see cref="Safetensors.Read(string)"/>).
/// Tensor data stays in the file until asked for and is then read straight into its destination,
/// so checking a file against a model costs the header and nothing else, and loading it costs no
/// second copy of the data.
/// </summary>
/// <remarks>
/// A file read from a path keeps it open, so the data read later is the data of the file that was
/// checked, even if a save replaces the path meanwhile. <see cref="Dispose"/> closes it; an
/// undisposed file is closed when collected.
/// </remarks>
public sealed class SafetensorsFile : IDisposable
{
    const int ChunkBytes = 1 << 16;

    readonly IReadableFile _file;
    readonly long _dataStart;
    readonly Dictionary<string, SafetensorsEntry> _byName;

    internal SafetensorsFile(string source, IReadableFile file, long dataStart, List<SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Source = source;
        _file = file;
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
        RequireFloat(entry);
        var tensor = new Tensor(entry.Shape.ToArray());
        CopyTo(entry, tensor.Span);
        return tensor;
    }

    /// <summary>The named I64 tensor's values, flattened in row-major order (PyTorch's <c>int64</c>, such as BatchNorm's <c>num_batches_tracked</c>).</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not I64.</exception>
    public long[] ReadInt64(string name) => Read<long>(this[name], SafetensorsDType.I64);

    /// <summary>The named I32 tensor's values, flattened in row-major order.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not I32.</exception>
    public int[] ReadInt32(string name) => Read<int>(this[name], SafetensorsDType.I32);

    /// <summary>The named U8 tensor's values, flattened in row-major order.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not U8.</exception>
    public byte[] ReadUInt8(string name) => Read<byte>(this[name], SafetensorsDType.U8);

    /// <summary>The named BOOL tensor's values, flattened in row-major order.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not BOOL.</exception>
    /// <exception cref="InvalidDataException">A byte of the tensor is neither 0 nor 1.</exception>
    public bool[] ReadBool(string name)
    {
        var entry = this[name];
        var values = new bool[CheckedLength(entry, SafetensorsDType.Bool)];
        CopyTo(entry, values);
        return values;
    }

    /// <summary>Decodes <paramref name="entry"/> (which must belong to this file) into <paramref name="destination"/>, converting as <see cref="ReadTensor"/> does.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not F32, F64, F16 or BF16.</exception>
    /// <exception cref="ArgumentException">The destination's length is not the tensor's element count.</exception>
    public void CopyTo(SafetensorsEntry entry, Span<float> destination)
    {
        CheckOwnAndLength(entry, destination.Length);
        RequireFloat(entry);
        if (entry.DType == SafetensorsDType.F32)
        {
            // The common case reads the file's bytes straight into the tensor.
            ReadRaw(entry, MemoryMarshal.AsBytes(destination));
            SwapIfBigEndian(MemoryMarshal.Cast<float, int>(destination));
            return;
        }
        int size = SafetensorsDType.SizeOf(entry.DType);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int perChunk = ChunkBytes / size;
            for (int start = 0; start < destination.Length; start += perChunk)
            {
                int count = Math.Min(perChunk, destination.Length - start);
                var bytes = chunk.AsSpan(0, count * size);
                _file.ReadExactly(_dataStart + entry.Begin + (long)start * size, bytes);
                SafetensorsDType.ToFloats(entry.DType, bytes, destination.Slice(start, count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Reads the I64 <paramref name="entry"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not I64.</exception>
    /// <exception cref="ArgumentException">The destination's length is not the tensor's element count.</exception>
    public void CopyTo(SafetensorsEntry entry, Span<long> destination) => CopyExact(entry, SafetensorsDType.I64, destination);

    /// <summary>Reads the I32 <paramref name="entry"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not I32.</exception>
    /// <exception cref="ArgumentException">The destination's length is not the tensor's element count.</exception>
    public void CopyTo(SafetensorsEntry entry, Span<int> destination) => CopyExact(entry, SafetensorsDType.I32, destination);

    /// <summary>Reads the U8 <paramref name="entry"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not U8.</exception>
    /// <exception cref="ArgumentException">The destination's length is not the tensor's element count.</exception>
    public void CopyTo(SafetensorsEntry entry, Span<byte> destination) => CopyExact(entry, SafetensorsDType.U8, destination);

    /// <summary>Reads the BOOL <paramref name="entry"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="NotSupportedException">The tensor's dtype is not BOOL.</exception>
    /// <exception cref="ArgumentException">The destination's length is not the tensor's element count.</exception>
    /// <exception cref="InvalidDataException">A byte of the tensor is neither 0 nor 1.</exception>
    public void CopyTo(SafetensorsEntry entry, Span<bool> destination)
    {
        CheckOwnAndLength(entry, destination.Length);
        RequireDType(entry, SafetensorsDType.Bool);
        var bytes = MemoryMarshal.AsBytes(destination);
        ReadRaw(entry, bytes);
        // A bool holding another byte would compare unequal to both true and false.
        int bad = bytes.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
        {
            byte found = bytes[bad];
            bytes.Clear();
            throw SafetensorsParser.Fault(Source, $"stores {found} at element {bad} of BOOL tensor '{entry.Name}'; BOOL elements are 0 or 1");
        }
    }

    /// <summary>Closes the file this was read from, if any.</summary>
    public void Dispose() => _file.Dispose();

    T[] Read<T>(SafetensorsEntry entry, string dtype)
        where T : unmanaged
    {
        var values = new T[CheckedLength(entry, dtype)];
        CopyExact(entry, dtype, values.AsSpan());
        return values;
    }

    void CopyExact<T>(SafetensorsEntry entry, string dtype, Span<T> destination)
        where T : unmanaged
    {
        CheckOwnAndLength(entry, destination.Length);
        RequireDType(entry, dtype);
        ReadRaw(entry, MemoryMarshal.AsBytes(destination));
        if (typeof(T) == typeof(long))
        {
            SwapIfBigEndian(MemoryMarshal.Cast<T, long>(destination));
        }
        else if (typeof(T) == typeof(int))
        {
            SwapIfBigEndian(MemoryMarshal.Cast<T, int>(destination));
        }
    }

    void ReadRaw(SafetensorsEntry entry, Span<byte> destination) => _file.ReadExactly(_dataStart + entry.Begin, destination);

    int CheckedLength(SafetensorsEntry entry, string dtype)
    {
        RequireDType(entry, dtype);
        if (entry.ElementCount > Array.MaxLength)
        {
            throw new NotSupportedException($"{Source}: tensor '{entry.Name}' has {entry.ElementCount} elements, more than one array holds.");
        }
        return (int)entry.ElementCount;
    }

    void CheckOwnAndLength(SafetensorsEntry entry, int length)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_byName.TryGetValue(entry.Name, out var own) || !ReferenceEquals(own, entry))
        {
            throw new ArgumentException($"Entry '{entry.Name}' does not belong to {Source}.", nameof(entry));
        }
        if (length != entry.ElementCount)
        {
            throw new ArgumentException(
                $"Tensor '{entry.Name}' {Shapes.Format(entry.Shape)} has {entry.ElementCount} elements; the destination has {length}.", "destination");
        }
    }

    void RequireFloat(SafetensorsEntry entry)
    {
        if (!entry.IsFloat)
        {
            throw new NotSupportedException(
                $"{Source}: tensor '{entry.Name}' has dtype {entry.DType}; AotNet tensors are float32 and it reads only F32, F64, F16 and BF16.");
        }
    }

    void RequireDType(SafetensorsEntry entry, string dtype)
    {
        if (entry.DType != dtype)
        {
            throw new NotSupportedException($"{Source}: tensor '{entry.Name}' has dtype {entry.DType}, but {dtype} was asked for.");
        }
    }

    static void SwapIfBigEndian(Span<int> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(values, values);
        }
    }

    static void SwapIfBigEndian(Span<long> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(values, values);
        }
    }
}
