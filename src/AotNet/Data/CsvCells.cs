namespace AotNet;

/// <summary>
/// Splits one CSV line into cells without copying them. Cells may be wrapped in double quotes
/// (with <c>""</c> for a quote inside), as header names sometimes are; a quoted cell cannot
/// span lines.
/// </summary>
static class CsvCells
{
    /// <summary>One cell of a line: where it starts, how long it is, and whether it was quoted.</summary>
    public readonly record struct Cell(int Start, int Length, bool Quoted)
    {
        public ReadOnlySpan<char> In(string line) => line.AsSpan(Start, Length);

        public string Text(string line) => Quoted ? line.Substring(Start, Length).Replace("\"\"", "\"", StringComparison.Ordinal) : line.Substring(Start, Length);
    }

    /// <summary>
    /// Fills <paramref name="cells"/> with the cells of <paramref name="line"/>, with the
    /// whitespace around them trimmed. Returns null, or what is wrong with the line.
    /// </summary>
    public static string? Split(string line, char delimiter, List<Cell> cells)
    {
        cells.Clear();
        int i = 0;
        while (true)
        {
            while (i < line.Length && line[i] != delimiter && char.IsWhiteSpace(line[i]))
            {
                i++;
            }
            if (i < line.Length && line[i] == '"')
            {
                int start = ++i;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return $"the quote that opens cell {cells.Count + 1} is not closed before the end of the line";
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i++;
                }
                cells.Add(new Cell(start, i - start, Quoted: true));
                i++;
                while (i < line.Length && line[i] != delimiter)
                {
                    if (!char.IsWhiteSpace(line[i]))
                    {
                        return $"cell {cells.Count} has text after its closing quote";
                    }
                    i++;
                }
            }
            else
            {
                int end = line.IndexOf(delimiter, i);
                if (end < 0)
                {
                    end = line.Length;
                }
                int last = end;
                while (last > i && char.IsWhiteSpace(line[last - 1]))
                {
                    last--;
                }
                cells.Add(new Cell(i, last - i, Quoted: false));
                i = end;
            }
            if (i >= line.Length)
            {
                return null;
            }
            i++;
        }
    }
}
