using System.Numerics.Tensors;

namespace AotNet;

/// <summary>
/// RMSprop with PyTorch's exact update (<c>torch.optim.RMSprop</c>). For each parameter p with
/// gradient g:
/// <code>
/// g = g + weightDecay·p
/// s = α·s + (1 - α)·g²
/// centered:  a = α·a + (1 - α)·g;  d = √(s - a²) + eps     otherwise d = √s + eps
/// momentum:  buf = momentum·buf + g/d;  p = p - lr·buf     otherwise p = p - lr·g/d
/// </code>
/// <c>1 - α</c> is formed in double from the α given, as PyTorch forms it; only factors that
/// scale a float32 tensor are rounded to float32. After the first step, <see cref="Step"/> allocates nothing. State: <c>step</c>,
/// <c>square_avg</c>, and <c>momentum_buffer</c> and <c>grad_avg</c> when used.
/// </summary>
public sealed class RmsProp : Optimizer
{
    readonly ParameterBuffer _squareAvg, _momentumBuffer, _gradAvg;
    readonly float[] _decayed, _work;
    readonly double _alpha, _eps, _momentum;
    readonly bool _centered;

    /// <summary>RMSprop over one group of <paramref name="parameters"/>, with PyTorch's defaults.</summary>
    public RmsProp(IEnumerable<Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], lr, alpha, eps, weightDecay, momentum, centered)
    {
    }

    /// <summary>RMSprop over <paramref name="groups"/>; the other arguments are the defaults for hyperparameters a group leaves null.</summary>
    public RmsProp(IEnumerable<ParameterGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(groups, lr, weightDecay)
    {
        var all = GroupSpan;
        for (int g = 0; g < all.Length; g++)
        {
            var group = all[g];
            group.Alpha ??= alpha;
            group.Eps ??= eps;
            group.Momentum ??= momentum;
            group.Centered ??= centered;
            string where = all.Length == 1 ? "" : $" in group {g}";
            HyperparameterRules.Check("alpha", group.Alpha.Value, where, nameof(alpha));
            HyperparameterRules.Check("eps", group.Eps.Value, where, nameof(eps));
            HyperparameterRules.Check("momentum", group.Momentum.Value, where, nameof(momentum));
        }
        (_alpha, _eps, _momentum, _centered) = (alpha, eps, momentum, centered);
        CountSteps();
        // Every step updates the square average; momentum and centring may be switched on later, so their buffers may be absent.
        _squareAvg = AddBuffer("square_avg", _ => true);
        _momentumBuffer = AddBuffer("momentum_buffer");
        _gradAvg = AddBuffer("grad_avg");
        _decayed = new float[LargestParameterLength()];
        _work = new float[_decayed.Length];
    }

    internal override CycledMomentum CycledMomentum => CycledMomentum.Momentum;

    private protected override IReadOnlyList<string> GroupSettings { get; } = ["alpha", "eps", "momentum", "centered"];

    /// <inheritdoc />
    public override void Step()
    {
        int index = 0;
        foreach (var group in GroupSpan)
        {
            double lr = LearningRateOf(group);
            double weightDecay = WeightDecayOf(group);
            double alpha = group.Alpha ?? _alpha, eps = group.Eps ?? _eps, momentum = group.Momentum ?? _momentum;
            bool centered = group.Centered ?? _centered;
            foreach (var parameter in group.ParameterSpan)
            {
                IncrementStep(index);
                Update(parameter, index++, lr, weightDecay, alpha, eps, momentum, centered);
            }
        }
    }

    void Update(Parameter parameter, int index, double lr, double weightDecay, double alpha, double eps, double momentum, bool centered)
    {
        Span<float> value = parameter.Value.Span;
        ReadOnlySpan<float> gradient = parameter.Grad.Span;
        int n = value.Length;
        if (weightDecay != 0)
        {
            var decayed = _decayed.AsSpan(0, n);
            TensorPrimitives.MultiplyAdd(value, (float)weightDecay, gradient, decayed);
            gradient = decayed;
        }
        // PyTorch's 1 - alpha is a Python double, rounded to float32 only as it scales g².
        float decay = (float)alpha, rest = (float)(1.0 - alpha);
        var square = _squareAvg.GetOrCreate(index, n);
        var work = _work.AsSpan(0, n);
        TensorPrimitives.Multiply(square, decay, square);
        // addcmul_(g, g, value=c) computes s + (c·g)·g.
        TensorPrimitives.Multiply(gradient, rest, work);
        TensorPrimitives.MultiplyAdd(work, gradient, square, square);
        if (centered)
        {
            var average = _gradAvg.GetOrCreate(index, n);
            TensorPrimitives.Multiply(average, decay, average);
            TensorPrimitives.MultiplyAdd(gradient, rest, average, average);
            // addcmul(a, a, value=-1): s + (-a)·a.
            TensorPrimitives.Negate(average, work);
            TensorPrimitives.MultiplyAdd(work, average, square, work);
            TensorPrimitives.Sqrt(work, work);
        }
        else
        {
            TensorPrimitives.Sqrt(square, work);
        }
        TensorPrimitives.Add(work, (float)eps, work);
        if (momentum > 0)
        {
            var buffer = _momentumBuffer.GetOrCreate(index, n);
            TensorPrimitives.Multiply(buffer, (float)momentum, buffer);
            TensorPrimitives.Divide(gradient, work, work);
            TensorPrimitives.Add(buffer, work, buffer);
            TensorPrimitives.MultiplyAdd(buffer, (float)-lr, value, value);
        }
        else
        {
            // addcdiv_(g, d, value=-lr) evaluates (-lr·g)/d, then adds. g is not read again, so
            // _decayed may be overwritten even when g is the weight-decayed copy held there.
            TensorPrimitives.Multiply(gradient, (float)-lr, _decayed.AsSpan(0, n));
            TensorPrimitives.Divide(_decayed.AsSpan(0, n), work, work);
            TensorPrimitives.Add(value, work, value);
        }
    }
}
