using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace AotNet.Compiled;

/// <summary>The check generated code runs after each value it computes, when <see cref="AnomalyDetection"/> is on.</summary>
public static class Anomaly
{
    /// <summary>Throws when anomaly detection is on and <paramref name="values"/> holds a NaN or an infinity.</summary>
    /// <param name="values">The value just computed.</param>
    /// <param name="method">The generated method, such as <c>LossStep</c>.</param>
    /// <param name="value">The stored value's name, such as <c>h1</c>.</param>
    /// <param name="computes">
    /// What the step computes, with the model's lines: <c>'h1' = relu(x · fc1.weightᵀ + fc1.bias) at Mlp.cs:14</c>;
    /// for a fused loop, each value it computes in order.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(ReadOnlySpan<float> values, string method, string value, string computes)
    {
        if (AnomalyDetection.IsEnabled)
        {
            Scan(values, method, value, computes);
        }
    }

    static void Scan(ReadOnlySpan<float> values, string method, string value, string computes)
    {
        // Finite x has x − x = 0; NaN and ±∞ give NaN, so one vectorised sum finds them.
        if (float.IsFinite(TensorPrimitives.Sum(values) * 0f))
        {
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArithmeticException(
                    $"{method}: the first non-finite value comes from {computes}. Element {i} of '{value}' is {values[i]}.");
            }
        }
    }
}
