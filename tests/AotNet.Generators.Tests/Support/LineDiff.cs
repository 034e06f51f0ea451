using System.Text;

namespace AotNet.Generators.Tests.Support;

/// <summary>A short, readable description of where two texts differ, with 1-based line numbers.</summary>
public static class LineDiff
{
    /// <summary>
    /// Skips the common leading and trailing lines, then lists the differing region: expected
    /// lines with '-', actual lines with '+', at most <paramref name="maxLines"/> of each.
    /// </summary>
    public static string Describe(string expected, string actual, int maxLines = 12)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        int prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }
        var text = new StringBuilder();
        text.Append($"First difference at line {prefix + 1} (expected {a.Length} lines, got {b.Length}):\n");
        Append(text, '-', a, prefix, a.Length - suffix, maxLines);
        Append(text, '+', b, prefix, b.Length - suffix, maxLines);
        return text.ToString();
    }

    static void Append(StringBuilder text, char sign, string[] lines, int from, int to, int maxLines)
    {
        for (int i = from; i < to && i < from + maxLines; i++)
        {
            text.Append($"{sign} {i + 1,5}: {lines[i]}\n");
        }
        if (to - from > maxLines)
        {
            text.Append($"{sign}   ... {to - from - maxLines} more line(s)\n");
        }
    }
}
