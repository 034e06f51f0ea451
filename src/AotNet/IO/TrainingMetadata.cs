using System.Globalization;

namespace AotNet;

/// <summary>
/// Reads a training checkpoint's <c>__metadata__</c> strings back into numbers, turning every
/// missing or unparsable entry into an <see cref="InvalidDataException"/> naming the file and key.
/// </summary>
sealed class TrainingMetadata(SafetensorsFile file)
{
    public void RequireFormat(string key, string version)
    {
        if (!file.Metadata.TryGetValue(key, out string? found))
        {
            throw Fault($"has no '{key}' metadata, so it is not an AotNet training checkpoint (a model checkpoint loads with Checkpoint.Load)");
        }
        if (found != version)
        {
            throw Fault($"is a '{found}' file; this build reads '{version}'");
        }
    }

    public IEnumerable<(string Name, string Text)> WithPrefix(string prefix) =>
        file.Metadata.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => (p.Key[prefix.Length..], p.Value));

    /// <summary>An epoch or batch count, checked with <see cref="TrainingPosition"/>'s rule.</summary>
    public int Count32(string key) =>
        int.TryParse(Get(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? (int)CheckCount(key, value) : throw NotA("an integer", key);

    /// <summary>A step count, checked with <see cref="TrainingPosition"/>'s rule.</summary>
    public long Count64(string key) =>
        long.TryParse(Get(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? CheckCount(key, value) : throw NotA("an integer", key);

    long CheckCount(string key, long value) =>
        TrainingPosition.CountViolation(value) is { } fault ? throw NotA(fault, key) : value;

    public double Double(string key, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw NotA("a number", key);

    public (ulong, ulong, ulong, ulong) RngState(string key, string text)
    {
        string[] words = text.Split(',');
        var values = new ulong[4];
        if (words.Length != 4 || !words.Select((w, i) => ulong.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            throw NotA("four comma-separated 64-bit words", key);
        }
        var state = (values[0], values[1], values[2], values[3]);
        return Rng.StateViolation(state) is { } fault ? throw NotA($"a generator state: {fault}", key) : state;
    }

    /// <summary>The tensors and scalars saved under <paramref name="prefix"/>, as an <see cref="OptimizerState"/>.</summary>
    public OptimizerState State(string prefix)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in file.Entries.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (entry.DType != SafetensorsDType.F32)
            {
                throw Fault($"stores '{entry.Name}' as {entry.DType}; optimizer state is F32");
            }
            tensors[entry.Name[prefix.Length..]] = file.ReadTensor(entry.Name);
        }
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, text) in WithPrefix(prefix))
        {
            scalars[name] = Double(prefix + name, text);
        }
        return new OptimizerState(tensors, scalars);
    }

    string Get(string key) => file.Metadata.TryGetValue(key, out string? text) ? text : throw Fault($"has no '{key}' metadata");

    InvalidDataException NotA(string what, string key) => Fault($"has metadata '{key}' = '{file.Metadata[key]}', which is not {what}");

    InvalidDataException Fault(string detail) => SafetensorsParser.Fault(file.Source, detail);
}
