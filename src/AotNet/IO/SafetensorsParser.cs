using System.Buffers.Binary;
using System.Text.Json;

namespace AotNet;

/// <summary>
/// Validates a whole safetensors file held in memory: the length prefix, the JSON header, and
/// that the tensors tile the data section exactly. Every read is bounds-checked and the JSON
/// reader is non-recursive and depth-limited, so no input can crash or hang it; every fault
/// becomes an <see cref="InvalidDataException"/> that names the file.
/// </summary>
static class SafetensorsParser
{
    /// <summary>The reference implementation's limit; a larger length means a corrupt or foreign file.</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    /// <summary>
    /// Reads and checks the prefix, then the header, then the layout, from <paramref name="file"/>,
    /// which the result keeps for reading tensor data later. Nothing past the header is read here,
    /// and the header is read only once the prefix says it fits in the file.
    /// </summary>
    public static SafetensorsFile Parse(IReadableFile file, string source)
    {
        long length = file.Length;
        if (length < 8)
        {
            throw Fault(source, $"is truncated: it has {length} bytes, fewer than the 8 of the header length");
        }
        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(0, prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength)
        {
            throw Fault(source, $"declares a header of {headerLength} bytes, more than the {MaxHeaderLength} safetensors allows; it is corrupt or not a safetensors file");
        }
        if (headerLength > (ulong)(length - 8))
        {
            throw Fault(source, $"is truncated: its header should be {headerLength} bytes, but only {length - 8} follow the length");
        }
        byte[] header = new byte[headerLength];
        file.ReadExactly(8, header);
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw Fault(source, "has a header that is not valid UTF-8");
        }
        long dataStart = 8 + (long)headerLength;
        var (entries, metadata) = ParseHeader(header, source);
        CheckLayout(entries, length - dataStart, source);
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new SafetensorsFile(source, file, dataStart, entries, metadata);
    }

    static (List<SafetensorsEntry>, Dictionary<string, string>) ParseHeader(ReadOnlySpan<byte> header, string source)
    {
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Fault(source, "has a header that is not a JSON object");
            }
            while (Next(ref reader, source) == JsonTokenType.PropertyName)
            {
                string name = Text(ref reader, source, "a tensor name");
                if (!names.Add(name))
                {
                    throw Fault(source, $"names '{name}' twice in its header");
                }
                reader.Read();
                if (name == MetadataKey)
                {
                    ReadMetadata(ref reader, metadata, source);
                }
                else
                {
                    entries.Add(ReadEntry(ref reader, name, source));
                }
            }
            if (reader.Read())
            {
                throw Fault(source, "has data after the JSON object in its header");
            }
        }
        catch (JsonException error)
        {
            throw Fault(source, $"has a header that is not valid JSON ({error.Message})");
        }
        return (entries, metadata);
    }

    /// <summary>
    /// The string at the reader. JSON may escape a lone UTF-16 surrogate (<c>"\ud800"</c>), which no
    /// .NET string can hold as text and which the reference implementation refuses; every string of
    /// the header is read through here so that such an escape is refused as a malformed header.
    /// </summary>
    static string Text(ref Utf8JsonReader reader, string source, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Fault(source, $"has {what} with an unpaired surrogate escape, which is not text");
        }
    }

    /// <summary>Skips the value at the reader, checking every string in it as <see cref="Text"/> does.</summary>
    static void SkipValue(ref Utf8JsonReader reader, string source, string name)
    {
        int depth = reader.CurrentDepth;
        do
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                Text(ref reader, source, $"an unknown field of tensor '{name}'");
            }
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) && reader.CurrentDepth == depth)
            {
                return;
            }
        }
        while (Next(ref reader, source) is not (JsonTokenType.EndObject or JsonTokenType.EndArray) || reader.CurrentDepth > depth);
    }

    static JsonTokenType Next(ref Utf8JsonReader reader, string source)
    {
        if (!reader.Read())
        {
            throw Fault(source, "has a header whose JSON ends early");
        }
        return reader.TokenType;
    }

    static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string source)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fault(source, $"has a {MetadataKey} that is not an object of strings");
        }
        while (Next(ref reader, source) == JsonTokenType.PropertyName)
        {
            string key = Text(ref reader, source, $"a {MetadataKey} key");
            if (Next(ref reader, source) != JsonTokenType.String)
            {
                throw Fault(source, $"has a {MetadataKey} entry '{key}' whose value is not a string");
            }
            if (!metadata.TryAdd(key, Text(ref reader, source, $"{MetadataKey} entry '{key}'")))
            {
                throw Fault(source, $"names '{key}' twice in its {MetadataKey}");
            }
        }
    }

    static SafetensorsEntry ReadEntry(ref Utf8JsonReader reader, string name, string source)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fault(source, $"describes tensor '{name}' with something other than a JSON object");
        }
        string? dtype = null;
        int[]? shape = null;
        long[]? offsets = null;
        while (Next(ref reader, source) == JsonTokenType.PropertyName)
        {
            string field = Text(ref reader, source, $"a field name of tensor '{name}'");
            reader.Read();
            switch (field)
            {
                case "dtype":
                    if (dtype is not null || reader.TokenType != JsonTokenType.String)
                    {
                        throw Fault(source, $"has a repeated or non-string dtype for tensor '{name}'");
                    }
                    dtype = Text(ref reader, source, $"the dtype of tensor '{name}'");
                    break;
                case "shape":
                    shape = shape is null ? ReadIntegers(ref reader, name, field, int.MaxValue, source).Select(v => (int)v).ToArray()
                        : throw Fault(source, $"gives tensor '{name}' two shapes");
                    break;
                case "data_offsets":
                    offsets = offsets is null ? ReadIntegers(ref reader, name, field, long.MaxValue, source)
                        : throw Fault(source, $"gives tensor '{name}' two data_offsets");
                    break;
                default:
                    // The reference implementation ignores fields it does not know; so does this reader,
                    // but their strings must still be text, as the reference's JSON parser requires.
                    SkipValue(ref reader, source, name);
                    break;
            }
        }
        if (dtype is null || shape is null || offsets is null)
        {
            string absent = dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw Fault(source, $"gives tensor '{name}' no {absent}");
        }
        if (offsets.Length != 2)
        {
            throw Fault(source, $"gives tensor '{name}' {offsets.Length} data_offsets instead of [begin, end]");
        }
        int size = SafetensorsDType.SizeOf(dtype);
        if (size == 0)
        {
            throw Fault(source, $"gives tensor '{name}' dtype '{dtype}', which is not a safetensors dtype this reader knows");
        }
        long begin = offsets[0], end = offsets[1];
        if (end < begin)
        {
            throw Fault(source, $"gives tensor '{name}' data_offsets [{begin}, {end}], which end before they begin");
        }
        long elements = ElementCount(shape);
        if (elements < 0)
        {
            throw Fault(source, $"gives tensor '{name}' shape {Shapes.Format(shape)}, which has more elements than any file can hold");
        }
        if (elements * size != end - begin)
        {
            throw Fault(source, $"gives tensor '{name}' shape {Shapes.Format(shape)} of {dtype} ({elements * size} bytes) but data_offsets [{begin}, {end}] ({end - begin} bytes)");
        }
        return new SafetensorsEntry(name, dtype, shape, elements, begin, end);
    }

    /// <summary>The product of the dimensions, or -1 when it would overflow (a zero dimension wins over any overflow).</summary>
    static long ElementCount(int[] shape)
    {
        if (shape.Contains(0))
        {
            return 0;
        }
        long elements = 1;
        foreach (int dim in shape)
        {
            if (elements > long.MaxValue / 8 / dim)
            {
                return -1;
            }
            elements *= dim;
        }
        return elements;
    }

    static long[] ReadIntegers(ref Utf8JsonReader reader, string name, string field, long max, string source)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fault(source, $"gives tensor '{name}' a {field} that is not an array");
        }
        var values = new List<long>();
        while (Next(ref reader, source) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0 || value > max)
            {
                throw Fault(source, $"gives tensor '{name}' a {field} entry that is not an integer from 0 to {max}");
            }
            values.Add(value);
        }
        return values.ToArray();
    }

    /// <summary>The tensors must tile the data section: in bounds, no overlaps, no holes, nothing after the last.</summary>
    static void CheckLayout(List<SafetensorsEntry> entries, long dataLength, string source)
    {
        foreach (var entry in entries)
        {
            if (entry.End > dataLength)
            {
                throw Fault(source, $"is truncated: tensor '{entry.Name}' ends at data byte {entry.End}, but the data section has {dataLength} bytes");
            }
        }
        var byOffset = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long expected = 0;
        string? previous = null;
        foreach (var entry in byOffset)
        {
            if (entry.Begin < expected)
            {
                throw Fault(source, $"stores tensors '{previous}' and '{entry.Name}' in overlapping bytes");
            }
            if (entry.Begin > expected)
            {
                throw Fault(source, $"has data bytes {expected} to {entry.Begin} that belong to no tensor (before '{entry.Name}')");
            }
            expected = entry.End;
            previous = entry.Name;
        }
        if (expected != dataLength)
        {
            throw Fault(source, $"has {dataLength - expected} bytes after its last tensor that belong to no tensor");
        }
    }

    public static InvalidDataException Fault(string source, string detail) => new($"{source} {detail}.");
}
