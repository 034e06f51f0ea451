namespace AotNet.Kernels;

/// <summary>What <see cref="Reduce.Axes"/> computes over each group of reduced elements.</summary>
public enum Reduction
{
    /// <summary>The sum.</summary>
    Sum,

    /// <summary>The sum over the count.</summary>
    Mean,

    /// <summary>The largest element; NaN if any is NaN.</summary>
    Max,

    /// <summary>The smallest element; NaN if any is NaN.</summary>
    Min,

    /// <summary>The variance, <c>Σ (x − mean)² / (n − correction)</c>, two passes in double.</summary>
    Var,

    /// <summary>The square root of <see cref="Var"/>.</summary>
    Std,

    /// <summary><c>max + log Σ exp(x − max)</c>, stable for any input range.</summary>
    LogSumExp,
}

public static partial class Reduce
{
    /// <summary>
    /// Reduces <paramref name="x"/> of shape <paramref name="shape"/> over the axes whose bits are set
    /// in <paramref name="axesMask"/>, writing the kept axes, in order, to <paramref name="result"/>.
    /// Each output element is accumulated in double, in index order, by one loop. An empty group gives
    /// NaN for the mean and the moments, −∞ and +∞ for max and min, 0 for the sum and −∞ for log-sum-exp.
    /// </summary>
    public static void Axes(ReadOnlySpan<float> x, ReadOnlySpan<int> shape, int axesMask, Span<float> result, Reduction kind, int correction = 0)
    {
        int rank = shape.Length;
        if (rank > 16)
        {
            throw new ArgumentException($"Reductions support up to 16 dimensions; got {rank}.", nameof(shape));
        }
        Span<int> keptDims = stackalloc int[rank], keptStrides = stackalloc int[rank], reducedDims = stackalloc int[rank], reducedStrides = stackalloc int[rank];
        int kept = 0, reduced = 0, stride = 1, outputs = 1, group = 1;
        for (int axis = rank - 1; axis >= 0; axis--)
        {
            if ((axesMask & (1 << axis)) != 0)
            {
                reducedDims[reduced] = shape[axis];
                reducedStrides[reduced++] = stride;
                group *= shape[axis];
            }
            else
            {
                keptDims[kept] = shape[axis];
                keptStrides[kept++] = stride;
                outputs *= shape[axis];
            }
            stride *= shape[axis];
        }
        if (x.Length < stride)
        {
            throw new ArgumentException($"x holds {x.Length} elements, but shape [{string.Join(", ", shape.ToArray())}] needs {stride}.", nameof(x));
        }
        if (result.Length < outputs)
        {
            throw new ArgumentException($"result holds {result.Length} elements, but the reduction has {outputs} outputs.", nameof(result));
        }
        // Axes were collected innermost first; a suffix of reduced axes is one contiguous run per output.
        bool contiguous = true;
        for (int i = 0, expected = 1; i < reduced; i++)
        {
            contiguous &= reducedStrides[i] == expected;
            expected *= reducedDims[i];
        }
        for (int output = 0; output < outputs; output++)
        {
            int origin = 0;
            for (int i = 0, rest = output; i < kept; i++)
            {
                origin += (rest % keptDims[i]) * keptStrides[i];
                rest /= keptDims[i];
            }
            var run = new Group(x, origin, reducedDims[..reduced], reducedStrides[..reduced], group, contiguous);
            result[output] = Reduce1(ref run, kind, correction);
        }
    }

    static float Reduce1(ref Group g, Reduction kind, int correction)
    {
        int n = g.Count;
        switch (kind)
        {
            case Reduction.Sum:
            case Reduction.Mean:
            {
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    total += g[i];
                }
                return kind == Reduction.Sum ? (float)total : n == 0 ? float.NaN : (float)(total / n);
            }
            case Reduction.Max:
            case Reduction.Min:
            {
                float best = kind == Reduction.Max ? float.NegativeInfinity : float.PositiveInfinity;
                for (int i = 0; i < n; i++)
                {
                    float v = g[i];
                    // NaN propagates, as in PyTorch.
                    if (float.IsNaN(v) || (kind == Reduction.Max ? v > best : v < best))
                    {
                        best = v;
                        if (float.IsNaN(v))
                        {
                            break;
                        }
                    }
                }
                return best;
            }
            case Reduction.Var:
            case Reduction.Std:
            {
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    total += g[i];
                }
                double mean = total / n, squares = 0;
                for (int i = 0; i < n; i++)
                {
                    double d = g[i] - mean;
                    squares += d * d;
                }
                double variance = squares / Math.Max(n - correction, 0);
                return (float)(kind == Reduction.Var ? variance : Math.Sqrt(variance));
            }
            default:
            {
                float max = float.NegativeInfinity;
                for (int i = 0; i < n; i++)
                {
                    max = Math.Max(max, g[i]);
                }
                if (float.IsInfinity(max))
                {
                    return max;
                }
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    sum += Math.Exp(g[i] - max);
                }
                return (float)(max + Math.Log(sum));
            }
        }
    }

    /// <summary>The elements one output reduces, in index order.</summary>
    readonly ref struct Group
    {
        readonly ReadOnlySpan<float> _x;
        readonly ReadOnlySpan<int> _dims;
        readonly ReadOnlySpan<int> _strides;
        readonly int _origin;
        readonly bool _contiguous;

        public Group(ReadOnlySpan<float> x, int origin, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int count, bool contiguous)
        {
            _x = x;
            _origin = origin;
            _dims = dims;
            _strides = strides;
            Count = count;
            _contiguous = contiguous;
        }

        public int Count { get; }

        public float this[int index]
        {
            get
            {
                if (_contiguous)
                {
                    return _x[_origin + index];
                }
                int offset = _origin;
                for (int i = 0; i < _dims.Length; i++)
                {
                    offset += (index % _dims[i]) * _strides[i];
                    index /= _dims[i];
                }
                return _x[offset];
            }
        }
    }
}
