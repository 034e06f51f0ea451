namespace AotNet;

/// <summary>
/// Declares the shape of a tensor (or labels) input of a <see cref="DifferentiableAttribute"/>
/// method, or of a <see cref="Parameter"/> field or property that such a method reads. Each
/// dimension is an <see cref="int"/>, checked at build time, or, for inputs only, a
/// <see cref="string"/> symbol such as <c>"N"</c>, bound and checked when the generated code runs.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class ShapeAttribute : Attribute
{
    /// <summary>Declares the dimensions, outermost first.</summary>
    public ShapeAttribute(params object[] dimensions) => Dimensions = dimensions;

    /// <summary>The dimensions as written: <see cref="int"/> constants or <see cref="string"/> symbols.</summary>
    public object[] Dimensions { get; }
}
