using AotNet.Generators.Graph;

namespace AotNet.Generators.Shapes;

/// <summary>The types an op's outputs have, or why its operands do not fit.</summary>
internal readonly struct ShapeResult
{
    ShapeResult(EquatableArray<TensorType>? outputs, string? error)
    {
        Outputs = outputs;
        Error = error;
    }

    public EquatableArray<TensorType>? Outputs { get; }

    /// <summary>The first output's shape, when the rule succeeded.</summary>
    public Shape? Shape => Outputs?[0].Shape;

    public string? Error { get; }

    public bool Succeeded => Outputs is not null;

    public static ShapeResult Ok(Shape shape) => new(new[] { TensorType.Float(shape) }.ToEquatableArray(), null);

    public static ShapeResult Ok(params TensorType[] outputs) => new(outputs.ToEquatableArray(), null);

    public static ShapeResult Fail(string error) => new(null, error);
}
