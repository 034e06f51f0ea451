namespace AotNet.Generators.Parsing;

/// <summary>Sentinels for values that are not graph nodes.</summary>
internal static class ReadValue
{
    /// <summary>The expression failed to read; a diagnostic was already reported.</summary>
    public const int Failed = -1;

    /// <summary>A null literal, such as an omitted optional bias.</summary>
    public const int None = -2;

    /// <summary>Tuples are numbered from here down: tuple k is <c>FirstTuple - k</c>.</summary>
    public const int FirstTuple = -1000;

    public static bool IsTuple(int value) => value <= FirstTuple;
}
