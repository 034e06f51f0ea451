namespace AotNet.Generators.Graph;

/// <summary>
/// The element type of a value. Float32 values are what models compute with; labels and indices
/// are Int32, counters are Int64, and comparisons produce Bool masks.
/// </summary>
internal enum DType
{
    Float32,
    Int32,
    Int64,
    Bool,
}

/// <summary>The type of one output of a node: its element type and its shape.</summary>
internal sealed record TensorType(DType DType, Shape Shape)
{
    public static TensorType Float(Shape shape) => new(DType.Float32, shape);

    /// <summary>The C# element type that holds it in generated code.</summary>
    public string ElementCode => DType switch
    {
        DType.Int32 => "int",
        DType.Int64 => "long",
        DType.Bool => "bool",
        _ => "float",
    };
}
