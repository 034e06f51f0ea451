using System.Text;

namespace AotNet;

/// <summary>
/// Saves and loads a model's parameters by their hierarchical names (such as <c>fc1.weight</c>)
/// in a small checksummed binary format (see <see cref="CheckpointFormat"/>). Saving is atomic;
/// loading validates the whole file against the model before changing any parameter.
/// </summary>
public static class Checkpoint
{
    /// <summary>
    /// Writes every parameter of <paramref name="model"/> to <paramref name="path"/>. The file is
    /// written beside the target under a temporary name and then moved over it, so a crash
    /// leaves either the old file or the new one, never a mix.
    /// </summary>
    public static void Save(Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var parameters = model.NamedParameters();
        RequireUniqueNames(parameters);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"{path} has no directory.", nameof(path));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Write(file, parameters);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/> into <paramref name="model"/>'s parameters.
    /// Every check runs before the first value is copied, so on any error the model is unchanged.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, is of another version, is truncated, or fails its checksum.</exception>
    /// <exception cref="ArgumentException">The checkpoint's names or shapes do not match the model's parameters.</exception>
    public static void Load(Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var length = new FileInfo(path).Length;
        if (length > Array.MaxLength)
        {
            throw new InvalidDataException($"{path} is {length} bytes, larger than this format can hold; it is not an AotNet checkpoint.");
        }
        byte[] bytes = File.ReadAllBytes(path);
        var entries = CheckpointParser.Parse(bytes, path);
        var targets = Match(model, entries, path);
        for (int i = 0; i < entries.Count; i++)
        {
            CheckpointParser.CopyFloats(bytes.AsSpan(entries[i].DataOffset, entries[i].DataLength), targets[i].Value.Span);
        }
    }

    static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, Parameter>> parameters)
    {
        long total = CheckpointFormat.HeaderSize + CheckpointFormat.ChecksumSize;
        foreach (var (name, parameter) in parameters)
        {
            total += 4 + Encoding.UTF8.GetByteCount(name) + 4 + 4L * parameter.Value.Rank + 4L * parameter.Value.Length;
        }

        var writer = new ChecksumWriter(stream);
        writer.Write(CheckpointFormat.Magic);
        writer.WriteUInt32(CheckpointFormat.Version);
        writer.WriteUInt64((ulong)total);
        writer.WriteUInt32((uint)parameters.Count);
        foreach (var (name, parameter) in parameters)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(name);
            writer.WriteUInt32((uint)utf8.Length);
            writer.Write(utf8);
            writer.WriteUInt32((uint)parameter.Value.Rank);
            foreach (int dim in parameter.Value.Shape)
            {
                writer.WriteUInt32((uint)dim);
            }
            writer.WriteFloats(parameter.Value.Span);
        }
        writer.WriteChecksum();
    }

    /// <summary>Pairs each checkpoint entry with the model parameter of the same name and shape, reporting every mismatch at once.</summary>
    static Parameter[] Match(Module model, IReadOnlyList<CheckpointEntry> entries, string path)
    {
        var parameters = model.NamedParameters();
        RequireUniqueNames(parameters);
        var byName = parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var problems = new List<string>();
        var targets = new Parameter[entries.Count];
        var found = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            found.Add(entry.Name);
            if (!byName.TryGetValue(entry.Name, out var parameter))
            {
                problems.Add($"unexpected parameter '{entry.Name}' {Shapes.Format(entry.Shape)}, which the model does not have");
                continue;
            }
            if (!parameter.Shape.SequenceEqual(entry.Shape))
            {
                problems.Add($"'{entry.Name}' is {Shapes.Format(entry.Shape)} in the checkpoint but {Shapes.Format(parameter.Shape)} in the model");
                continue;
            }
            targets[i] = parameter;
        }
        foreach (var (name, parameter) in parameters)
        {
            if (!found.Contains(name))
            {
                problems.Add($"missing parameter '{name}' {Shapes.Format(parameter.Shape)}");
            }
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"{path} does not fit this model, which was left unchanged: {string.Join("; ", problems)}.", nameof(model));
        }
        return targets;
    }

    static void RequireUniqueNames(IReadOnlyList<KeyValuePair<string, Parameter>> parameters)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in parameters)
        {
            if (!seen.Add(name))
            {
                throw new ArgumentException($"The model has two parameters named '{name}'; checkpoint names must be unique.", "model");
            }
        }
    }
}
