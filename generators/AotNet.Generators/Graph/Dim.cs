using System.Globalization;

namespace AotNet.Generators.Graph;

/// <summary>One dimension: a constant known at build time, or a symbol (such as N) bound when the generated code runs.</summary>
internal readonly record struct Dim(int Value, string? Symbol)
{
    public static Dim Of(int value) => new(value, null);

    public static Dim Named(string symbol) => new(0, symbol);

    public bool IsConstant => Symbol is null;

    /// <summary>The dimension as a C# expression in generated code.</summary>
    public string Code => Symbol ?? Value.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => Code;
}
