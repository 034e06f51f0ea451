namespace AotNet.Generators.Graph;

/// <summary>
/// Where in the user's source a node came from, as plain values (never a Roslyn location), so
/// diagnostics, generated comments and anomaly reports can name the user's line.
/// </summary>
internal sealed record SourceSpot(string FilePath, int Line, int Column)
{
    /// <summary>The file name and 1-based line, such as <c>Mlp.cs:14</c>: stable across machines, unlike the full path.</summary>
    public string Short
    {
        get
        {
            int slash = System.Math.Max(FilePath.LastIndexOf('/'), FilePath.LastIndexOf('\\'));
            return $"{FilePath.Substring(slash + 1)}:{Line}";
        }
    }
}

/// <summary>A span of the user's source as plain values, for reporting against a method after parsing.</summary>
internal sealed record SourceRange(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn);
