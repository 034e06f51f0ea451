using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AotNet;

/// <summary>
/// Writes tensors as safetensors the way the reference implementation lays them out:
/// tensors sorted by name, data packed in that order, the compact JSON header padded with
/// spaces so the data starts on an 8-byte boundary.
/// </summary>
static class SafetensorsWriter
{
    public static void Write(Stream stream, List<SafetensorsTensor> sorted, IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        byte[] header = Header(sorted, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var tensor in sorted)
        {
            tensor.WriteData(stream);
        }
    }

    /// <summary>The tensors sorted by name, refusing what a file could not hold; called before anything is written.</summary>
    public static List<SafetensorsTensor> Sorted(IEnumerable<SafetensorsTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in list)
        {
            if (tensor is null)
            {
                throw new ArgumentException("A tensor or its name is null.", nameof(tensors));
            }
            string name = tensor.Name;
            if (name == SafetensorsParser.MetadataKey)
            {
                throw new ArgumentException($"'{name}' is reserved for the header's metadata and cannot name a tensor.", nameof(tensors));
            }
            if (!names.Add(name))
            {
                throw new ArgumentException($"Two tensors are named '{name}'; safetensors names must be unique.", nameof(tensors));
            }
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    static byte[] Header(List<SafetensorsTensor> sorted, IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // The relaxed encoder leaves '+' and non-ASCII as they are, as Python's and Rust's writers do; the output is still valid JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            var pairs = metadata?.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            if (pairs is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsParser.MetadataKey);
                foreach (var (key, value) in pairs)
                {
                    ArgumentNullException.ThrowIfNull(value, $"metadata['{key}']");
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in sorted)
            {
                long end = offset + tensor.ByteLength;
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (int dim in tensor.Shape)
                {
                    json.WriteNumberValue(dim);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}
