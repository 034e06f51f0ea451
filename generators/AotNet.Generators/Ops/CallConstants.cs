using System.Collections.Generic;
using System.Linq;

namespace AotNet.Generators.Ops;

/// <summary>
/// A non-tensor argument of a call (an axis, a flag, a reduction's name, a margin), read at
/// build time from a constant at the call site: an <c>int</c>, <c>bool</c>, <c>float</c>,
/// <c>string</c>, <c>int[]</c>, or null.
/// </summary>
internal sealed record ConstantArgument(object? Value)
{
    public bool IsNull => Value is null;

    public int Int => Value is int i ? i : throw Wrong("an int");

    public bool Bool => Value is bool b ? b : throw Wrong("a bool");

    public float Float => Value switch
    {
        float f => f,
        double d => (float)d,
        int i => i,
        _ => throw Wrong("a float"),
    };

    public string String => Value is string s ? s : throw Wrong("a string");

    /// <summary>Sizes: constant ints, or sizes read off a tensor when the code runs (<c>x.Dim(0)</c>), as dimensions.</summary>
    public IReadOnlyList<Graph.Dim> Dims => Value switch
    {
        Graph.Dim[] dims => dims,
        int[] values => values.Select(v => Graph.Dim.Of(v)).ToArray(),
        int single => [Graph.Dim.Of(single)],
        _ => throw Wrong("sizes"),
    };

    /// <summary>An <c>int[]</c>, or one <c>int</c> as a list of one.</summary>
    public IReadOnlyList<int> Ints => Value switch
    {
        int[] values => values,
        int single => [single],
        _ => throw Wrong("int[]"),
    };

    System.InvalidOperationException Wrong(string what) => new($"Internal: the constant {Value ?? "null"} is not {what}.");

    public bool Equals(ConstantArgument? other) =>
        other is not null && (Value is int[] a && other.Value is int[] b ? a.SequenceEqual(b)
            : Value is Graph.Dim[] x && other.Value is Graph.Dim[] y ? x.SequenceEqual(y)
            : Equals(Value, other.Value));

    public override int GetHashCode() => Value switch
    {
        int[] values => values.Aggregate(17, (h, v) => (h * 31) + v),
        Graph.Dim[] dims => dims.Aggregate(17, (h, d) => (h * 31) + d.GetHashCode()),
        _ => Value?.GetHashCode() ?? 0,
    };
}

/// <summary>The constant arguments of one call, by parameter slot; tensor slots hold none.</summary>
internal sealed class CallConstants
{
    public static readonly CallConstants None = new([]);

    readonly IReadOnlyList<ConstantArgument?> _slots;

    public CallConstants(IReadOnlyList<ConstantArgument?> slots) => _slots = slots;

    /// <summary>The constant at <paramref name="slot"/>, or null when that slot is a tensor (or past the end).</summary>
    public ConstantArgument? this[int slot] => slot < _slots.Count ? _slots[slot] : null;

    public bool IsConstant(int slot) => this[slot] is not null;

    public int Int(int slot, int fallback) => this[slot] is { IsNull: false } c ? c.Int : fallback;

    public bool Bool(int slot, bool fallback) => this[slot] is { IsNull: false } c ? c.Bool : fallback;

    public float Float(int slot, float fallback) => this[slot] is { IsNull: false } c ? c.Float : fallback;

    public string String(int slot, string fallback) => this[slot] is { IsNull: false } c ? c.String : fallback;

    /// <summary>The axes at <paramref name="slot"/>, or null when the argument is null or absent (meaning: all of them).</summary>
    public IReadOnlyList<int>? Axes(int slot) => this[slot] is { IsNull: false } c ? c.Ints : null;

    /// <summary>The sizes at <paramref name="slot"/>, or null when absent.</summary>
    public IReadOnlyList<Graph.Dim>? Dims(int slot) => this[slot] is { IsNull: false } c ? c.Dims : null;
}
