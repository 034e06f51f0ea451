using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AotNet;

/// <summary>
/// Writes float32 tensors as safetensors the way the reference implementation lays them out:
/// tensors sorted by name, data packed in that order, the compact JSON header padded with
/// spaces so the data starts on an 8-byte boundary.
/// </summary>
static class SafetensorsWriter
{
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        var sorted = Sorted(tensors);
        byte[] header = Header(sorted, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var (_, tensor) in sorted)
        {
            WriteFloats(stream, tensor.Span);
        }
    }

    static List<KeyValuePair<string, Tensor>> Sorted(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in list)
        {
            if (name is null || tensor is null)
            {
                throw new ArgumentException("A tensor or its name is null.", nameof(tensors));
            }
            if (name == SafetensorsParser.MetadataKey)
            {
                throw new ArgumentException($"'{name}' is reserved for the header's metadata and cannot name a tensor.", nameof(tensors));
            }
            if (!names.Add(name))
            {
                throw new ArgumentException($"Two tensors are named '{name}'; safetensors names must be unique.", nameof(tensors));
            }
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return list;
    }

    static byte[] Header(List<KeyValuePair<string, Tensor>> sorted, IEnumerable<KeyValuePair<string, string>>? metadata)
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
            foreach (var (name, tensor) in sorted)
            {
                long end = offset + 4L * tensor.Length;
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDType.F32);
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

    static void WriteFloats(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        byte[] chunk = new byte[1 << 14];
        int perChunk = chunk.Length / 4;
        for (int start = 0; start < values.Length; start += perChunk)
        {
            var part = values.Slice(start, Math.Min(perChunk, values.Length - start));
            for (int i = 0; i < part.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(4 * i), part[i]);
            }
            stream.Write(chunk, 0, 4 * part.Length);
        }
    }
}
