using System.Numerics.Tensors;
using AotNet.Kernels;

namespace AotNet;

/// <summary>
/// The functional ops. Each runs eagerly and allocates its result; inside a
/// <see cref="DifferentiableAttribute"/> method the generator also knows its shape rule, its
/// gradient and how to fuse it. Bring them into scope with <c>using static AotNet.F;</c>.
/// </summary>
public static partial class F
{
    /// <summary>
    /// Matrix product of <paramref name="a"/> [..., m, k] and <paramref name="b"/> [..., k, n], giving
    /// [..., m, n], like <c>torch.matmul</c> for operands of rank 2 or more: the leading axes are
    /// batch axes and broadcast.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank < 2 || b.Rank < 2)
        {
            throw new ArgumentException(
                $"MatMul needs two matrices, a [..., m, k] and b [..., k, n]; got a {a.ShapeText} and b {b.ShapeText}.", a.Rank < 2 ? nameof(a) : nameof(b));
        }
        int m = a.Dim(-2), k = a.Dim(-1), n = b.Dim(-1);
        if (k != b.Dim(-2))
        {
            throw new ArgumentException(
                $"MatMul: a {a.ShapeText} has {k} columns but b {b.ShapeText} has {b.Dim(-2)} rows; they must be equal.", nameof(b));
        }
        var aBatch = a.Shape[..^2].ToArray();
        var bBatch = b.Shape[..^2].ToArray();
        var batch = Broadcasting.Shape(aBatch, bBatch, "MatMul (batch axes)");
        var result = new Tensor([.. batch, m, n]);
        int count = Shapes.CheckedLength(batch, nameof(a));
        for (int i = 0; i < count; i++)
        {
            // Each operand's batch element: the output's batch index, with broadcast axes held at 0.
            int ai = Broadcasting.SourceIndex(i, batch, aBatch), bi = Broadcasting.SourceIndex(i, batch, bBatch);
            Gemm.Multiply(a.Span.Slice(ai * m * k, m * k), false, b.Span.Slice(bi * k * n, k * n), false, result.Span.Slice(i * m * n, m * n), m, n, k);
        }
        return result;
    }

    /// <summary>
    /// The affine map of PyTorch's <c>nn.Linear</c>: <c>x · weightᵀ + bias</c>, with
    /// <paramref name="x"/> [..., in] (any leading axes are batch axes), <paramref name="weight"/>
    /// [out, in] and <paramref name="bias"/> [out].
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank < 1 || weight.Rank != 2)
        {
            throw new ArgumentException(
                $"Linear needs x [..., in] and weight [out, in]; got x {x.ShapeText} and weight {weight.ShapeText}.", x.Rank < 1 ? nameof(x) : nameof(weight));
        }
        if (x.Dim(-1) != weight.Dim(1))
        {
            throw new ArgumentException(
                $"Linear: x {x.ShapeText} has {x.Dim(-1)} features but weight {weight.ShapeText} expects {weight.Dim(1)} (the weight is [out, in], as in PyTorch).", nameof(x));
        }
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != weight.Dim(0)))
        {
            throw new ArgumentException(
                $"Linear: bias must have shape [{weight.Dim(0)}] to match weight {weight.ShapeText}; got bias {bias.ShapeText}.", nameof(bias));
        }
        // Every leading axis is a batch axis, as in PyTorch: [..., in] becomes [..., out].
        int rows = x.Length / Math.Max(x.Dim(-1), 1);
        var shape = x.Shape.ToArray();
        shape[^1] = weight.Dim(0);
        var result = new Tensor(shape);
        Gemm.Multiply(x.Span, false, weight.Span, true, result.Span, rows, weight.Dim(0), x.Dim(-1),
            bias: bias is null ? default : bias.Span);
        return result;
    }

    /// <summary>Elementwise <c>a + b</c> with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Broadcasting.Apply<AddOp>(a, b, "Add");

    /// <summary>Elementwise <c>a - b</c> with NumPy broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Broadcasting.Apply<SubOp>(a, b, "Sub");

    /// <summary>Elementwise <c>a · b</c> with NumPy broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Broadcasting.Apply<MulOp>(a, b, "Mul");

    /// <summary>Elementwise <c>max(x, 0)</c>.</summary>
    public static Tensor Relu(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Max(source, 0f, destination));

    /// <summary>Elementwise hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Tanh(source, destination));

    /// <summary>Elementwise logistic sigmoid, <c>1 / (1 + e^-x)</c>.</summary>
    public static Tensor Sigmoid(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Sigmoid(source, destination));

    /// <summary>
    /// Elementwise softplus, <c>log(1 + eˣ)</c>, as PyTorch's <c>F.softplus</c> with beta 1 and
    /// threshold 20: above the threshold it returns <c>x</c>.
    /// </summary>
    public static Tensor Softplus(Tensor x) => Map(x, static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = Softplus(source[i]);
        }
    });

    /// <summary>Softplus of one value, in double inside so small results keep their digits; generated code calls it too.</summary>
    public static float Softplus(float x) => x > 20f ? x : (float)Math.Log(1 + Math.Exp(x));

    /// <summary>Mish, <c>x · tanh(softplus(x))</c>, elementwise, as PyTorch's <c>mish</c>.</summary>
    public static Tensor Mish(Tensor x) => Map(x, static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] * MathF.Tanh(Softplus(source[i]));
        }
    });

    /// <summary>Hard sigmoid, <c>clamp(x + 3, 0, 6) / 6</c>, elementwise, as PyTorch's <c>hardsigmoid</c>.</summary>
    public static Tensor Hardsigmoid(Tensor x) => Map(x, static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = Math.Clamp(source[i] + 3f, 0f, 6f) / 6f;
        }
    });

    /// <summary>Hard swish, <c>x · clamp(x + 3, 0, 6) / 6</c>, elementwise, as PyTorch's <c>hardswish</c>.</summary>
    public static Tensor Hardswish(Tensor x) => Map(x, static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] * Math.Clamp(source[i] + 3f, 0f, 6f) / 6f;
        }
    });

    /// <summary>The log of the sigmoid, <c>−softplus(−x)</c>, elementwise, as PyTorch's <c>logsigmoid</c>; finite for every finite x.</summary>
    public static Tensor LogSigmoid(Tensor x) => Map(x, static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = -Softplus(-source[i]);
        }
    });

    /// <summary>
    /// Dropout, as PyTorch's <c>F.dropout</c>: while <paramref name="training"/>, each element is
    /// zeroed with probability <paramref name="p"/> and the rest scaled by 1 / (1 − p); otherwise, or
    /// when p is 0, <paramref name="x"/> itself. The mask is drawn from <see cref="Rng.Default"/>
    /// (reseed it with <see cref="Rng.ManualSeed"/>), in the same order as the generated code draws it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not between 0 and 1.</exception>
    public static Tensor Dropout(Tensor x, float p = 0.5f, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "p is the probability of dropping an element, between 0 and 1.");
        }
        if (!training || p == 0f)
        {
            return x;
        }
        if (p == 1f)
        {
            return Mul(x, Tensor.Scalar(0f));
        }
        var mask = new Tensor(x.Shape.ToArray());
        Kernels.DropoutMask.Fill(mask.Span, p);
        return Mul(x, mask);
    }

    /// <summary>SELU, <c>scale · elu(x, α)</c> with PyTorch's constants, elementwise, as PyTorch's <c>selu</c>.</summary>
    public static Tensor Selu(Tensor x) => Map(x, static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = 1.0507009873554805f * Kernels.Elementwise.Elu(source[i], 1.6732632423543772f);
        }
    });

    static Tensor Map(Tensor x, SpanMap map)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new Tensor(x.Shape.ToArray());
        map(x.Span, result.Span);
        return result;
    }

    delegate void SpanMap(ReadOnlySpan<float> source, Span<float> destination);
}
