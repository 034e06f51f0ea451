namespace AotNet;

/// <summary>
/// Pairs a file's tensors with the tensors they should be copied into, collecting every
/// mismatch instead of stopping at the first, so one error lists them all (as PyTorch's
/// <c>load_state_dict</c> does) and nothing is copied until everything fits.
/// </summary>
sealed class StateLoadPlan(SafetensorsFile file)
{
    readonly List<string> _missing = [];
    readonly List<string> _unexpected = [];
    readonly List<string> _mismatched = [];
    readonly List<(SafetensorsEntry Entry, Tensor Target)> _copies = [];

    /// <summary>
    /// Plans to fill each of <paramref name="expected"/> from the file entry of the same name.
    /// File entries for which <paramref name="owns"/> is true but that nothing expects are unexpected.
    /// </summary>
    public void Match(IEnumerable<KeyValuePair<string, Tensor>> expected, Func<string, bool> owns)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, target) in expected)
        {
            wanted.Add(name);
            if (!file.Contains(name))
            {
                _missing.Add($"'{name}' {target.ShapeText}");
                continue;
            }
            var entry = file[name];
            if (entry.DType != SafetensorsDType.F32)
            {
                _mismatched.Add($"'{name}' is {entry.DType} in the file, but AotNet holds F32 (float32)");
            }
            else if (!entry.Shape.SequenceEqual(target.Shape))
            {
                _mismatched.Add($"'{name}' is {Shapes.Format(entry.Shape)} in the file but {target.ShapeText} here");
            }
            else
            {
                _copies.Add((entry, target));
            }
        }
        foreach (var entry in file.Entries)
        {
            if (owns(entry.Name) && !wanted.Contains(entry.Name))
            {
                _unexpected.Add($"'{entry.Name}' {Shapes.Format(entry.Shape)}");
            }
        }
    }

    /// <summary>Throws one exception listing every problem found so far, saying the target was not changed.</summary>
    public void ThrowIfMismatched(string target)
    {
        var parts = new List<string>();
        if (_missing.Count > 0)
        {
            parts.Add($"missing from the file: {string.Join(", ", _missing)}");
        }
        if (_unexpected.Count > 0)
        {
            parts.Add($"unexpected in the file: {string.Join(", ", _unexpected)}");
        }
        parts.AddRange(_mismatched);
        if (parts.Count > 0)
        {
            throw new ArgumentException($"{file.Source} does not fit {target}, which was left unchanged. {string.Join("; ", parts)}.");
        }
    }

    /// <summary>Copies every planned tensor; call only after <see cref="ThrowIfMismatched"/>.</summary>
    public void Apply()
    {
        foreach (var (entry, target) in _copies)
        {
            file.CopyTo(entry, target.Span);
        }
    }
}
