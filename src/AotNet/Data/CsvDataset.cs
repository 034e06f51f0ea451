using System.Globalization;

namespace AotNet;

/// <summary>
/// Loads a numeric CSV file into a <see cref="TensorDataset"/>: one sample per row, one column
/// of integer class labels, every other column a float feature, giving inputs [rows, features].
/// </summary>
/// <remarks>
/// Blank lines are skipped. Every error is an <see cref="InvalidDataException"/> whose message
/// names the file, the line, the column (with its header name when there is one) and what is
/// wrong, because a bad cell in a file of millions is otherwise hard to find. Lines and
/// columns are counted from 1, as editors count them.
/// </remarks>
public static class CsvDataset
{
    /// <summary>Reads the CSV file at <paramref name="path"/>; <paramref name="options"/> defaults to a header row, commas and labels in column 0.</summary>
    /// <exception cref="InvalidDataException">The file is empty, has no data rows, a ragged row, a cell that is not a finite number, or a label that is not a non-negative integer below <see cref="CsvOptions.ClassCount"/>.</exception>
    public static TensorDataset Load(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Load(reader, path, options);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is empty, has no data rows, a ragged row, a cell that is not a finite number, or a label that is not a non-negative integer below <see cref="CsvOptions.ClassCount"/>.</exception>
    public static TensorDataset Load(TextReader reader, string sourceName, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        options ??= new CsvOptions();
        if (options.Delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException($"The delimiter cannot be {EscapeChar(options.Delimiter)}.", nameof(options));
        }
        if (options.ClassCount is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ClassCount, "CsvOptions.ClassCount must be at least 1 when set.");
        }
        if (options.LabelColumnName is not null && !options.HasHeader)
        {
            throw new ArgumentException(
                $"Label column '{options.LabelColumnName}' is chosen by name, which needs a header row, but HasHeader is false.", nameof(options));
        }

        var cells = new List<CsvCells.Cell>();
        string[]? header = null;
        int columns = -1, labelColumn = -1, lineNumber = 0;
        var features = new List<float>();
        var labels = new List<int>();
        bool sawText = false;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            sawText = true;
            if (CsvCells.Split(line, options.Delimiter, cells) is { } fault)
            {
                throw Fault(sourceName, lineNumber, fault);
            }
            if (columns < 0)
            {
                columns = cells.Count;
                if (columns < 2)
                {
                    throw Fault(sourceName, lineNumber,
                        $"found 1 column, but a dataset needs a label column and at least one feature column (is the delimiter {EscapeChar(options.Delimiter)} right?)");
                }
                if (options.HasHeader)
                {
                    header = cells.Select(c => c.Text(line)).ToArray();
                }
                labelColumn = ResolveLabelColumn(options, header, columns, sourceName, lineNumber);
                if (header is not null)
                {
                    continue;
                }
            }
            else if (cells.Count != columns)
            {
                throw Fault(sourceName, lineNumber,
                    $"has {cells.Count} columns, but {(header is null ? "the first row has" : "the header names")} {columns}");
            }
            ParseRow(line, cells, labelColumn, options, features, labels, header, sourceName, lineNumber);
        }

        if (!sawText)
        {
            throw new InvalidDataException($"{sourceName} is empty: it has no header and no rows.");
        }
        if (labels.Count == 0)
        {
            throw new InvalidDataException($"{sourceName} has a header but no data rows.");
        }
        int featureCount = columns - 1;
        return new TensorDataset(new Tensor(features.ToArray(), labels.Count, featureCount), new Labels(labels.ToArray()));
    }

    static void ParseRow(
        string line, List<CsvCells.Cell> cells, int labelColumn, CsvOptions options,
        List<float> features, List<int> labels, string[]? header, string source, int lineNumber)
    {
        var culture = options.Culture;
        for (int c = 0; c < cells.Count; c++)
        {
            var text = cells[c].In(line);
            if (c == labelColumn)
            {
                int label = ParseLabel(text, culture, header, source, lineNumber, c);
                if (label >= options.ClassCount)
                {
                    throw Fault(source, lineNumber, c, header,
                        $"label {label} is outside the {options.ClassCount} classes 0 to {options.ClassCount - 1}");
                }
                labels.Add(label);
                continue;
            }
            if (text.IsEmpty)
            {
                throw Fault(source, lineNumber, c, header, "is empty; every feature needs a number");
            }
            if (!float.TryParse(text, NumberStyles.Float, culture, out float value))
            {
                throw Fault(source, lineNumber, c, header, $"'{text}' is not a number{CultureHint(text, culture)}");
            }
            if (!float.IsFinite(value) && !options.AllowNonFinite)
            {
                // float.TryParse takes NaN and Infinity, and rounds 1e39 to infinity without complaint.
                throw Fault(source, lineNumber, c, header,
                    $"'{text}' is not a finite float32 (it reads as {value}); set CsvOptions.AllowNonFinite to keep NaN and infinities");
            }
            features.Add(value);
        }
    }

    static int ParseLabel(ReadOnlySpan<char> text, CultureInfo culture, string[]? header, string source, int lineNumber, int column)
    {
        if (long.TryParse(text, NumberStyles.Integer, culture, out long whole))
        {
            if (whole < 0)
            {
                throw Fault(source, lineNumber, column, header, $"label {whole} is negative; class labels start at 0");
            }
            if (whole > int.MaxValue)
            {
                throw Fault(source, lineNumber, column, header, $"label {whole} is too large for a class index");
            }
            return (int)whole;
        }
        string what = text.IsEmpty ? "the label is empty"
            : double.TryParse(text, NumberStyles.Float, culture, out _) ? $"label '{text}' is not an integer; class labels are whole numbers 0, 1, 2, ..."
            : $"label '{text}' is not a number";
        throw Fault(source, lineNumber, column, header, what);
    }

    static int ResolveLabelColumn(CsvOptions options, string[]? header, int columns, string source, int lineNumber)
    {
        if (options.LabelColumnName is { } name)
        {
            int found = Array.IndexOf(header!, name);
            if (found < 0)
            {
                throw Fault(source, lineNumber, $"has no column named '{name}'; the columns are {string.Join(", ", header!.Select(h => $"'{h}'"))}");
            }
            return found;
        }
        int index = options.LabelColumn < 0 ? options.LabelColumn + columns : options.LabelColumn;
        if ((uint)index >= (uint)columns)
        {
            throw Fault(source, lineNumber, $"has {columns} columns, so label column {options.LabelColumn} does not exist");
        }
        return index;
    }

    static string CultureHint(ReadOnlySpan<char> text, CultureInfo culture) =>
        text.Contains(',') && culture.NumberFormat.NumberDecimalSeparator == "."
            ? $" in culture '{(culture.Name.Length == 0 ? "invariant" : culture.Name)}' (for a decimal comma set CsvOptions.Culture, and a delimiter other than ',')"
            : "";

    static string EscapeChar(char c) => c switch
    {
        '\t' => "'\\t'",
        '\r' => "'\\r'",
        '\n' => "'\\n'",
        _ => $"'{c}'",
    };

    static InvalidDataException Fault(string source, int lineNumber, string what) =>
        new($"{source}, line {lineNumber}: {what}.");

    static InvalidDataException Fault(string source, int lineNumber, int column, string[]? header, string what)
    {
        string name = header is not null && header[column].Length > 0 ? $" ('{header[column]}')" : "";
        return new InvalidDataException($"{source}, line {lineNumber}, column {column + 1}{name}: {what}.");
    }
}
