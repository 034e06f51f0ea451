using System.Numerics.Tensors;

namespace AotNet;

/// <summary>
/// Stochastic gradient descent with PyTorch's exact update (<c>torch.optim.SGD</c>). For each
/// parameter p with gradient g:
/// <code>
/// g = g + weightDecay·p
/// buf = g                                   on the first step (no dampening)
/// buf = momentum·buf + (1 - dampening)·g    afterwards
/// g = nesterov ? g + momentum·buf : buf     when momentum ≠ 0
/// p = p - lr·g
/// </code>
/// Gradients are read, never modified. After the first step, <see cref="Step"/> allocates nothing.
/// </summary>
public sealed class Sgd : Optimizer
{
    readonly float[][] _momentumBuffers;
    readonly float[] _scratch;
    bool _buffersStarted;

    /// <summary>
    /// An SGD optimizer over <paramref name="parameters"/>. Arguments are checked as PyTorch
    /// checks them: none may be negative, and Nesterov needs momentum and no dampening.
    /// </summary>
    public Sgd(IEnumerable<Parameter> parameters, float lr, float momentum = 0, float dampening = 0, float weightDecay = 0, bool nesterov = false)
        : base(parameters, lr)
    {
        if (!(momentum >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"Invalid momentum value: {momentum}. It must be >= 0.");
        }
        if (!(weightDecay >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"Invalid weight decay value: {weightDecay}. It must be >= 0.");
        }
        if (float.IsNaN(dampening))
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Dampening must be a number.");
        }
        if (nesterov && (momentum <= 0f || dampening != 0f))
        {
            throw new ArgumentException(
                $"Nesterov momentum requires a momentum > 0 and zero dampening; got momentum {momentum} and dampening {dampening}.", nameof(nesterov));
        }
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;

        int largest = 0;
        _momentumBuffers = new float[Parameters.Count][];
        for (int i = 0; i < Parameters.Count; i++)
        {
            int length = Parameters[i].Value.Length;
            largest = Math.Max(largest, length);
            _momentumBuffers[i] = momentum != 0f ? new float[length] : [];
        }
        // Weight decay and Nesterov both need g' without touching Grad; one buffer serves every parameter in turn.
        _scratch = weightDecay != 0f || nesterov ? new float[largest] : [];
    }

    /// <summary>The momentum factor; 0 for plain SGD.</summary>
    public float Momentum { get; }

    /// <summary>The dampening of the gradient's contribution to the momentum buffer.</summary>
    public float Dampening { get; }

    /// <summary>The L2 penalty added to each gradient as <c>weightDecay·p</c>.</summary>
    public float WeightDecay { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override void Step()
    {
        var parameters = ParameterSpan;
        for (int i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            Span<float> value = parameter.Value.Span;
            ReadOnlySpan<float> gradient = parameter.Grad.Span;
            if (WeightDecay != 0f)
            {
                var decayed = _scratch.AsSpan(0, value.Length);
                TensorPrimitives.MultiplyAdd(value, WeightDecay, gradient, decayed);
                gradient = decayed;
            }
            if (Momentum != 0f)
            {
                var buffer = _momentumBuffers[i].AsSpan();
                if (!_buffersStarted)
                {
                    gradient.CopyTo(buffer);
                }
                else
                {
                    TensorPrimitives.Multiply(buffer, Momentum, buffer);
                    TensorPrimitives.MultiplyAdd(gradient, 1f - Dampening, buffer, buffer);
                }
                if (Nesterov)
                {
                    var look = _scratch.AsSpan(0, value.Length);
                    TensorPrimitives.MultiplyAdd(buffer, Momentum, gradient, look);
                    gradient = look;
                }
                else
                {
                    gradient = buffer;
                }
            }
            TensorPrimitives.MultiplyAdd(gradient, -LearningRate, value, value);
        }
        _buffersStarted = true;
    }

    /// <summary>Clears the momentum buffers, so the next step starts them afresh from the gradient.</summary>
    public void ResetState()
    {
        foreach (var buffer in _momentumBuffers)
        {
            Array.Clear(buffer);
        }
        _buffersStarted = false;
    }
}
