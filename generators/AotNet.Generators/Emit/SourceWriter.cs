using System.Text;

namespace AotNet.Generators.Emit;

/// <summary>Writes C# with consistent indentation and LF line endings, whatever the host's newline.</summary>
internal sealed class SourceWriter
{
    readonly StringBuilder _text = new();
    int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(line);
        }
        _text.Append('\n');
        return this;
    }

    public SourceWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Opens a bare block, to scope a local to the lines inside it.</summary>
    public SourceWriter Block()
    {
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>Writes the lines of <paramref name="other"/>, indented to this writer's level.</summary>
    public SourceWriter Append(SourceWriter other)
    {
        string text = other.ToString();
        foreach (string line in text.Substring(0, text.Length - (text.EndsWith("\n", System.StringComparison.Ordinal) ? 1 : 0)).Split('\n'))
        {
            Line(line);
        }
        return this;
    }

    public override string ToString() => _text.ToString();
}
