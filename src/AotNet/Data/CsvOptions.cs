using System.Globalization;

namespace AotNet;

/// <summary>How <see cref="CsvDataset"/> reads a file: its header, delimiter, label column and number format.</summary>
public sealed record CsvOptions
{
    /// <summary>True (the default) when the first non-blank line names the columns instead of holding data.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The cell separator; a comma by default. Use <c>'\t'</c> for TSV or <c>';'</c> for files written in locales with a decimal comma.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// The zero-based index of the label column; negative values count from the end, so -1 is
    /// the last column. The default, 0, fits files such as Kaggle's Fashion-MNIST CSV.
    /// Ignored when <see cref="LabelColumnName"/> is set.
    /// </summary>
    public int LabelColumn { get; init; }

    /// <summary>The header name of the label column, matched exactly; needs <see cref="HasHeader"/>.</summary>
    public string? LabelColumnName { get; init; }

    /// <summary>
    /// The culture numbers are parsed in. The invariant culture by default, so a file reads the
    /// same on every machine whatever its regional settings.
    /// </summary>
    public CultureInfo Culture { get; init; } = CultureInfo.InvariantCulture;

    /// <summary>
    /// False (the default) to refuse a feature that is NaN, infinite or beyond float32's range
    /// (such as <c>1e39</c>), which would otherwise load silently and poison training. Set it to
    /// keep such values, for data that marks missing cells with NaN on purpose.
    /// </summary>
    public bool AllowNonFinite { get; init; }

    /// <summary>
    /// The number of classes, when known: a label of this value or more is refused as the file
    /// loads, with its line. Null (the default) accepts any label ≥ 0.
    /// </summary>
    public int? ClassCount { get; init; }
}
