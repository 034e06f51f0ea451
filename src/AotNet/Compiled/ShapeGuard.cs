namespace AotNet.Compiled;

/// <summary>
/// Run-time shape checks for generated code: constant dimensions were checked at build time,
/// symbolic ones (such as a batch size N) are bound here from the first input that has them
/// and checked against every later use.
/// </summary>
public static class ShapeGuard
{
    /// <summary>Throws unless <paramref name="tensor"/> has rank <paramref name="rank"/>.</summary>
    public static void Rank(Tensor tensor, int rank, string name, string declared)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.Rank != rank)
        {
            throw new ArgumentException($"{name}: expected shape {declared}, got {tensor.ShapeText}.", name);
        }
    }

    /// <summary>Throws unless dimension <paramref name="axis"/> of <paramref name="tensor"/> is <paramref name="expected"/>.</summary>
    public static void Dim(Tensor tensor, int axis, int expected, string name, string declared, string bindings)
    {
        if (tensor.Dim(axis) != expected)
        {
            throw new ArgumentException(
                $"{name}: expected shape {declared}{bindings}, got {tensor.ShapeText}; dimension {axis} should be {expected}.", name);
        }
    }

    /// <summary>Throws unless <paramref name="labels"/> holds <paramref name="expected"/> labels.</summary>
    public static void Length(Labels labels, int expected, string name, string declared, string bindings)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.Length != expected)
        {
            throw new ArgumentException(
                $"{name}: expected shape {declared}{bindings}, got {labels.ShapeText}.", name);
        }
    }
}
