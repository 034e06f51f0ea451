namespace AotNet.Kernels;

/// <summary>
/// Elementwise functions that neither <see cref="System.MathF"/> nor TensorPrimitives has, one
/// value at a time. The eager ops and the generated loops call the same code, so both round alike.
/// </summary>
public static class Elementwise
{
    const double InverseSqrt2 = 0.70710678118654752440;
    const double InverseSqrt2Pi = 0.39894228040143267794;
    const double Sqrt2OverPi = 0.79788456080286535588;
    const double TanhCoefficient = 0.044715;

    /// <summary>log(1 + x), accurate for small x (computed in double).</summary>
    public static float Log1p(float x) => (float)System.Math.Log(1.0 + x);

    /// <summary>The error function, with relative error below 1.2e-7 (Numerical Recipes' erfc, in double).</summary>
    public static double Erf(double x)
    {
        double z = System.Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double erfc = t * System.Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }

    /// <summary>GELU, exact: x · Φ(x) = ½ x (1 + erf(x / √2)), as PyTorch's <c>gelu(approximate='none')</c>.</summary>
    public static float Gelu(float x) => (float)(0.5 * x * (1.0 + Erf(x * InverseSqrt2)));

    /// <summary>The derivative of exact GELU: Φ(x) + x φ(x).</summary>
    public static float GeluGrad(float x)
    {
        double v = x;
        return (float)(0.5 * (1.0 + Erf(v * InverseSqrt2)) + v * InverseSqrt2Pi * System.Math.Exp(-0.5 * v * v));
    }

    /// <summary>GELU, tanh approximation: ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))), as PyTorch's <c>gelu(approximate='tanh')</c>.</summary>
    public static float GeluTanh(float x)
    {
        double v = x;
        return (float)(0.5 * v * (1.0 + System.Math.Tanh(Sqrt2OverPi * (v + TanhCoefficient * v * v * v))));
    }

    /// <summary>The derivative of the tanh approximation of GELU.</summary>
    public static float GeluTanhGrad(float x)
    {
        double v = x;
        double inner = Sqrt2OverPi * (v + TanhCoefficient * v * v * v);
        double tanh = System.Math.Tanh(inner);
        double innerGrad = Sqrt2OverPi * (1.0 + 3.0 * TanhCoefficient * v * v);
        return (float)(0.5 * (1.0 + tanh) + 0.5 * v * (1.0 - tanh * tanh) * innerGrad);
    }

    /// <summary>ELU: x above 0, else α (eˣ − 1), with eˣ − 1 computed in double.</summary>
    public static float Elu(float x, float alpha) => x > 0f ? x : (float)(alpha * (System.Math.Exp(x) - 1.0));

    /// <summary>x · x.</summary>
    public static float Square(float x) => x * x;

    /// <summary>SiLU: x σ(x) = x / (1 + e^−x).</summary>
    public static float Silu(float x) => x / (1f + System.MathF.Exp(-x));

    /// <summary>Leaky relu: x above 0, else slope · x.</summary>
    public static float LeakyRelu(float x, float negativeSlope) => x > 0f ? x : x * negativeSlope;
}
