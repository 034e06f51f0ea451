using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace AotNet;

/// <summary>Gradient clipping as <c>torch.nn.utils.clip_grad_norm_</c> does it.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient in place so that their joint <paramref name="normType"/>-norm is at most
    /// <paramref name="maxNorm"/>, and returns the norm before clipping. As in PyTorch, the scale is
    /// <c>maxNorm / (total + 1e-6)</c> clamped to 1, so a norm just under the limit is left alone.
    /// <paramref name="normType"/> may be any p &gt; 0 or <see cref="float.PositiveInfinity"/> (the largest
    /// absolute value). Allocates nothing for an array, a list or any <see cref="IReadOnlyList{T}"/>.
    /// </summary>
    public static float ClipByGlobalNorm(IEnumerable<Parameter> parameters, float maxNorm, float normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        switch (parameters)
        {
            case Parameter[] array:
                return ClipByGlobalNorm((ReadOnlySpan<Parameter>)array, maxNorm, normType);
            case List<Parameter> list:
                return ClipByGlobalNorm((ReadOnlySpan<Parameter>)CollectionsMarshal.AsSpan(list), maxNorm, normType);
            case IReadOnlyList<Parameter> readOnly:
                return Clip(new ListSource(readOnly), maxNorm, normType);
            default:
                return ClipByGlobalNorm((ReadOnlySpan<Parameter>)parameters.ToArray(), maxNorm, normType);
        }
    }

    /// <summary>The same over a span, allocation-free.</summary>
    public static float ClipByGlobalNorm(ReadOnlySpan<Parameter> parameters, float maxNorm, float normType = 2)
    {
        CheckNormType(normType);
        // Per-tensor norms are float32 tensors in PyTorch; the total is the norm of those.
        double total = 0;
        foreach (var parameter in parameters)
        {
            total = Accumulate(total, TensorNorm(parameter.Grad.Span, normType), normType);
        }
        float totalNorm = Finish(total, normType);
        float coefficient = Math.Min(maxNorm / (totalNorm + 1e-6f), 1f);
        foreach (var parameter in parameters)
        {
            TensorPrimitives.Multiply(parameter.Grad.Span, coefficient, parameter.Grad.Span);
        }
        return totalNorm;
    }

    static float Clip(ListSource parameters, float maxNorm, float normType)
    {
        CheckNormType(normType);
        double total = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            total = Accumulate(total, TensorNorm(parameters[i].Grad.Span, normType), normType);
        }
        float totalNorm = Finish(total, normType);
        float coefficient = Math.Min(maxNorm / (totalNorm + 1e-6f), 1f);
        for (int i = 0; i < parameters.Count; i++)
        {
            TensorPrimitives.Multiply(parameters[i].Grad.Span, coefficient, parameters[i].Grad.Span);
        }
        return totalNorm;
    }

    static float TensorNorm(ReadOnlySpan<float> values, float normType)
    {
        if (float.IsPositiveInfinity(normType))
        {
            return values.IsEmpty ? 0f : Math.Abs(TensorPrimitives.MaxMagnitude(values));
        }
        double sum = 0;
        if (normType == 2f)
        {
            foreach (float v in values)
            {
                sum += (double)v * v;
            }
            return (float)Math.Sqrt(sum);
        }
        if (normType == 1f)
        {
            foreach (float v in values)
            {
                sum += Math.Abs(v);
            }
            return (float)sum;
        }
        foreach (float v in values)
        {
            sum += Math.Pow(Math.Abs(v), normType);
        }
        return (float)Math.Pow(sum, 1.0 / normType);
    }

    static double Accumulate(double total, float norm, float normType) =>
        float.IsPositiveInfinity(normType) ? Math.Max(total, norm) : total + Math.Pow(norm, normType);

    static float Finish(double total, float normType) =>
        float.IsPositiveInfinity(normType) ? (float)total : (float)Math.Pow(total, 1.0 / normType);

    static void CheckNormType(float normType)
    {
        if (!(normType > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"Norm type {normType} is not supported; use a p > 0 or float.PositiveInfinity.");
        }
    }

    /// <summary>An IReadOnlyList read by index, so no enumerator is boxed.</summary>
    readonly struct ListSource(IReadOnlyList<Parameter> list)
    {
        public int Count => list.Count;

        public Parameter this[int index] => list[index];
    }
}
