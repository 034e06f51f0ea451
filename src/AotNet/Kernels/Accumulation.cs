using System.Numerics.Tensors;

namespace AotNet.Kernels;

/// <summary>The last write of a gradient that a training step may overwrite or add to.</summary>
public static class Accumulation
{
    /// <summary>
    /// <c>destination (+)= value</c>: a copy, or with <paramref name="accumulate"/> an add into
    /// what <paramref name="destination"/> holds. Generated steps store through it the gradients
    /// whose own kernel can only overwrite.
    /// </summary>
    public static void Store(ReadOnlySpan<float> value, Span<float> destination, bool accumulate)
    {
        if (value.Length != destination.Length)
        {
            throw new ArgumentException($"Accumulation.Store: a value of {value.Length} elements does not fit a destination of {destination.Length}.", nameof(destination));
        }
        if (accumulate)
        {
            TensorPrimitives.Add(destination, value, destination);
        }
        else
        {
            value.CopyTo(destination);
        }
    }
}
