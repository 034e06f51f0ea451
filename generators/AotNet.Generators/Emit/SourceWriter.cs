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

    /// <summary>A bare block, a scope for locals.</summary>
    public SourceWriter OpenBlock()
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

    public override string ToString() => _text.ToString();
}
