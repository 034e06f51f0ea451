namespace AotNet.Generators.Tests.Generation;

/// <summary>Small models whose generated code the snapshot tests pin down.</summary>
static class SnapshotSources
{
    public const string Mlp = """
        namespace Models;

        public sealed partial class Mlp : Module
        {
            readonly Linear fc1 = new(784, 256);
            readonly Linear fc2 = new(256, 128);
            readonly Linear fc3 = new(128, 10);

            [Differentiable]
            public Tensor Forward([Shape("N", 784)] Tensor x)
            {
                var h1 = Relu(fc1.Forward(x));
                var h2 = Relu(fc2.Forward(h1));
                return fc3.Forward(h2);
            }

            [Differentiable]
            public Tensor Loss([Shape("N", 784)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);
        }
        """;

    /// <summary>Broadcast add and mul feeding tanh: one fused loop forward, broadcast reductions backward.</summary>
    public const string BroadcastChain = """
        namespace Models;

        public sealed partial class Chain
        {
            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 8)] Tensor x, [RequiresGrad, Shape(8)] Tensor shift, [RequiresGrad, Shape("N", 1)] Tensor scale)
            {
                var y = Tanh((x + shift) * scale);
                return Sum(y * x);
            }
        }
        """;

    /// <summary>A long elementwise chain with scalars (gelu, silu, exp, div, pow, clamp, sqrt): one loop forward, one loop backward.</summary>
    public const string ElementwiseChain = """
        namespace Models;

        public sealed partial class Smooth
        {
            const float Half = 0.5f;

            [Differentiable]
            public Tensor Forward([Shape("N", 16)] Tensor x)
            {
                var h = Gelu(x * 2f + 1f) - Silu(x) * Half;
                var e = Exp(Clamp(h, -4f, 4f)) / (1f + Square(x));
                return Pow(Sqrt(e + 1f), 1.5f) - LeakyRelu(-x, 0.1f);
            }

            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 16)] Tensor x) => Sum(Forward(x));
        }
        """;

    /// <summary>Least squares through MatMul, Sub, Mul and Mean, with the weights passed in as an input that wants its gradient.</summary>
    public const string LeastSquares = """
        namespace Models;

        public sealed partial class LeastSquares
        {
            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [RequiresGrad, Shape(3, 1)] Tensor w, [Shape("N", 1)] Tensor target)
            {
                var error = Sub(MatMul(x, w), target);
                return Mean(Mul(error, error));
            }
        }
        """;

    /// <summary>Linear regression with parameter fields and a mean squared error built from Sub, Mul and Mean.</summary>
    public const string LinearRegression = """
        namespace Models;

        public sealed partial class Regression : Module
        {
            [Shape(3, 1)] public Parameter Weight { get; } = new(new Tensor(3, 1));
            [Shape(1)] public Parameter Bias { get; } = new(new Tensor(1));

            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N", 1)] Tensor target)
            {
                var error = Sub(Add(MatMul(x, Weight), Bias), target);
                return Mean(Mul(error, error));
            }
        }
        """;

    /// <summary>A submodule whose [Differentiable] method is inlined, and a Linear without bias feeding a sigmoid.</summary>
    public const string Submodule = """
        namespace Models;

        public sealed partial class Block : Module
        {
            // Internal: the inlined code in Outer reaches this layer's parameters directly.
            internal readonly Linear fc = new(4, 3, bias: false);

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Sigmoid(fc.Forward(x));
        }

        public sealed partial class Outer : Module
        {
            readonly Block block = new();
            readonly Linear head = new(3, 2);

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(head.Forward(block.Forward(x)), y);
        }
        """;

    /// <summary>
    /// Attention-style weights: a softmax over the middle axis of [N, T, H] (the strided kernel),
    /// a max over it with keepdim, and a mean over the last two axes. The backward reads the saved softmax.
    /// </summary>
    public const string MiddleAxisSoftmax = """
        namespace Models;

        public sealed partial class Pooling
        {
            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 6, 4)] Tensor scores, [Shape("N", 6, 4)] Tensor values)
            {
                var weights = Softmax(scores, dim: 1);
                var pooled = Sum(weights * values, [1], keepDim: true);
                var peak = Max(scores, [-2], keepDim: true);
                return Sum(Mean(pooled - peak, [1, 2]));
            }
        }
        """;

    /// <summary>Log-softmax followed by NLL lowers to the fused cross-entropy: one kernel forward, one backward.</summary>
    public const string LogSoftmaxNll = """
        namespace Models;

        public sealed partial class Classifier
        {
            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 5)] Tensor logits, [Shape("N")] Labels y) => Sum(NllLoss(LogSoftmax(logits, dim: 1), y, reduction: "none"));
        }
        """;
}
