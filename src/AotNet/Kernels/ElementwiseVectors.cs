using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AotNet.Kernels;

/// <summary>
/// The functions of <see cref="Elementwise"/> (and a few of <see cref="System.MathF"/>) for a whole
/// vector, so generated loops that call them can run a vector at a time. Where a function is
/// computed in double, or has no vector form in the BCL (tanh, erf, pow), it runs lane by lane
/// through the scalar code, so the vector loop rounds exactly like the scalar tail and the eager ops.
/// </summary>
public static unsafe class ElementwiseVectors
{
    /// <summary>x · x.</summary>
    public static Vector512<float> Square(Vector512<float> x) => x * x;

    /// <inheritdoc cref="Square(Vector512{float})"/>
    public static Vector256<float> Square(Vector256<float> x) => x * x;

    /// <summary>SiLU: x / (1 + e^−x), as <see cref="Elementwise.Silu"/>.</summary>
    public static Vector512<float> Silu(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Exp(-x));

    /// <inheritdoc cref="Silu(Vector512{float})"/>
    public static Vector256<float> Silu(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Exp(-x));

    /// <summary>Leaky relu: x above 0, else slope · x.</summary>
    public static Vector512<float> LeakyRelu(Vector512<float> x, float negativeSlope) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * negativeSlope);

    /// <inheritdoc cref="LeakyRelu(Vector512{float}, float)"/>
    public static Vector256<float> LeakyRelu(Vector256<float> x, float negativeSlope) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * negativeSlope);

    /// <summary>
    /// x to a constant power. The exponents models use most are products and square roots, which
    /// round as <see cref="System.MathF.Pow"/> does to within an ulp; any other runs lane by lane.
    /// Inlined, so a literal exponent leaves only its own branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Pow(Vector512<float> x, float p) => p switch
    {
        1f => x,
        2f => x * x,
        3f => x * x * x,
        0.5f => Vector512.Sqrt(x),
        1.5f => x * Vector512.Sqrt(x),
        -1f => Vector512<float>.One / x,
        _ => EachLane(x, Vector512.Create(p), &System.MathF.Pow),
    };

    /// <inheritdoc cref="Pow(Vector512{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Pow(Vector256<float> x, float p) => p switch
    {
        1f => x,
        2f => x * x,
        3f => x * x * x,
        0.5f => Vector256.Sqrt(x),
        1.5f => x * Vector256.Sqrt(x),
        -1f => Vector256<float>.One / x,
        _ => EachLane(x, Vector256.Create(p), &System.MathF.Pow),
    };

    /// <summary>aᵇ for tensors a and b, lane by lane.</summary>
    public static Vector512<float> Pow(Vector512<float> a, Vector512<float> b) => EachLane(a, b, &System.MathF.Pow);

    /// <inheritdoc cref="Pow(Vector512{float}, Vector512{float})"/>
    public static Vector256<float> Pow(Vector256<float> a, Vector256<float> b) => EachLane(a, b, &System.MathF.Pow);

    /// <summary>Hyperbolic tangent, lane by lane (the BCL has no vector tanh).</summary>
    public static Vector512<float> Tanh(Vector512<float> x) => EachLane(x, &System.MathF.Tanh);

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    public static Vector256<float> Tanh(Vector256<float> x) => EachLane(x, &System.MathF.Tanh);

    /// <summary><see cref="Elementwise.Log1p"/>, lane by lane (it is computed in double).</summary>
    public static Vector512<float> Log1p(Vector512<float> x) => EachLane(x, &Elementwise.Log1p);

    /// <inheritdoc cref="Log1p(Vector512{float})"/>
    public static Vector256<float> Log1p(Vector256<float> x) => EachLane(x, &Elementwise.Log1p);

    /// <summary><see cref="F.Softplus(float)"/>, lane by lane (it is computed in double).</summary>
    public static Vector512<float> Softplus(Vector512<float> x) => EachLane(x, &F.Softplus);

    /// <inheritdoc cref="Softplus(Vector512{float})"/>
    public static Vector256<float> Softplus(Vector256<float> x) => EachLane(x, &F.Softplus);

    /// <summary><see cref="Elementwise.Gelu"/>, lane by lane (erf is computed in double).</summary>
    public static Vector512<float> Gelu(Vector512<float> x) => EachLane(x, &Elementwise.Gelu);

    /// <inheritdoc cref="Gelu(Vector512{float})"/>
    public static Vector256<float> Gelu(Vector256<float> x) => EachLane(x, &Elementwise.Gelu);

    /// <summary><see cref="Elementwise.GeluGrad"/>, lane by lane.</summary>
    public static Vector512<float> GeluGrad(Vector512<float> x) => EachLane(x, &Elementwise.GeluGrad);

    /// <inheritdoc cref="GeluGrad(Vector512{float})"/>
    public static Vector256<float> GeluGrad(Vector256<float> x) => EachLane(x, &Elementwise.GeluGrad);

    /// <summary><see cref="Elementwise.GeluTanh"/>, lane by lane.</summary>
    public static Vector512<float> GeluTanh(Vector512<float> x) => EachLane(x, &Elementwise.GeluTanh);

    /// <inheritdoc cref="GeluTanh(Vector512{float})"/>
    public static Vector256<float> GeluTanh(Vector256<float> x) => EachLane(x, &Elementwise.GeluTanh);

    /// <summary><see cref="Elementwise.GeluTanhGrad"/>, lane by lane.</summary>
    public static Vector512<float> GeluTanhGrad(Vector512<float> x) => EachLane(x, &Elementwise.GeluTanhGrad);

    /// <inheritdoc cref="GeluTanhGrad(Vector512{float})"/>
    public static Vector256<float> GeluTanhGrad(Vector256<float> x) => EachLane(x, &Elementwise.GeluTanhGrad);

    /// <summary><see cref="Elementwise.Elu"/>, lane by lane (eˣ − 1 is computed in double).</summary>
    public static Vector512<float> Elu(Vector512<float> x, float alpha) => EachLane(x, Vector512.Create(alpha), &Elementwise.Elu);

    /// <inheritdoc cref="Elu(Vector512{float}, float)"/>
    public static Vector256<float> Elu(Vector256<float> x, float alpha) => EachLane(x, Vector256.Create(alpha), &Elementwise.Elu);

    [SkipLocalsInit]
    static Vector512<float> EachLane(Vector512<float> x, delegate*<float, float> f)
    {
        Span<float> lanes = stackalloc float[Vector512<float>.Count];
        x.CopyTo(lanes);
        for (int k = 0; k < lanes.Length; k++)
        {
            lanes[k] = f(lanes[k]);
        }
        return Vector512.Create<float>(lanes);
    }

    [SkipLocalsInit]
    static Vector256<float> EachLane(Vector256<float> x, delegate*<float, float> f)
    {
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        x.CopyTo(lanes);
        for (int k = 0; k < lanes.Length; k++)
        {
            lanes[k] = f(lanes[k]);
        }
        return Vector256.Create<float>(lanes);
    }

    [SkipLocalsInit]
    static Vector512<float> EachLane(Vector512<float> a, Vector512<float> b, delegate*<float, float, float> f)
    {
        Span<float> lanes = stackalloc float[2 * Vector512<float>.Count];
        a.CopyTo(lanes);
        b.CopyTo(lanes[Vector512<float>.Count..]);
        for (int k = 0; k < Vector512<float>.Count; k++)
        {
            lanes[k] = f(lanes[k], lanes[Vector512<float>.Count + k]);
        }
        return Vector512.Create<float>(lanes);
    }

    [SkipLocalsInit]
    static Vector256<float> EachLane(Vector256<float> a, Vector256<float> b, delegate*<float, float, float> f)
    {
        Span<float> lanes = stackalloc float[2 * Vector256<float>.Count];
        a.CopyTo(lanes);
        b.CopyTo(lanes[Vector256<float>.Count..]);
        for (int k = 0; k < Vector256<float>.Count; k++)
        {
            lanes[k] = f(lanes[k], lanes[Vector256<float>.Count + k]);
        }
        return Vector256.Create<float>(lanes);
    }
}
