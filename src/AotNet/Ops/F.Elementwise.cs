using System.Numerics.Tensors;
using AotNet.Kernels;

namespace AotNet;

/// <summary>Elementwise unary and binary ops, comparisons and <see cref="Where"/>, with PyTorch's names and semantics.</summary>
public static partial class F
{
    /// <summary>Elementwise <c>−x</c>, as PyTorch's <c>torch.neg</c>.</summary>
    public static Tensor Neg(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Negate(source, destination));

    /// <summary>Elementwise <c>eˣ</c>, as PyTorch's <c>torch.exp</c>.</summary>
    public static Tensor Exp(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Exp(source, destination));

    /// <summary>Elementwise natural logarithm, as PyTorch's <c>torch.log</c>: NaN below 0 and −∞ at 0.</summary>
    public static Tensor Log(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Log(source, destination));

    /// <summary>Elementwise <c>log(1 + x)</c>, accurate near 0, as PyTorch's <c>torch.log1p</c>.</summary>
    public static Tensor Log1p(Tensor x) => Map(x, static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = Elementwise.Log1p(source[i]);
        }
    });

    /// <summary>Elementwise square root, as PyTorch's <c>torch.sqrt</c>.</summary>
    public static Tensor Sqrt(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Sqrt(source, destination));

    /// <summary>Elementwise <c>1 / √x</c>, as PyTorch's <c>torch.rsqrt</c>.</summary>
    public static Tensor Rsqrt(Tensor x) => Map(x, static (source, destination) =>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = 1f / MathF.Sqrt(source[i]);
        }
    });

    /// <summary>Elementwise <c>|x|</c>, as PyTorch's <c>torch.abs</c>; its gradient at 0 is 0, as in PyTorch.</summary>
    public static Tensor Abs(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Abs(source, destination));

    /// <summary>Elementwise <c>x²</c>, as PyTorch's <c>torch.square</c>.</summary>
    public static Tensor Square(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Multiply(source, source, destination));

    /// <summary>Elementwise <c>1 / x</c>, as PyTorch's <c>torch.reciprocal</c>.</summary>
    public static Tensor Reciprocal(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Divide(1f, source, destination));

    /// <summary>
    /// Elementwise <c>x^exponent</c> for a constant exponent, as PyTorch's <c>torch.pow(input, exponent)</c>
    /// with a Python number. Inside a <see cref="DifferentiableAttribute"/> method the exponent must be a constant.
    /// </summary>
    public static Tensor Pow(Tensor x, float exponent)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new Tensor(x.Shape.ToArray());
        var source = x.Span;
        var destination = result.Span;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = MathF.Pow(source[i], exponent);
        }
        return result;
    }

    /// <summary>Elementwise <c>a^b</c> with NumPy broadcasting, as PyTorch's <c>torch.pow(input, exponent)</c> with two tensors.</summary>
    public static Tensor Pow(Tensor a, Tensor b) => Broadcasting.Apply<PowOp>(a, b, "Pow");

    /// <summary>Elementwise sine, as PyTorch's <c>torch.sin</c>.</summary>
    public static Tensor Sin(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Sin(source, destination));

    /// <summary>Elementwise cosine, as PyTorch's <c>torch.cos</c>.</summary>
    public static Tensor Cos(Tensor x) => Map(x, static (source, destination) => TensorPrimitives.Cos(source, destination));

    /// <summary>
    /// Elementwise <c>x</c> above 0, else <c>negativeSlope · x</c>, as PyTorch's <c>F.leaky_relu</c>.
    /// At 0 the gradient is the slope, as in PyTorch.
    /// </summary>
    public static Tensor LeakyRelu(Tensor x, float negativeSlope = 0.01f)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new Tensor(x.Shape.ToArray());
        var source = x.Span;
        var destination = result.Span;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] > 0f ? source[i] : source[i] * negativeSlope;
        }
        return result;
    }

    /// <summary>Elementwise <c>x</c> above 0, else <c>alpha · (eˣ − 1)</c>, as PyTorch's <c>F.elu</c>.</summary>
    public static Tensor Elu(Tensor x, float alpha = 1f)
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = new Tensor(x.Shape.ToArray());
        var source = x.Span;
        var destination = result.Span;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = Elementwise.Elu(source[i], alpha);
        }
        return result;
    }

    /// <summary>
    /// Elementwise GELU, as PyTorch's <c>F.gelu</c>: with <paramref name="approximate"/> <c>"none"</c>
    /// the exact <c>x · Φ(x)</c>, with <c>"tanh"</c> the tanh approximation.
    /// </summary>
    public static Tensor Gelu(Tensor x, string approximate = "none")
    {
        ArgumentNullException.ThrowIfNull(x);
        bool tanh = approximate switch
        {
            "none" => false,
            "tanh" => true,
            _ => throw new ArgumentException($"Gelu: approximate must be \"none\" or \"tanh\", as in PyTorch; got \"{approximate}\".", nameof(approximate)),
        };
        var result = new Tensor(x.Shape.ToArray());
        var source = x.Span;
        var destination = result.Span;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = tanh ? Elementwise.GeluTanh(source[i]) : Elementwise.Gelu(source[i]);
        }
        return result;
    }

    /// <summary>Elementwise <c>x · σ(x)</c>, as PyTorch's <c>F.silu</c>.</summary>
    public static Tensor Silu(Tensor x) => Map(x, static (source, destination) =>
    {
        TensorPrimitives.Sigmoid(source, destination);
        TensorPrimitives.Multiply(source, destination, destination);
    });

    /// <summary>
    /// Elementwise <c>min(max(x, min), max)</c>, as PyTorch's <c>torch.clamp</c>; either bound may be
    /// left out, but not both. The gradient passes where <c>min ≤ x ≤ max</c>, bounds included, as in PyTorch.
    /// </summary>
    public static Tensor Clamp(Tensor x, float? min = null, float? max = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (min is null && max is null)
        {
            throw new ArgumentException("Clamp needs at least one of min and max, as in PyTorch.", nameof(min));
        }
        var result = new Tensor(x.Shape.ToArray());
        x.Span.CopyTo(result.Span);
        if (min is { } low)
        {
            TensorPrimitives.Max(result.Span, low, result.Span);
        }
        if (max is { } high)
        {
            TensorPrimitives.Min(result.Span, high, result.Span);
        }
        return result;
    }

    /// <summary>Elementwise <c>a / b</c> with NumPy broadcasting, as PyTorch's <c>torch.div</c>.</summary>
    public static Tensor Div(Tensor a, Tensor b) => Broadcasting.Apply<DivOp>(a, b, "Div");

    /// <summary>
    /// Elementwise maximum with NumPy broadcasting, as PyTorch's <c>torch.maximum</c>: NaN if either
    /// is NaN; where a = b the gradient is split evenly, as in PyTorch.
    /// </summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Broadcasting.Apply<MaxOp>(a, b, "Maximum");

    /// <summary>Elementwise minimum with NumPy broadcasting, as PyTorch's <c>torch.minimum</c>; ties split the gradient evenly.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Broadcasting.Apply<MinOp>(a, b, "Minimum");

    /// <summary>Elementwise <c>a &gt; b</c> with NumPy broadcasting, as PyTorch's <c>torch.greater</c>.</summary>
    public static Mask Greater(Tensor a, Tensor b) => Compare(a, b, "Greater", static (x, y) => x > y);

    /// <summary>Elementwise <c>a &lt; b</c> with NumPy broadcasting, as PyTorch's <c>torch.less</c>.</summary>
    public static Mask Less(Tensor a, Tensor b) => Compare(a, b, "Less", static (x, y) => x < y);

    /// <summary>Elementwise <c>a ≥ b</c> with NumPy broadcasting, as PyTorch's <c>torch.greater_equal</c>.</summary>
    public static Mask GreaterEqual(Tensor a, Tensor b) => Compare(a, b, "GreaterEqual", static (x, y) => x >= y);

    /// <summary>Elementwise <c>a ≤ b</c> with NumPy broadcasting, as PyTorch's <c>torch.less_equal</c>.</summary>
    public static Mask LessEqual(Tensor a, Tensor b) => Compare(a, b, "LessEqual", static (x, y) => x <= y);

    /// <summary>
    /// Elementwise <c>a = b</c> with NumPy broadcasting, as PyTorch's <c>torch.eq</c> (not
    /// <c>torch.equal</c>, which compares whole tensors).
    /// </summary>
    public static Mask Equal(Tensor a, Tensor b) => Compare(a, b, "Equal", static (x, y) => x == y);

    /// <summary>
    /// <paramref name="value"/> where <paramref name="mask"/> holds, else <paramref name="x"/>, as PyTorch's
    /// <c>x.masked_fill(mask, value)</c>; the mask broadcasts to x's shape, and the result has it.
    /// A causal attention mask is <c>scores.MaskedFill(future, float.NegativeInfinity)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The mask does not broadcast to x's shape.</exception>
    public static Tensor MaskedFill(Tensor x, Mask mask, float value)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mask);
        var result = Where(mask, Tensor.Scalar(value), x);
        if (!result.Shape.SequenceEqual(x.Shape))
        {
            throw new ArgumentException($"MaskedFill: the mask {Shapes.Format(mask.Shape)} must broadcast to x's shape {x.ShapeText}.", nameof(mask));
        }
        return result;
    }

    /// <summary>
    /// <paramref name="input"/> where <paramref name="condition"/> holds, else <paramref name="other"/>,
    /// with NumPy broadcasting over all three, as PyTorch's <c>torch.where(condition, input, other)</c>.
    /// </summary>
    public static Tensor Where(Mask condition, Tensor input, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(other);
        int[] shape = Shapes.Broadcast(Shapes.Broadcast(condition.Shape, input.Shape, "Where"), other.Shape, "Where");
        var result = new Tensor(shape);
        var mask = condition.Span;
        var whenTrue = input.Span;
        var whenFalse = other.Span;
        var destination = result.Span;
        var c = new BroadcastIndexer(condition.Shape, shape);
        var a = new BroadcastIndexer(input.Shape, shape);
        var b = new BroadcastIndexer(other.Shape, shape);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = mask[c.Source(i)] ? whenTrue[a.Source(i)] : whenFalse[b.Source(i)];
        }
        return result;
    }

    static Mask Compare(Tensor a, Tensor b, string op, Func<float, float, bool> compare)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] shape = Shapes.Broadcast(a.Shape, b.Shape, op);
        var result = new Mask(shape);
        var left = new BroadcastIndexer(a.Shape, shape);
        var right = new BroadcastIndexer(b.Shape, shape);
        var av = a.Span;
        var bv = b.Span;
        var destination = result.Span;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = compare(av[left.Source(i)], bv[right.Source(i)]);
        }
        return result;
    }

    /// <summary>Maps a flat index of a broadcast result to the flat index of one operand.</summary>
    readonly struct BroadcastIndexer
    {
        readonly int[] _outputShape;
        readonly int[] _strides;
        readonly bool _identity;

        public BroadcastIndexer(ReadOnlySpan<int> operand, int[] output)
        {
            _outputShape = output;
            _identity = operand.SequenceEqual(output);
            _strides = new int[output.Length];
            int stride = 1;
            for (int i = operand.Length - 1; i >= 0; i--)
            {
                _strides[output.Length - operand.Length + i] = operand[i] == 1 ? 0 : stride;
                stride *= operand[i];
            }
        }

        public int Source(int flat)
        {
            if (_identity)
            {
                return flat;
            }
            int offset = 0;
            for (int axis = _outputShape.Length - 1; axis >= 0; axis--)
            {
                int size = _outputShape[axis];
                offset += flat % size * _strides[axis];
                flat /= size;
            }
            return offset;
        }
    }
}

readonly struct DivOp : IBinaryOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);
}

readonly struct MaxOp : IBinaryOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Max(x, y, destination);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Max(x, y, destination);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Max(y, x, destination);
}

readonly struct MinOp : IBinaryOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Min(x, y, destination);

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Min(x, y, destination);

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Min(y, x, destination);
}

readonly struct PowOp : IBinaryOp
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = MathF.Pow(x[i], y[i]);
        }
    }

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = MathF.Pow(x[i], y);
        }
    }

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = MathF.Pow(x, y[i]);
        }
    }
}
