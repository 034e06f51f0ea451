namespace AotNet;

/// <summary>One tensor of a safetensors file, as its header describes it.</summary>
public sealed class SafetensorsEntry
{
    readonly int[] _shape;

    internal SafetensorsEntry(string name, string dtype, int[] shape, long elementCount, long begin, long end)
    {
        Name = name;
        DType = dtype;
        _shape = shape;
        ElementCount = elementCount;
        Begin = begin;
        End = end;
    }

    /// <summary>The tensor's name, such as <c>fc1.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The dtype exactly as the file names it, such as <c>F32</c> or <c>BF16</c>.</summary>
    public string DType { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of elements, the product of <see cref="Shape"/>.</summary>
    public long ElementCount { get; }

    /// <summary>The first byte of the tensor's data, relative to the start of the data section.</summary>
    public long Begin { get; }

    /// <summary>One past the last byte of the tensor's data, relative to the start of the data section.</summary>
    public long End { get; }

    /// <summary>True when AotNet can read this tensor as float32 (dtype F32, F64, F16 or BF16).</summary>
    public bool IsFloat => SafetensorsDType.IsConvertible(DType);

    /// <inheritdoc />
    public override string ToString() => $"{Name} {DType} {Shapes.Format(_shape)}";
}
