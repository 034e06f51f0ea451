namespace AotNet;

/// <summary>
/// A trainable tensor and its gradient. Generated training steps overwrite <see cref="Grad"/>;
/// optimizers read it and update <see cref="Value"/> in place.
/// </summary>
public sealed class Parameter
{
    /// <summary>A parameter holding <paramref name="value"/>, with a zero gradient of the same shape.</summary>
    public Parameter(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        Grad = new Tensor(value.Shape.ToArray());
    }

    /// <summary>The current value.</summary>
    public Tensor Value { get; }

    /// <summary>The gradient of the last training step.</summary>
    public Tensor Grad { get; }

    /// <summary>The shape of <see cref="Value"/>.</summary>
    public ReadOnlySpan<int> Shape => Value.Shape;

    /// <summary>The value, so a parameter can be passed wherever a tensor is expected.</summary>
    public static implicit operator Tensor(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Value;
    }

    /// <summary>Elementwise sum of two parameters' values, with NumPy broadcasting; see <see cref="F.Add"/>.</summary>
    public static Tensor operator +(Parameter left, Parameter right) => (Tensor)left + (Tensor)right;

    /// <summary>Elementwise sum of a parameter's value and a scalar.</summary>
    public static Tensor operator +(Parameter left, float right) => (Tensor)left + right;

    /// <summary>Elementwise sum of a scalar and a parameter's value.</summary>
    public static Tensor operator +(float left, Parameter right) => left + (Tensor)right;

    /// <summary>Elementwise difference of two parameters' values, with NumPy broadcasting; see <see cref="F.Sub"/>.</summary>
    public static Tensor operator -(Parameter left, Parameter right) => (Tensor)left - (Tensor)right;

    /// <summary>Elementwise difference of a parameter's value and a scalar.</summary>
    public static Tensor operator -(Parameter left, float right) => (Tensor)left - right;

    /// <summary>Elementwise difference of a scalar and a parameter's value.</summary>
    public static Tensor operator -(float left, Parameter right) => left - (Tensor)right;

    /// <summary>Elementwise product of two parameters' values, with NumPy broadcasting; see <see cref="F.Mul"/>.</summary>
    public static Tensor operator *(Parameter left, Parameter right) => (Tensor)left * (Tensor)right;

    /// <summary>Elementwise product of a parameter's value and a scalar.</summary>
    public static Tensor operator *(Parameter left, float right) => (Tensor)left * right;

    /// <summary>Elementwise product of a scalar and a parameter's value.</summary>
    public static Tensor operator *(float left, Parameter right) => left * (Tensor)right;

    /// <summary>Elementwise quotient of two parameters' values, with NumPy broadcasting; see <see cref="F.Div"/>.</summary>
    public static Tensor operator /(Parameter left, Parameter right) => (Tensor)left / (Tensor)right;

    /// <summary>Elementwise quotient of a parameter's value and a scalar.</summary>
    public static Tensor operator /(Parameter left, float right) => (Tensor)left / right;

    /// <summary>Elementwise quotient of a scalar and a parameter's value.</summary>
    public static Tensor operator /(float left, Parameter right) => left / (Tensor)right;

    /// <summary>The negated value; see <see cref="F.Neg"/>.</summary>
    public static Tensor operator -(Parameter x) => -(Tensor)x;
}
