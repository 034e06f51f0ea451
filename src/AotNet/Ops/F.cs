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
    /// <summary>Matrix product of <paramref name="a"/> [m, k] and <paramref name="b"/> [k, n], giving [m, n].</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Shapes.RequireRank(a, 2, nameof(a), "MatMul");
        Shapes.RequireRank(b, 2, nameof(b), "MatMul");
        if (a.Dim(1) != b.Dim(0))
        {
            throw new ArgumentException($"MatMul: inner dimensions differ; {a.ShapeText} · {b.ShapeText}.", nameof(b));
        }
        var result = new Tensor(a.Dim(0), b.Dim(1));
        Gemm.Multiply(a.Span, false, b.Span, false, result.Span, a.Dim(0), b.Dim(1), a.Dim(1));
        return result;
    }

    /// <summary>
    /// The affine map of PyTorch's <c>nn.Linear</c>: <c>x · weightᵀ + bias</c>, with
    /// <paramref name="x"/> [n, in], <paramref name="weight"/> [out, in] and <paramref name="bias"/> [out].
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        Shapes.RequireRank(x, 2, nameof(x), "Linear");
        Shapes.RequireRank(weight, 2, nameof(weight), "Linear");
        if (x.Dim(1) != weight.Dim(1))
        {
            throw new ArgumentException(
                $"Linear: the input has {x.Dim(1)} features but the weight {weight.ShapeText} expects {weight.Dim(1)}; input shape {x.ShapeText}.", nameof(x));
        }
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != weight.Dim(0)))
        {
            throw new ArgumentException($"Linear: the bias must have shape [{weight.Dim(0)}]; got {bias.ShapeText}.", nameof(bias));
        }
        var result = new Tensor(x.Dim(0), weight.Dim(0));
        Gemm.Multiply(x.Span, false, weight.Span, true, result.Span, x.Dim(0), weight.Dim(0), x.Dim(1),
            bias: bias is null ? default : bias.Span);
        return result;
    }

    /// <summary>Elementwise <c>a + b</c> with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Broadcasting.Apply(a, b, "Add", static (x, y) => x + y);

    /// <summary>Elementwise <c>a - b</c> with NumPy broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Broadcasting.Apply(a, b, "Sub", static (x, y) => x - y);

    /// <summary>Elementwise <c>a · b</c> with NumPy broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Broadcasting.Apply(a, b, "Mul", static (x, y) => x * y);

    /// <summary>Elementwise <c>max(x, 0)</c>.</summary>
    public static Tensor Relu(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Max(source, 0f, destination));

    /// <summary>Elementwise hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Tanh(source, destination));

    /// <summary>Elementwise logistic sigmoid, <c>1 / (1 + e^-x)</c>.</summary>
    public static Tensor Sigmoid(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Sigmoid(source, destination));

    /// <summary>Log-softmax over the last dimension.</summary>
    public static Tensor LogSoftmax(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1)
        {
            throw new ArgumentException($"LogSoftmax needs at least one dimension; got shape {x.ShapeText}.", nameof(x));
        }
        int cols = x.Dim(-1);
        var result = new Tensor(x.Shape.ToArray());
        Softmax.LogSoftmaxRows(x.Span, result.Span, cols == 0 ? 0 : x.Length / cols, cols);
        return result;
    }

    /// <summary>
    /// Mean softmax cross-entropy of <paramref name="logits"/> [n, classes] against integer
    /// <paramref name="labels"/> [n], like PyTorch's <c>F.cross_entropy</c>. Returns a scalar.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Labels labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        Shapes.RequireRank(logits, 2, nameof(logits), "CrossEntropy");
        if (labels.Length != logits.Dim(0))
        {
            throw new ArgumentException(
                $"CrossEntropy: logits {logits.ShapeText} need {logits.Dim(0)} labels; got labels {labels.ShapeText}.", nameof(labels));
        }
        var logProbabilities = new float[logits.Length];
        return Tensor.Scalar(Kernels.CrossEntropy.Forward(logits.Span, labels.Span, logProbabilities, logits.Dim(0), logits.Dim(1)));
    }

    /// <summary>The sum of all elements, as a scalar.</summary>
    public static Tensor Sum(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Scalar(SumAsDouble(x));
    }

    /// <summary>The mean of all elements, as a scalar.</summary>
    public static Tensor Mean(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Tensor.Scalar(x.Length == 0 ? float.NaN : (float)(SumAsDouble(x) / x.Length));
    }

    static float SumAsDouble(Tensor x)
    {
        double total = 0;
        foreach (float value in x.Span)
        {
            total += value;
        }
        return (float)total;
    }

    static Tensor Map(Tensor x, SpanMap map)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new Tensor(x.Shape.ToArray());
        map(x.Span, result.Span);
        return result;
    }

    delegate void SpanMap(ReadOnlySpan<float> source, Span<float> destination);
}
