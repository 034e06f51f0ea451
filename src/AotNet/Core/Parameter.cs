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
}
