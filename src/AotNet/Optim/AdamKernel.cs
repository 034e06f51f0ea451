using System.Numerics.Tensors;

namespace AotNet;

/// <summary>
/// The moment update shared by <see cref="Adam"/> and <see cref="AdamW"/>, in the operation order
/// of PyTorch 1.13's single-tensor path, so float32 rounding follows it closely. Hyperparameters
/// arrive as the doubles the user gave: PyTorch forms <c>1 - β</c>, the bias corrections and the
/// step size in Python floats (doubles) and rounds only the final factor to float32 when it scales
/// a tensor, so this does the same. Rounding β2 = 0.9999 to float32 first would make <c>1 - β2</c>
/// 1.66e-4 instead of 1e-4.
/// </summary>
sealed class AdamKernel
{
    readonly ParameterBuffer _expAvg;
    readonly ParameterBuffer _expAvgSq;
    readonly ParameterBuffer _maxExpAvgSq;
    readonly float[] _decayed;
    readonly float[] _work;

    public AdamKernel(ParameterBuffer expAvg, ParameterBuffer expAvgSq, ParameterBuffer maxExpAvgSq, int largest)
    {
        _expAvg = expAvg;
        _expAvgSq = expAvgSq;
        _maxExpAvgSq = maxExpAvgSq;
        _decayed = new float[largest];
        _work = new float[largest];
    }

    /// <summary>
    /// One step for parameter <paramref name="index"/>, whose count is now <paramref name="step"/>;
    /// <paramref name="l2"/> is Adam's weight decay added to the gradient (0 for AdamW).
    /// </summary>
    public void Update(Parameter parameter, int index, long step, double lr, double beta1, double beta2, double eps, bool amsgrad, double l2)
    {
        Span<float> value = parameter.Value.Span;
        ReadOnlySpan<float> gradient = parameter.Grad.Span;
        int n = value.Length;
        if (l2 != 0)
        {
            var decayed = _decayed.AsSpan(0, n);
            TensorPrimitives.MultiplyAdd(value, (float)l2, gradient, decayed);
            gradient = decayed;
        }
        var m = _expAvg.GetOrCreate(index, n);
        var v = _expAvgSq.GetOrCreate(index, n);
        var work = _work.AsSpan(0, n);

        TensorPrimitives.Multiply(m, (float)beta1, m);
        TensorPrimitives.MultiplyAdd(gradient, (float)(1.0 - beta1), m, m);
        TensorPrimitives.Multiply(v, (float)beta2, v);
        // addcmul_(g, g, value=c) computes v + (c·g)·g.
        TensorPrimitives.Multiply(gradient, (float)(1.0 - beta2), work);
        TensorPrimitives.MultiplyAdd(work, gradient, v, v);

        // Python doubles in PyTorch: the corrections and step size are computed at full precision.
        double biasCorrection1 = 1.0 - Math.Pow(beta1, step);
        double biasCorrection2Sqrt = Math.Sqrt(1.0 - Math.Pow(beta2, step));
        double stepSize = lr / biasCorrection1;

        ReadOnlySpan<float> second = v;
        if (amsgrad)
        {
            var max = _maxExpAvgSq.GetOrCreate(index, n);
            TensorPrimitives.Max(max, v, max);
            second = max;
        }
        // eps is added after the bias correction of the square root, as PyTorch places it.
        TensorPrimitives.Sqrt(second, work);
        TensorPrimitives.Divide(work, (float)biasCorrection2Sqrt, work);
        TensorPrimitives.Add(work, (float)eps, work);
        TensorPrimitives.Divide(m, work, work);
        TensorPrimitives.MultiplyAdd(work, (float)-stepSize, value, value);
    }

    /// <summary>Fills a group's null Adam hyperparameters and checks them as PyTorch does.</summary>
    public static void Prepare(ReadOnlySpan<ParameterGroup> groups, double beta1, double beta2, double eps, bool amsgrad)
    {
        for (int g = 0; g < groups.Length; g++)
        {
            var group = groups[g];
            group.Beta1 ??= beta1;
            group.Beta2 ??= beta2;
            group.Eps ??= eps;
            group.Amsgrad ??= amsgrad;
            string where = groups.Length == 1 ? "" : $" in group {g}";
            HyperparameterRules.Check("beta1", group.Beta1.Value, where, nameof(beta1));
            HyperparameterRules.Check("beta2", group.Beta2.Value, where, nameof(beta2));
            HyperparameterRules.Check("eps", group.Eps.Value, where, nameof(eps));
        }
    }

    /// <summary>The hyperparameters Adam and AdamW fill in every group and read at every step.</summary>
    public static readonly string[] GroupSettings = ["beta1", "beta2", "eps", "amsgrad"];
}
