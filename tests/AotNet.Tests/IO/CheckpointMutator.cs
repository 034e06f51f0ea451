using System.Text;
using System.Text.Json.Nodes;

namespace AotNet.Tests.IO;

/// <summary>
/// Seeded mutations of a valid safetensors file, aimed at every layer of the loaders: raw bytes,
/// the length prefix, the length of the file, the header's JSON text, its tensor entries and its
/// metadata values (which a training checkpoint parses into numbers).
/// </summary>
sealed class CheckpointMutator(byte[] original, ulong seed)
{
    static readonly string[] Numbers =
        ["-1", "0", "1", "2", "1.5", "-0", "NaN", "Infinity", "-Infinity", "1e400", "1e300", "1e39", "9007199254740993", "0.5", "", " 1", "1,2,3", "0,0,0,0", "1,2,3,4", "x"];

    static readonly string[] DTypes = ["F32", "F16", "BF16", "F64", "I64", "I32", "U8", "BOOL", "I8", "X", ""];

    readonly Rng _rng = new(seed);
    readonly int _headerEnd = 8 + (int)BitConverter.ToUInt64(original);

    public string Describe { get; private set; } = "";

    public byte[] Next()
    {
        switch (_rng.NextInt(8))
        {
            case 0:
                return FlipBytes(_headerEnd);
            case 1:
                return FlipBytes(original.Length);
            case 2:
                return Prefix();
            case 3:
                return Resize();
            case 4:
            case 5:
                return MutateMetadata();
            case 6:
                return MutateEntry();
            default:
                return MutateText();
        }
    }

    byte[] FlipBytes(int within)
    {
        byte[] copy = (byte[])original.Clone();
        int count = 1 + _rng.NextInt(4);
        for (int i = 0; i < count; i++)
        {
            int at = _rng.NextInt(within);
            copy[at] = (byte)_rng.NextInt(256);
        }
        Describe = $"{count} random bytes below {within}";
        return copy;
    }

    byte[] Prefix()
    {
        byte[] copy = (byte[])original.Clone();
        ulong[] values = [0, 1, 7, (ulong)_headerEnd - 9, (ulong)_headerEnd - 7, (ulong)original.Length, 1UL << 63, ulong.MaxValue, 100_000_001];
        ulong value = values[_rng.NextInt(values.Length)];
        BitConverter.GetBytes(value).CopyTo(copy, 0);
        Describe = $"prefix {value}";
        return copy;
    }

    byte[] Resize()
    {
        int length = _rng.NextInt(2) == 0 ? _rng.NextInt(original.Length) : original.Length + 1 + _rng.NextInt(16);
        byte[] copy = new byte[length];
        original.AsSpan(0, Math.Min(length, original.Length)).CopyTo(copy);
        Describe = $"length {length}";
        return copy;
    }

    JsonObject Header() => (JsonObject)JsonNode.Parse(original.AsSpan(8, _headerEnd - 8))!;

    byte[] MutateMetadata()
    {
        var header = Header();
        if (header["__metadata__"] is not JsonObject metadata || metadata.Count == 0)
        {
            return MutateEntry();
        }
        var keys = metadata.Select(p => p.Key).ToList();
        string key = keys[_rng.NextInt(keys.Count)];
        switch (_rng.NextInt(6))
        {
            case 0:
                metadata.Remove(key);
                Describe = $"metadata {key} removed";
                break;
            case 1:
                // A key of the same family the file does not have: another group, parameter or hyperparameter.
                string extra = key.Contains('.') ? key[..(key.LastIndexOf('.') + 1)] + new[] { "lr", "beta1", "momentum", "9", "step", "zzz" }[_rng.NextInt(6)] : key + ".x";
                metadata[extra] = Numbers[_rng.NextInt(Numbers.Length)];
                Describe = $"metadata {extra} added";
                break;
            default:
                string value = Numbers[_rng.NextInt(Numbers.Length)];
                metadata[key] = value;
                Describe = $"metadata {key} = '{value}'";
                break;
        }
        return Rebuild(header);
    }

    byte[] MutateEntry()
    {
        var header = Header();
        var names = header.Where(p => p.Key != "__metadata__").Select(p => p.Key).ToList();
        string name = names[_rng.NextInt(names.Count)];
        var entry = (JsonObject)header[name]!;
        switch (_rng.NextInt(6))
        {
            case 0:
                entry["dtype"] = DTypes[_rng.NextInt(DTypes.Length)];
                break;
            case 1:
                var shape = (JsonArray)entry["shape"]!;
                if (shape.Count > 0 && _rng.NextInt(2) == 0)
                {
                    shape.RemoveAt(0);
                }
                else
                {
                    shape.Add(new[] { 0, 1, 2, -1, int.MaxValue }[_rng.NextInt(5)]);
                }
                break;
            case 2:
                var offsets = (JsonArray)entry["data_offsets"]!;
                int which = _rng.NextInt(2);
                offsets[which] = (long)offsets[which]! + new long[] { -4, -1, 1, 4, long.MaxValue / 2 }[_rng.NextInt(5)];
                break;
            case 3:
                header.Remove(name);
                break;
            case 4:
                header.Remove(name);
                header[name.StartsWith("optimizer.", StringComparison.Ordinal) ? name.Replace("state.0", "state.7") : name + "x"] = entry;
                break;
            default:
                // Two tensors swap names: same layout, shapes or kinds now wrong.
                string other = names[_rng.NextInt(names.Count)];
                if (other == name)
                {
                    entry["dtype"] = "I64";
                    break;
                }
                var otherEntry = (JsonObject)header[other]!;
                header.Remove(name);
                header.Remove(other);
                header[name] = otherEntry;
                header[other] = entry;
                break;
        }
        Describe = $"entry {name} mutated";
        return Rebuild(header);
    }

    byte[] MutateText()
    {
        string text = Encoding.UTF8.GetString(original, 8, _headerEnd - 8);
        // The writer escapes no quotes, so quotes pair up into strings: pick one of them.
        var quotes = text.Select((c, i) => (c, i)).Where(p => p.c == '"').Select(p => p.i).ToList();
        int pair = _rng.NextInt(quotes.Count / 2);
        int quote = quotes[2 * pair], end = quotes[2 * pair + 1];
        string[] replacements = ["\\ud800", "\\udc00x", "\\u0000", "\\\"", "__metadata__", "a\\ud83d\\ude00", ""];
        string replacement = replacements[_rng.NextInt(replacements.Length)];
        text = text[..(quote + 1)] + replacement + text[end..];
        Describe = $"string at {quote} -> {replacement}";
        return WithHeader(Encoding.UTF8.GetBytes(text));
    }

    byte[] Rebuild(JsonObject header) => WithHeader(Encoding.UTF8.GetBytes(header.ToJsonString()));

    byte[] WithHeader(byte[] header) =>
        [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. original.AsSpan(_headerEnd)];
}
