using AotNet.Generators.Graph;

namespace AotNet.Generators.Shapes;

/// <summary>The shape an op produces, or why its operands do not fit.</summary>
internal readonly struct ShapeResult
{
    ShapeResult(Shape? shape, string? error)
    {
        Shape = shape;
        Error = error;
    }

    public Shape? Shape { get; }

    public string? Error { get; }

    public static ShapeResult Ok(Shape shape) => new(shape, null);

    public static ShapeResult Fail(string error) => new(null, error);
}
