namespace AotNet;

/// <summary>
/// Samples and their class labels held in memory, like PyTorch's <c>TensorDataset(x, y)</c>:
/// <see cref="Inputs"/> is [n, ...] and <see cref="Targets"/> has n labels.
/// </summary>
public sealed class TensorDataset
{
    /// <summary>Pairs <paramref name="inputs"/> [n, ...] with <paramref name="targets"/> [n], without copying.</summary>
    public TensorDataset(Tensor inputs, Labels targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank < 1)
        {
            throw new ArgumentException($"Inputs need a leading sample dimension; got shape {inputs.ShapeText}.", nameof(inputs));
        }
        if (inputs.Dim(0) != targets.Length)
        {
            throw new ArgumentException(
                $"Inputs {inputs.ShapeText} hold {inputs.Dim(0)} samples but targets {targets.ShapeText} hold {targets.Length} labels.", nameof(targets));
        }
        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>The samples, [n, ...].</summary>
    public Tensor Inputs { get; }

    /// <summary>The class label of each sample.</summary>
    public Labels Targets { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Targets.Length;

    /// <summary>The shape of one sample: <see cref="Inputs"/>' shape without its first dimension.</summary>
    public ReadOnlySpan<int> SampleShape => Inputs.Shape[1..];

    /// <summary>The number of floats in one sample.</summary>
    public int SampleLength => Count == 0 ? Shapes.CheckedLength(SampleShape, nameof(SampleShape)) : Inputs.Length / Count;
}
