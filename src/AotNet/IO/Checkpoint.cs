namespace AotNet;

/// <summary>
/// Saves and loads a model's parameters as safetensors under PyTorch's <c>state_dict</c> names
/// (such as <c>fc1.weight</c>), so a file moves between AotNet and PyTorch unchanged. Saving is
/// atomic; loading validates the whole file against the model before changing any parameter.
/// </summary>
public static class Checkpoint
{
    /// <summary>
    /// Writes every parameter of <paramref name="model"/> to <paramref name="path"/> as F32
    /// safetensors, atomically (see <see cref="Safetensors.Write(string, IEnumerable{KeyValuePair{string, Tensor}}, IEnumerable{KeyValuePair{string, string}}?)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Two parameters of the model share a name.</exception>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/>. The previous file, if any, is intact.</exception>
    public static void Save(Module model, string path) => Save(model, path, PhysicalFileSystem.Instance);

    internal static void Save(Module model, string path, ISaveFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Safetensors.WriteTensors(path, StateDict(model).Select(p => SafetensorsTensor.Float32(p.Key, p.Value)), null, fileSystem);
    }

    /// <summary>
    /// Reads the safetensors file at <paramref name="path"/> into <paramref name="model"/>'s
    /// parameters. Every tensor must be F32 and match a parameter's name and shape, and every
    /// parameter must be present; all checks run before the first value is copied, so on any
    /// error the model is unchanged.
    /// </summary>
    /// <remarks>
    /// The file's prefix and header are read and checked first, and tensor data is read only once
    /// every check has passed, straight into the parameters. Only an I/O error while reading that
    /// data (a disk failure, or another program truncating the file in place) can then stop the
    /// load part-way; AotNet's own saves replace files by rename, which an open load does not see.
    /// </remarks>
    /// <exception cref="InvalidDataException">The file is truncated or malformed, or is not a regular file; the message names the file.</exception>
    /// <exception cref="ArgumentException">The file's names, shapes or dtypes do not match the model; the message names the file and lists every mismatch.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static void Load(Module model, string path) => Load(model, path, PhysicalFileSystem.Instance);

    internal static void Load(Module model, string path, IFileOpener opener)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var state = StateDict(model);
        using var file = Safetensors.Read(path, opener);
        var plan = new StateLoadPlan(file);
        plan.Match(state, _ => true);
        plan.ThrowIfMismatched($"this {model.GetType().Name}");
        plan.Apply();
    }

    /// <summary>The model's parameter values by name, refusing repeated names, which a file could not tell apart.</summary>
    internal static List<KeyValuePair<string, Tensor>> StateDict(Module model)
    {
        var state = new List<KeyValuePair<string, Tensor>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, parameter) in model.NamedParameters())
        {
            if (!seen.Add(name))
            {
                throw new ArgumentException($"The model has two parameters named '{name}'; checkpoint names must be unique.", nameof(model));
            }
            state.Add(new(name, parameter.Value));
        }
        return state;
    }
}
