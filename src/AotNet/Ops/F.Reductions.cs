using AotNet.Kernels;

namespace AotNet;

/// <summary>Reductions over a set of axes, as PyTorch's <c>torch.sum(x, dim, keepdim)</c> and its relatives.</summary>
public static partial class F
{
    /// <summary>
    /// The sum over <paramref name="axes"/> (all of them when null), like <c>torch.sum(x, dim, keepdim)</c>.
    /// Negative axes count from the end; <paramref name="keepDim"/> keeps the reduced axes as size 1.
    /// </summary>
    public static Tensor Sum(Tensor x, int[]? axes = null, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        return axes is null && !keepDim ? Tensor.Scalar(Kernels.Reduce.Sum(x.Span)) : ReduceOver(x, axes, keepDim, Reduction.Sum, "Sum");
    }

    /// <summary>The mean over <paramref name="axes"/> (all of them when null), like <c>torch.mean(x, dim, keepdim)</c>.</summary>
    public static Tensor Mean(Tensor x, int[]? axes = null, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        // Over everything, the same float division the generated Mean emits, so both paths round alike.
        return axes is null && !keepDim
            ? Tensor.Scalar(x.Length == 0 ? float.NaN : Kernels.Reduce.Sum(x.Span) / x.Length)
            : ReduceOver(x, axes, keepDim, Reduction.Mean, "Mean");
    }

    /// <summary>
    /// The largest value over <paramref name="axes"/>, like <c>torch.amax(x, dim, keepdim)</c> (and
    /// <c>torch.max(x)</c> over everything). Its gradient is shared equally by the elements that tie
    /// for the maximum, as PyTorch's is.
    /// </summary>
    public static Tensor Max(Tensor x, int[]? axes = null, bool keepDim = false) => ReduceOver(x, axes, keepDim, Reduction.Max, "Max");

    /// <summary>The smallest value over <paramref name="axes"/>, like <c>torch.amin</c>; ties share the gradient equally.</summary>
    public static Tensor Min(Tensor x, int[]? axes = null, bool keepDim = false) => ReduceOver(x, axes, keepDim, Reduction.Min, "Min");

    /// <summary>
    /// The variance over <paramref name="axes"/>, like <c>torch.var(x, dim, unbiased, keepdim)</c>:
    /// <c>Σ (x − mean)² / (n − 1)</c> when <paramref name="unbiased"/> (Bessel's correction), else over n.
    /// </summary>
    public static Tensor Var(Tensor x, int[]? axes = null, bool unbiased = true, bool keepDim = false) =>
        ReduceOver(x, axes, keepDim, Reduction.Var, "Var", unbiased ? 1 : 0);

    /// <summary>The standard deviation, the square root of <see cref="Var"/>, like <c>torch.std(x, dim, unbiased, keepdim)</c>.</summary>
    public static Tensor Std(Tensor x, int[]? axes = null, bool unbiased = true, bool keepDim = false) =>
        ReduceOver(x, axes, keepDim, Reduction.Std, "Std", unbiased ? 1 : 0);

    /// <summary><c>log Σ exp(x)</c> over <paramref name="axes"/>, computed stably, like <c>torch.logsumexp(x, dim, keepdim)</c>.</summary>
    public static Tensor LogSumExp(Tensor x, int[]? axes = null, bool keepDim = false) => ReduceOver(x, axes, keepDim, Reduction.LogSumExp, "LogSumExp");

    /// <summary>Softmax over axis <paramref name="dim"/> (the last by default; negative counts from the end), like <c>torch.softmax(x, dim)</c>.</summary>
    public static Tensor Softmax(Tensor x, int dim = -1) => SoftmaxOver(x, dim, log: false, "Softmax");

    /// <summary>Log-softmax over axis <paramref name="dim"/> (the last by default), like <c>torch.log_softmax(x, dim)</c>.</summary>
    public static Tensor LogSoftmax(Tensor x, int dim = -1) => SoftmaxOver(x, dim, log: true, "LogSoftmax");

    static Tensor SoftmaxOver(Tensor x, int dim, bool log, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1)
        {
            throw new ArgumentException($"{op} needs at least one dimension; got shape {x.ShapeText}.", nameof(x));
        }
        int axis = dim < 0 ? dim + x.Rank : dim;
        if (axis < 0 || axis >= x.Rank)
        {
            throw new ArgumentException($"{op}: dim {dim} is out of range for a tensor of shape {x.ShapeText}.", nameof(dim));
        }
        int size = x.Dim(axis), inner = 1, outer = 1;
        for (int d = axis + 1; d < x.Rank; d++)
        {
            inner *= x.Dim(d);
        }
        for (int d = 0; d < axis; d++)
        {
            outer *= x.Dim(d);
        }
        var result = new Tensor(x.Shape.ToArray());
        if (inner == 1)
        {
            // The same row kernels the generated code calls for the last axis.
            if (log)
            {
                Kernels.Softmax.LogSoftmaxRows(x.Span, result.Span, outer, size);
            }
            else
            {
                Kernels.Softmax.SoftmaxRows(x.Span, result.Span, outer, size);
            }
        }
        else
        {
            Kernels.Softmax.SoftmaxAxis(x.Span, result.Span, outer, size, inner, log);
        }
        return result;
    }

    static Tensor ReduceOver(Tensor x, int[]? axes, bool keepDim, Reduction kind, string op, int correction = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        int mask = AxesMask(x, axes, op);
        var shape = new List<int>();
        for (int axis = 0; axis < x.Rank; axis++)
        {
            if ((mask & (1 << axis)) == 0)
            {
                shape.Add(x.Dim(axis));
            }
            else if (keepDim)
            {
                shape.Add(1);
            }
        }
        var result = new Tensor([.. shape]);
        Kernels.Reduce.Axes(x.Span, x.Shape, mask, result.Span, kind, correction);
        return result;
    }

    /// <summary>A bit per reduced axis; null means all of them. Negative axes count from the end, as in PyTorch.</summary>
    static int AxesMask(Tensor x, int[]? axes, string op)
    {
        if (axes is null)
        {
            return (1 << x.Rank) - 1;
        }
        int mask = 0;
        foreach (int axis in axes)
        {
            int normal = axis < 0 ? axis + x.Rank : axis;
            if (normal < 0 || normal >= x.Rank)
            {
                throw new ArgumentException($"{op}: axis {axis} is out of range for a tensor of shape {x.ShapeText}.", nameof(axes));
            }
            if ((mask & (1 << normal)) != 0)
            {
                throw new ArgumentException($"{op}: axis {axis} appears twice in [{string.Join(", ", axes)}].", nameof(axes));
            }
            mask |= 1 << normal;
        }
        return mask;
    }
}
