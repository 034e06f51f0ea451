namespace AotNet.Generators.Tests.Support;

/// <summary>A tensor computed in double precision by the naive reference: row-major data and its shape.</summary>
public sealed record NaiveTensor(int[] Shape, double[] Data)
{
    public static NaiveTensor Of(Tensor tensor)
    {
        var values = tensor.Span;
        var data = new double[values.Length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = values[i];
        }
        return new NaiveTensor(tensor.Shape.ToArray(), data);
    }

    public int Length => Data.Length;

    public double Item() => Data.Length == 1 ? Data[0] : throw new InvalidOperationException($"Item() of a tensor of {Data.Length} elements");
}

/// <summary>
/// Every op of <c>AotNet.F</c> as plain loops in double precision, sharing no code with the runtime's
/// kernels (GEMM, reductions, softmax, cross-entropy), so agreement with it can catch a kernel bug
/// that eager and generated code would share.
/// </summary>
public static class NaiveReference
{
    /// <summary>
    /// F method name → its reference, called with the method's arguments as F takes them (a
    /// <see cref="Tensor"/>, <see cref="Labels"/>, or null for an omitted optional tensor).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<object?>, NaiveTensor>> Ops =
        new Dictionary<string, Func<IReadOnlyList<object?>, NaiveTensor>>(StringComparer.Ordinal)
        {
            ["MatMul"] = a => MatMul(T(a[0]), T(a[1])),
            ["Linear"] = a => Linear(T(a[0]), T(a[1]), a.Count > 2 && a[2] is not null ? T(a[2]) : null),
            ["Add"] = a => Add(T(a[0]), T(a[1])),
            ["Sub"] = a => Sub(T(a[0]), T(a[1])),
            ["Mul"] = a => Mul(T(a[0]), T(a[1])),
            ["Relu"] = a => Relu(T(a[0])),
            ["Tanh"] = a => Tanh(T(a[0])),
            ["Sigmoid"] = a => Sigmoid(T(a[0])),
            ["LogSoftmax"] = a => SoftmaxOver(T(a[0]), a.Count > 1 ? (int)a[1]! : -1, log: true),
            ["Softmax"] = a => SoftmaxOver(T(a[0]), a.Count > 1 ? (int)a[1]! : -1, log: false),
            ["CrossEntropy"] = a => a[1] is Labels labels
                ? Spatial(T(a[0]), rows => ClassLoss(SoftmaxOver(rows, 1, log: true), labels, Opt(a, 2), Arg(a, 3, -100), Arg(a, 4, "mean"), Arg(a, 5, 0f)))
                : Spatial(T(a[0]), rows => ProbabilityLoss(SoftmaxOver(rows, 1, log: true), ClassRows(T(a[1])), Opt(a, 2), Arg(a, 3, "mean"), Arg(a, 4, 0f))),
            ["NllLoss"] = a => Spatial(T(a[0]), rows => ClassLoss(rows, (Labels)a[1]!, Opt(a, 2), Arg(a, 3, -100), Arg(a, 4, "mean"), 0f)),
            ["Argmax"] = a => Argmax(T(a[0]), (int)a[1]!, Flag(a, 2, false)),
            ["MseLoss"] = a => Pointwise(T(a[0]), T(a[1]), Arg(a, 2, "mean"), static d => d * d),
            ["L1Loss"] = a => Pointwise(T(a[0]), T(a[1]), Arg(a, 2, "mean"), Math.Abs),
            ["SmoothL1Loss"] = a =>
            {
                double beta = Arg(a, 3, 1f);
                return Pointwise(T(a[0]), T(a[1]), Arg(a, 2, "mean"), d => Math.Abs(d) < beta ? 0.5 * d * d / beta : Math.Abs(d) - (0.5 * beta));
            },
            ["HuberLoss"] = a =>
            {
                double delta = Arg(a, 3, 1f);
                return Pointwise(T(a[0]), T(a[1]), Arg(a, 2, "mean"), d => Math.Abs(d) < delta ? 0.5 * d * d : delta * (Math.Abs(d) - (0.5 * delta)));
            },
            ["BinaryCrossEntropy"] = a =>
            {
                var loss = Broadcast(T(a[0]), T(a[1]), static (p, t) => -((t * Math.Max(Math.Log(p), -100)) + ((1 - t) * Math.Max(Math.Log(1 - p), -100))));
                return Reduced(Opt(a, 2) is { } w ? Mul(loss, w) : loss, Arg(a, 3, "mean"));
            },
            ["BinaryCrossEntropyWithLogits"] = a => BinaryCrossEntropyWithLogits(T(a[0]), T(a[1]), Opt(a, 2), Opt(a, 3), Arg(a, 4, "mean")),
            ["Sum"] = a => a.Count > 1 ? Reduce(T(a[0]), Axes(a[1]), Flag(a, 2, false), Sum) : Sum(T(a[0])),
            ["Reshape"] = a => Viewed(T(a[0]), AotNet.Shapes.Resolved((int[])a[1]!, T(a[0]).Length, "shape")),
            ["Flatten"] = a => Viewed(T(a[0]), AotNet.Shapes.Flattened(T(a[0]).Shape, (int)a[1]!, (int)a[2]!, "startDim")),
            ["Squeeze"] = a => Viewed(T(a[0]), AotNet.Shapes.Squeezed(T(a[0]).Shape, (int)a[1]!, "dim")),
            ["Unsqueeze"] = a => Viewed(T(a[0]), AotNet.Shapes.Unsqueezed(T(a[0]).Shape, (int)a[1]!, "dim")),
            ["Transpose"] = a => Permuted(T(a[0]), AotNet.Shapes.Swapped(T(a[0]).Shape.Length, (int)a[1]!, (int)a[2]!, "dim0")),
            ["Permute"] = a => Permuted(T(a[0]), AotNet.Shapes.Permutation(T(a[0]).Shape.Length, (int[])a[1]!, "dims")),
            ["Concat"] = a => Joined([T(a[0]), T(a[1])], (int)a[2]!),
            ["Stack"] = a => Joined([Viewed(T(a[0]), AotNet.Shapes.Unsqueezed(T(a[0]).Shape, (int)a[2]!, "dim")), Viewed(T(a[1]), AotNet.Shapes.Unsqueezed(T(a[1]).Shape, (int)a[2]!, "dim"))], (int)a[2]!),
            ["Narrow"] = a => Narrowed(T(a[0]), (int)a[1]!, (int)a[2]!, (int)a[3]!),
            ["Expand"] = a => Expanded(T(a[0]), (int[])a[1]!),
            ["Pad"] = a => Padded(T(a[0]), (int[])a[1]!, (float)a[2]!),
            ["Slice"] = a => Sliced(T(a[0]), (int)a[1]!, Arg(a, 2, 0), Arg(a, 3, int.MaxValue), Arg(a, 4, 1)),
            ["Split"] = a => FlattenedPieces(Pieces(T(a[0]), a[1]!, Arg(a, 2, 0), chunk: false)),
            ["Chunk"] = a => FlattenedPieces(Pieces(T(a[0]), a[1]!, Arg(a, 2, 0), chunk: true)),
            ["Gather"] = a => Gathered(T(a[0]), (int)a[1]!, (Labels)a[2]!),
            ["IndexSelect"] = a => Selected(T(a[0]), (int)a[1]!, (Labels)a[2]!),
            ["Embedding"] = a => Embedded((Labels)a[0]!, T(a[1])),
            ["Dropout"] = a => Dropped(T(a[0]), a.Count > 1 && a[1] is float p ? p : 0.5f, a.Count <= 2 || a[2] is not bool training || training),
            ["Mean"] = a => a.Count > 1 ? Reduce(T(a[0]), Axes(a[1]), Flag(a, 2, false), Mean) : Mean(T(a[0])),
            ["Max"] = a => Reduce(T(a[0]), Axes(a[1]), Flag(a, 2, false), v => v.Max()),
            ["Min"] = a => Reduce(T(a[0]), Axes(a[1]), Flag(a, 2, false), v => v.Min()),
            ["Var"] = a => Reduce(T(a[0]), Axes(a[1]), Flag(a, 3, false), v => Variance(v, Flag(a, 2, true))),
            ["Std"] = a => Reduce(T(a[0]), Axes(a[1]), Flag(a, 3, false), v => Math.Sqrt(Variance(v, Flag(a, 2, true)))),
            ["LogSumExp"] = a => Reduce(T(a[0]), Axes(a[1]), Flag(a, 2, false), LogSumExp),
        };

    /// <summary>Bindings deliberately without a naive reference, each with the reason. Empty today.</summary>
    public static readonly IReadOnlyDictionary<string, string> Exempt = new Dictionary<string, string>(StringComparer.Ordinal);

    static NaiveTensor T(object? value) => value switch
    {
        NaiveTensor naive => naive,
        Tensor tensor => NaiveTensor.Of(tensor),
        _ => throw new ArgumentException($"expected a tensor, got {value?.GetType().Name ?? "null"}"),
    };

    public static NaiveTensor MatMul(NaiveTensor a, NaiveTensor b)
    {
        Require(a.Shape.Length >= 2 && b.Shape.Length >= 2 && a.Shape[^1] == b.Shape[^2], "MatMul shapes");
        int m = a.Shape[^2], k = a.Shape[^1], n = b.Shape[^1];
        int[] aBatch = a.Shape[..^2], bBatch = b.Shape[..^2];
        int rank = Math.Max(aBatch.Length, bBatch.Length);
        int Size(int[] batch, int axis) => axis - (rank - batch.Length) is int j && j >= 0 ? batch[j] : 1;
        var batch = Enumerable.Range(0, rank).Select(axis => Math.Max(Size(aBatch, axis), Size(bBatch, axis))).ToArray();
        int count = batch.Aggregate(1, (x, y) => x * y);
        var c = new double[count * m * n];
        for (int t = 0; t < count; t++)
        {
            // The batch coordinates of t, then each operand's batch element (broadcast axes at 0).
            int ai = 0, bi = 0, rest = t;
            var coordinate = new int[rank];
            for (int axis = rank - 1; axis >= 0; axis--)
            {
                coordinate[axis] = rest % batch[axis];
                rest /= batch[axis];
            }
            for (int axis = 0; axis < rank; axis++)
            {
                ai = ai * Size(aBatch, axis) + (Size(aBatch, axis) == 1 ? 0 : coordinate[axis]);
                bi = bi * Size(bBatch, axis) + (Size(bBatch, axis) == 1 ? 0 : coordinate[axis]);
            }
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += a.Data[ai * m * k + i * k + p] * b.Data[bi * k * n + p * n + j];
                    }
                    c[t * m * n + i * n + j] = sum;
                }
            }
        }
        return new NaiveTensor([.. batch, m, n], c);
    }

    /// <summary><c>x · weightᵀ + bias</c>, weight [out, in].</summary>
    public static NaiveTensor Linear(NaiveTensor x, NaiveTensor weight, NaiveTensor? bias)
    {
        // Every leading axis of x is a batch axis.
        Require(x.Shape.Length >= 1 && weight.Shape.Length == 2 && x.Shape[^1] == weight.Shape[1], "Linear shapes");
        int inputs = x.Shape[^1], rows = x.Length / inputs, outputs = weight.Shape[0];
        var y = new double[rows * outputs];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                y[r * outputs + o] = (bias is null ? 0 : bias.Data[o]) + Dot(x.Data, r * inputs, weight.Data, o * inputs, inputs);
            }
        }
        return new NaiveTensor([.. x.Shape[..^1], outputs], y);
    }

    /// <summary>
    /// Σ a[i]·b[i] over a run of each, in double. The one concession to speed: a few lanes at a
    /// time (the W1 model's reference loss runs hundreds of times in a gradient check), still a
    /// loop of its own that shares nothing with the runtime's GEMM.
    /// </summary>
    static double Dot(double[] a, int aStart, double[] b, int bStart, int count)
    {
        var x = new ReadOnlySpan<double>(a, aStart, count);
        var y = new ReadOnlySpan<double>(b, bStart, count);
        var lanes = System.Numerics.Vector<double>.Zero;
        int width = System.Numerics.Vector<double>.Count, i = 0;
        for (; i + width <= count; i += width)
        {
            lanes += new System.Numerics.Vector<double>(x.Slice(i, width)) * new System.Numerics.Vector<double>(y.Slice(i, width));
        }
        double sum = System.Numerics.Vector.Sum(lanes);
        for (; i < count; i++)
        {
            sum += x[i] * y[i];
        }
        return sum;
    }

    public static NaiveTensor Add(NaiveTensor a, NaiveTensor b) => Broadcast(a, b, static (x, y) => x + y);

    public static NaiveTensor Sub(NaiveTensor a, NaiveTensor b) => Broadcast(a, b, static (x, y) => x - y);

    public static NaiveTensor Mul(NaiveTensor a, NaiveTensor b) => Broadcast(a, b, static (x, y) => x * y);

    public static NaiveTensor Relu(NaiveTensor x) => Map(x, static v => v > 0 ? v : 0);

    public static NaiveTensor Tanh(NaiveTensor x) => Map(x, Math.Tanh);

    public static NaiveTensor Sigmoid(NaiveTensor x) => Map(x, static v => 1 / (1 + Math.Exp(-v)));

    /// <summary>Log-softmax over the last axis, with the row maximum subtracted first.</summary>
    public static NaiveTensor LogSoftmax(NaiveTensor x)
    {
        Require(x.Shape.Length >= 1, "LogSoftmax rank");
        int cols = x.Shape[^1], rows = cols == 0 ? 0 : x.Length / cols;
        var y = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < cols; c++)
            {
                max = Math.Max(max, x.Data[r * cols + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++)
            {
                sum += Math.Exp(x.Data[r * cols + c] - max);
            }
            double logSum = max + Math.Log(sum);
            for (int c = 0; c < cols; c++)
            {
                y[r * cols + c] = x.Data[r * cols + c] - logSum;
            }
        }
        return new NaiveTensor(x.Shape.ToArray(), y);
    }

    /// <summary>
    /// Softmax or log-softmax over axis <paramref name="dim"/>: every line along that axis gathered by
    /// its coordinates, its maximum subtracted, in double.
    /// </summary>
    public static NaiveTensor SoftmaxOver(NaiveTensor x, int dim, bool log)
    {
        int rank = x.Shape.Length, axis = dim < 0 ? dim + rank : dim;
        Require(axis >= 0 && axis < rank, "softmax axis");
        int size = x.Shape[axis], inner = x.Shape.Skip(axis + 1).Aggregate(1, (p, d) => p * d), outer = x.Length / (size * inner);
        var y = new double[x.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                var at = Enumerable.Range(0, size).Select(c => ((o * size) + c) * inner + i).ToArray();
                double max = at.Max(k => x.Data[k]);
                double logSum = max + Math.Log(at.Sum(k => Math.Exp(x.Data[k] - max)));
                foreach (int k in at)
                {
                    y[k] = log ? x.Data[k] - logSum : Math.Exp(x.Data[k] - logSum);
                }
            }
        }
        return new NaiveTensor(x.Shape.ToArray(), y);
    }

    /// <summary>The mean over rows of −log_softmax(logits)[r, labels[r]], as a scalar.</summary>
    public static NaiveTensor CrossEntropy(NaiveTensor logits, Labels labels)
    {
        Require(logits.Shape.Length == 2 && labels.Length == logits.Shape[0], "CrossEntropy shapes");
        var logProbabilities = LogSoftmax(logits);
        int rows = logits.Shape[0], cols = logits.Shape[1];
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            total -= logProbabilities.Data[r * cols + labels[r]];
        }
        return Scalar(total / rows);
    }

    public static NaiveTensor Sum(NaiveTensor x)
    {
        double total = 0;
        foreach (double v in x.Data)
        {
            total += v;
        }
        return Scalar(total);
    }

    public static NaiveTensor Mean(NaiveTensor x) => Scalar(Sum(x).Data[0] / x.Length);

    static int[]? Axes(object? value) => (int[]?)value;

    static NaiveTensor? Opt(IReadOnlyList<object?> a, int slot) => slot < a.Count && a[slot] is not null ? T(a[slot]) : null;

    static TValue Arg<TValue>(IReadOnlyList<object?> a, int slot, TValue fallback) => slot < a.Count && a[slot] is TValue value ? value : fallback;

    /// <summary>
    /// Cross-entropy of log-probabilities with PyTorch's options: per row not ignored,
    /// (1 − ε)(−w_y·logp_y) + ε/C·(−Σ_c w_c·logp_c); the mean divides by the rows' total weight.
    /// </summary>
    public static NaiveTensor ClassLoss(NaiveTensor logp, Labels labels, NaiveTensor? weight, int ignoreIndex, string reduction, float smoothing)
    {
        int rows = logp.Shape[0], cols = logp.Shape[1];
        double W(int c) => weight is null ? 1 : weight.Data[c];
        var losses = new double[rows];
        double total = 0, weights = 0;
        for (int r = 0; r < rows; r++)
        {
            int y = labels[r];
            if (y == ignoreIndex)
            {
                continue;
            }
            double smooth = 0;
            for (int c = 0; c < cols; c++)
            {
                smooth -= W(c) * logp.Data[r * cols + c];
            }
            losses[r] = (1 - (double)smoothing) * -W(y) * logp.Data[r * cols + y] + smoothing * smooth / cols;
            total += losses[r];
            weights += W(y);
        }
        return reduction switch
        {
            "none" => new NaiveTensor([rows], losses),
            "sum" => Scalar(total),
            _ => Scalar(total / weights),
        };
    }

    /// <summary>A class loss of input [N, C, d1, …] as one of its rows [N·d1·…, C] (classes last), its unreduced result viewed back as [N, d1, …].</summary>
    static NaiveTensor Spatial(NaiveTensor input, Func<NaiveTensor, NaiveTensor> loss)
    {
        var result = loss(ClassRows(input));
        return result.Shape.Length == 1 && input.Shape.Length > 2 ? result with { Shape = [input.Shape[0], .. input.Shape[2..]] } : result;
    }

    /// <summary>[N, C, d1, …] as [N·d1·…, C]: element (n, c, i) of the input at row n·D + i, column c.</summary>
    static NaiveTensor ClassRows(NaiveTensor x)
    {
        if (x.Shape.Length == 2)
        {
            return x;
        }
        int n = x.Shape[0], c = x.Shape[1], d = x.Shape[2..].Aggregate(1, (p, q) => p * q);
        var data = new double[x.Length];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < c; k++)
            {
                for (int j = 0; j < d; j++)
                {
                    data[(((i * d) + j) * c) + k] = x.Data[(((i * c) + k) * d) + j];
                }
            }
        }
        return new NaiveTensor([n * d, c], data);
    }

    /// <summary>Cross-entropy against class probabilities: per row −Σ_c w_c·((1 − ε)t_c + ε/C)·logp_c; the mean over rows.</summary>
    public static NaiveTensor ProbabilityLoss(NaiveTensor logp, NaiveTensor target, NaiveTensor? weight, string reduction, float smoothing)
    {
        int rows = logp.Shape[0], cols = logp.Shape[1];
        var losses = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double t = ((1 - (double)smoothing) * target.Data[r * cols + c]) + ((double)smoothing / cols);
                losses[r] -= (weight is null ? 1 : weight.Data[c]) * t * logp.Data[r * cols + c];
            }
        }
        return reduction switch
        {
            "none" => new NaiveTensor([rows], losses),
            "sum" => Scalar(losses.Sum()),
            _ => Scalar(losses.Sum() / rows),
        };
    }

    /// <summary>The first index of the largest value along <paramref name="dim"/>, NaN largest, as numbers.</summary>
    public static NaiveTensor Argmax(NaiveTensor x, int dim, bool keepDim)
    {
        int rank = x.Shape.Length, axis = dim < 0 ? dim + rank : dim;
        int outer = x.Shape[..axis].Aggregate(1, (p, q) => p * q), size = x.Shape[axis], inner = x.Shape[(axis + 1)..].Aggregate(1, (p, q) => p * q);
        var data = new double[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                for (int k = 1; k < size; k++)
                {
                    double v = x.Data[(((o * size) + k) * inner) + i], b = x.Data[(((o * size) + best) * inner) + i];
                    if (!double.IsNaN(b) && (v > b || double.IsNaN(v)))
                    {
                        best = k;
                    }
                }
                data[(o * inner) + i] = best;
            }
        }
        var shape = x.Shape.Select((d, a) => a == axis ? 1 : d).Where((_, a) => a != axis || keepDim).ToArray();
        return new NaiveTensor(shape, data);
    }

    static NaiveTensor Pointwise(NaiveTensor input, NaiveTensor target, string reduction, Func<double, double> loss) =>
        Reduced(Broadcast(input, target, (x, t) => loss(x - t)), reduction);

    static NaiveTensor Reduced(NaiveTensor loss, string reduction) => reduction switch
    {
        "none" => loss,
        "sum" => Sum(loss),
        _ => Mean(loss),
    };

    /// <summary>(1 − t)·x + (1 + (p − 1)·t)·log(1 + e^−x), with log(1 + e^−x) as max(−x, 0) + log(e^−max + e^(−x−max)).</summary>
    public static NaiveTensor BinaryCrossEntropyWithLogits(NaiveTensor x, NaiveTensor t, NaiveTensor? weight, NaiveTensor? posWeight, string reduction)
    {
        var terms = Broadcast(x, t, static (xi, ti) => (1 - ti) * xi);
        var softplus = Map(x, static xi =>
        {
            double m = Math.Max(-xi, 0);
            return m + Math.Log(Math.Exp(-m) + Math.Exp(-xi - m));
        });
        var scale = posWeight is null ? Map(t, static _ => 1) : Broadcast(posWeight, t, static (p, ti) => 1 + ((p - 1) * ti));
        var loss = Add(terms, Mul(scale, softplus));
        return Reduced(weight is null ? loss : Mul(loss, weight), reduction);
    }

    static bool Flag(IReadOnlyList<object?> a, int slot, bool fallback) => slot < a.Count && a[slot] is bool b ? b : fallback;

    static double Sum(IReadOnlyList<double> v)
    {
        double total = 0;
        foreach (double x in v)
        {
            total += x;
        }
        return total;
    }

    static double Mean(IReadOnlyList<double> v) => Sum(v) / v.Count;

    /// <summary>Σ (x − mean)² / (n − 1), or over n when not unbiased.</summary>
    static double Variance(IReadOnlyList<double> v, bool unbiased)
    {
        double mean = Mean(v), squares = 0;
        foreach (double x in v)
        {
            squares += (x - mean) * (x - mean);
        }
        return squares / (v.Count - (unbiased ? 1 : 0));
    }

    static double LogSumExp(IReadOnlyList<double> v)
    {
        double max = v.Max(), sum = 0;
        foreach (double x in v)
        {
            sum += Math.Exp(x - max);
        }
        return max + Math.Log(sum);
    }

    /// <summary>
    /// Reduces <paramref name="x"/> over <paramref name="axes"/> (all when null; negative from the end):
    /// each element goes to the group of its coordinates with the reduced ones set to 0, in index order.
    /// </summary>
    public static NaiveTensor Reduce(NaiveTensor x, int[]? axes, bool keepDim, Func<IReadOnlyList<double>, double> reduce)
    {
        int rank = x.Shape.Length;
        var reduced = new bool[rank];
        foreach (int axis in axes ?? Enumerable.Range(0, rank).ToArray())
        {
            reduced[axis < 0 ? axis + rank : axis] = true;
        }
        var keptShape = Enumerable.Range(0, rank).Select(d => reduced[d] ? 1 : x.Shape[d]).ToArray();
        int outputs = keptShape.Aggregate(1, (p, d) => p * d);
        var groups = Enumerable.Range(0, outputs).Select(_ => new List<double>()).ToArray();
        var index = new int[rank];
        for (int flat = 0; flat < x.Length; flat++)
        {
            int rest = flat;
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d] = rest % x.Shape[d];
                rest /= x.Shape[d];
            }
            int output = 0;
            for (int d = 0; d < rank; d++)
            {
                output = output * keptShape[d] + (reduced[d] ? 0 : index[d]);
            }
            groups[output].Add(x.Data[flat]);
        }
        var shape = keepDim ? keptShape : Enumerable.Range(0, rank).Where(d => !reduced[d]).Select(d => x.Shape[d]).ToArray();
        return new NaiveTensor(shape, groups.Select(reduce).ToArray());
    }

    public static NaiveTensor Scalar(double value) => new([], [value]);

    /// <summary>The largest |actual − expected| / (1 + |expected|) over all elements; NaN counts as infinitely wrong.</summary>
    public static double MaxError(Tensor actual, NaiveTensor expected)
    {
        Assert.Equal(expected.Shape, actual.Shape.ToArray());
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected.Data[i]) / (1 + Math.Abs(expected.Data[i]));
            worst = double.IsNaN(error) ? double.PositiveInfinity : Math.Max(worst, error);
        }
        return worst;
    }

    static NaiveTensor Map(NaiveTensor x, Func<double, double> f) => new(x.Shape.ToArray(), x.Data.Select(f).ToArray());

    /// <summary>NumPy broadcasting, written out: align shapes on the right, then index each operand with stride 0 along its 1s.</summary>
    static NaiveTensor Broadcast(NaiveTensor a, NaiveTensor b, Func<double, double, double> f)
    {
        int rank = Math.Max(a.Shape.Length, b.Shape.Length);
        int[] Pad(int[] shape) => Enumerable.Repeat(1, rank - shape.Length).Concat(shape).ToArray();
        int[] sa = Pad(a.Shape), sb = Pad(b.Shape);
        var shape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            Require(sa[d] == sb[d] || sa[d] == 1 || sb[d] == 1, "broadcastable shapes");
            shape[d] = Math.Max(sa[d], sb[d]);
        }
        int length = shape.Aggregate(1, (p, d) => p * d);
        var result = new double[length];
        var index = new int[rank];
        for (int flat = 0; flat < length; flat++)
        {
            int rest = flat;
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }
            result[flat] = f(a.Data[Offset(index, sa)], b.Data[Offset(index, sb)]);
        }
        return new NaiveTensor(shape, result);
    }

    static int Offset(int[] index, int[] shape)
    {
        int offset = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            offset = offset * shape[d] + (shape[d] == 1 ? 0 : index[d]);
        }
        return offset;
    }

    static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new ArgumentException($"naive reference: bad {what}");
        }
    }

    static NaiveTensor Viewed(NaiveTensor x, int[] shape) => new(shape, x.Data);

    /// <summary>Output element at coordinates c is input element at the coordinates c put back in the input's axis order.</summary>
    static NaiveTensor Permuted(NaiveTensor x, int[] axes)
    {
        int rank = x.Shape.Length;
        var shape = axes.Select(axis => x.Shape[axis]).ToArray();
        var data = new double[x.Length];
        var coordinate = new int[rank];
        for (int o = 0; o < data.Length; o++)
        {
            int rest = o;
            for (int k = rank - 1; k >= 0; k--)
            {
                coordinate[k] = rest % shape[k];
                rest /= shape[k];
            }
            int offset = 0;
            for (int axis = 0; axis < rank; axis++)
            {
                offset = offset * x.Shape[axis] + coordinate[Array.IndexOf(axes, axis)];
            }
            data[o] = x.Data[offset];
        }
        return new NaiveTensor(shape, data);
    }

    /// <summary>Concatenation written out: for each output element, find which input it comes from along the axis.</summary>
    static NaiveTensor Joined(NaiveTensor[] parts, int dim)
    {
        int rank = parts[0].Shape.Length, axis = dim < 0 ? dim + rank : dim;
        var shape = parts[0].Shape.ToArray();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        int inner = shape.Skip(axis + 1).Aggregate(1, (x, y) => x * y);
        var data = new double[shape.Aggregate(1, (x, y) => x * y)];
        for (int o = 0; o < data.Length; o++)
        {
            int position = o / inner % shape[axis], outer = o / inner / shape[axis], within = o % inner;
            foreach (var part in parts)
            {
                if (position < part.Shape[axis])
                {
                    data[o] = part.Data[(outer * part.Shape[axis] + position) * inner + within];
                    break;
                }
                position -= part.Shape[axis];
            }
        }
        return new NaiveTensor(shape, data);
    }

    static NaiveTensor Narrowed(NaiveTensor x, int dim, int start, int length)
    {
        int axis = dim < 0 ? dim + x.Shape.Length : dim;
        var shape = x.Shape.ToArray();
        shape[axis] = length;
        int inner = shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var data = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int o = 0; o < data.Length; o++)
        {
            int position = o / inner % length, outer = o / inner / length, within = o % inner;
            data[o] = x.Data[(outer * x.Shape[axis] + start + position) * inner + within];
        }
        return new NaiveTensor(shape, data);
    }

    /// <summary>Python's slice <c>start:end:step</c> of one axis, written out: clamp both ends, then walk by the step.</summary>
    static NaiveTensor Sliced(NaiveTensor x, int dim, int start, int end, int step)
    {
        int axis = dim < 0 ? dim + x.Shape.Length : dim, size = x.Shape[axis];
        long from = Math.Clamp(start < 0 ? (long)start + size : start, 0, size), to = Math.Clamp(end < 0 ? (long)end + size : end, 0, size);
        var positions = new List<int>();
        for (long p = from; p < to; p += step)
        {
            positions.Add((int)p);
        }
        return Picked(x, axis, positions);
    }

    /// <summary>The positions of one axis, in order: the rows of a slice, a piece or an index select.</summary>
    static NaiveTensor Picked(NaiveTensor x, int axis, IReadOnlyList<int> positions)
    {
        var shape = x.Shape.ToArray();
        shape[axis] = positions.Count;
        int inner = shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        var data = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int o = 0; o < data.Length; o++)
        {
            int k = o / inner % positions.Count, outer = o / inner / positions.Count, within = o % inner;
            data[o] = x.Data[(outer * x.Shape[axis] + positions[k]) * inner + within];
        }
        return new NaiveTensor(shape, data);
    }

    /// <summary>torch.split by a piece size or a list of sizes, or torch.chunk (pieces of ⌈size / chunks⌉).</summary>
    static List<NaiveTensor> Pieces(NaiveTensor x, object sizes, int dim, bool chunk)
    {
        int axis = dim < 0 ? dim + x.Shape.Length : dim, size = x.Shape[axis];
        var lengths = new List<int>();
        if (sizes is int[] listed)
        {
            lengths.AddRange(listed);
        }
        else
        {
            int piece = chunk ? (size + (int)sizes - 1) / (int)sizes : (int)sizes;
            for (int at = 0; at < size; at += piece)
            {
                lengths.Add(Math.Min(piece, size - at));
            }
        }
        var pieces = new List<NaiveTensor>();
        int start = 0;
        foreach (int length in lengths)
        {
            pieces.Add(Picked(x, axis, Enumerable.Range(start, length).ToList()));
            start += length;
        }
        return pieces;
    }

    static NaiveTensor FlattenedPieces(List<NaiveTensor> pieces) => new([pieces.Sum(p => p.Length)], pieces.SelectMany(p => p.Data).ToArray());

    /// <summary>torch.gather: each position of the index reads x at that position, with the axis replaced by the index's value.</summary>
    static NaiveTensor Gathered(NaiveTensor x, int dim, Labels index)
    {
        int rank = x.Shape.Length, axis = dim < 0 ? dim + rank : dim;
        var shape = index.Shape.ToArray();
        var data = new double[index.Length];
        for (int p = 0; p < data.Length; p++)
        {
            int rest = p, offset = 0, stride = 1;
            for (int k = rank - 1; k >= 0; k--)
            {
                int coordinate = rest % shape[k];
                rest /= shape[k];
                offset += (k == axis ? index[p] : coordinate) * stride;
                stride *= x.Shape[k];
            }
            data[p] = x.Data[offset];
        }
        return new NaiveTensor(shape, data);
    }

    /// <summary>Dropout where it is deterministic: x when nothing is dropped, zeros when everything is.</summary>
    static NaiveTensor Dropped(NaiveTensor x, float p, bool training) =>
        !training || p == 0f ? x
        : p == 1f ? new NaiveTensor(x.Shape, new double[x.Data.Length])
        : throw new ArgumentException($"dropout with p = {p} draws a random mask, which a naive reference cannot know");

    /// <summary>Row index[p] of the table for every position p, one row after another.</summary>
    static NaiveTensor Embedded(Labels index, NaiveTensor table)
    {
        int dim = table.Shape[1];
        var data = new double[index.Length * dim];
        for (int p = 0; p < index.Length; p++)
        {
            for (int j = 0; j < dim; j++)
            {
                data[(p * dim) + j] = table.Data[(index.Span[p] * dim) + j];
            }
        }
        return new NaiveTensor([.. index.Shape.ToArray(), dim], data);
    }

    static NaiveTensor Selected(NaiveTensor x, int dim, Labels index)
    {
        int axis = dim < 0 ? dim + x.Shape.Length : dim;
        return Picked(x, axis, index.Span.ToArray());
    }

    static NaiveTensor Expanded(NaiveTensor x, int[] sizes)
    {
        int offset = sizes.Length - x.Shape.Length;
        var shape = sizes.Select((size, axis) => size == -1 ? x.Shape[axis - offset] : size).ToArray();
        var data = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int o = 0; o < data.Length; o++)
        {
            // Output coordinates, with each axis where x has size 1 read at 0.
            int rest = o, source = 0, stride = 1;
            for (int axis = shape.Length - 1; axis >= 0; axis--)
            {
                int coordinate = rest % shape[axis];
                rest /= shape[axis];
                int k = axis - offset;
                if (k >= 0)
                {
                    source += (x.Shape[k] == 1 ? 0 : coordinate) * stride;
                    stride *= x.Shape[k];
                }
            }
            data[o] = x.Data[source];
        }
        return new NaiveTensor(shape, data);
    }

    static NaiveTensor Padded(NaiveTensor x, int[] pad, float value)
    {
        int rank = x.Shape.Length;
        var before = new int[rank];
        var shape = x.Shape.ToArray();
        for (int pair = 0; pair < pad.Length / 2; pair++)
        {
            before[rank - 1 - pair] = pad[2 * pair];
            shape[rank - 1 - pair] += pad[2 * pair] + pad[2 * pair + 1];
        }
        var data = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int o = 0; o < data.Length; o++)
        {
            int rest = o, source = 0, stride = 1;
            bool inside = true;
            for (int axis = rank - 1; axis >= 0; axis--)
            {
                int coordinate = rest % shape[axis] - before[axis];
                rest /= shape[axis];
                inside &= coordinate >= 0 && coordinate < x.Shape[axis];
                source += coordinate * stride;
                stride *= x.Shape[axis];
            }
            data[o] = inside ? x.Data[source] : value;
        }
        return new NaiveTensor(shape, data);
    }
}
