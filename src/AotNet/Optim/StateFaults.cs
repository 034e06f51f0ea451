namespace AotNet;

/// <summary>
/// Builds the refusals of a state load so each names where the state came from (a checkpoint file,
/// or nothing for a state passed in directly) and the key as it is stored there, with the prefix
/// a training checkpoint adds (<c>optimizer.group.1.lr</c>).
/// </summary>
sealed class StateFaults(string? source, string prefix)
{
    /// <summary>For a state handed to <c>LoadState</c> directly: keys as they are, no file.</summary>
    public static readonly StateFaults Direct = new(null, "");

    /// <summary>A refusal of the entry <paramref name="key"/>, which is named, quoted, first.</summary>
    public ArgumentException Key(string key, string detail) => Refusal($"{Where}'{prefix}{key}' {detail}.");

    // Only a state passed in directly is an argument; a file's refusal reads better without "(Parameter 'state')".
    ArgumentException Refusal(string message) => source is null ? new(message, "state") : new(message);

    /// <summary>The scalar <paramref name="key"/>, refusing its absence.</summary>
    public double Require(OptimizerState state, string key) =>
        state.Scalars.TryGetValue(key, out double value) ? value : throw Key(key, "is missing from the state");

    string Where => source is null ? "" : $"{source}: ";
}
