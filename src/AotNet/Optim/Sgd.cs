using System.Numerics.Tensors;

namespace AotNet;

/// <summary>
/// Stochastic gradient descent with PyTorch's exact update (<c>torch.optim.SGD</c>). For each
/// parameter p with gradient g, using its group's hyperparameters:
/// <code>
/// g = g + weightDecay·p
/// buf = g                                   on the first step (no dampening)
/// buf = momentum·buf + (1 - dampening)·g    afterwards
/// g = nesterov ? g + momentum·buf : buf     when momentum ≠ 0
/// p = p - lr·g
/// </code>
/// Gradients are read, never modified. After the first step, <see cref="Step"/> allocates nothing.
/// State: <c>momentum_buffer</c> per parameter.
/// </summary>
public sealed class Sgd : Optimizer
{
    readonly ParameterBuffer _momentumBuffers;
    readonly float[] _scratch;

    /// <summary>
    /// An SGD optimizer over one group of <paramref name="parameters"/>. Arguments are checked as
    /// PyTorch checks them: none may be negative, and Nesterov needs momentum and no dampening.
    /// </summary>
    public Sgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : this([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], lr, momentum, dampening, weightDecay, nesterov)
    {
    }

    /// <summary>
    /// An SGD optimizer over <paramref name="groups"/>; the other arguments are the defaults for
    /// hyperparameters a group leaves null.
    /// </summary>
    public Sgd(IEnumerable<ParameterGroup> groups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(groups, lr, weightDecay)
    {
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        var all = GroupSpan;
        for (int g = 0; g < all.Length; g++)
        {
            var group = all[g];
            group.Momentum ??= momentum;
            group.Dampening ??= dampening;
            group.Nesterov ??= nesterov;
            string where = all.Length == 1 ? "" : $" in group {g}";
            HyperparameterRules.Check("momentum", group.Momentum.Value, where, nameof(momentum));
            HyperparameterRules.Check("dampening", group.Dampening.Value, where, nameof(dampening));
            if (CombinationFault(group) is var (name, detail))
            {
                throw new ArgumentException($"{detail}{where}.", name);
            }
        }
        // Every step with momentum creates it, so a state holding it for some such parameters but not others is incomplete.
        _momentumBuffers = AddBuffer("momentum_buffer", keptWhen: group => group.Momentum is { } m && m != 0f);
        // Weight decay and Nesterov both need g' without touching Grad; one buffer serves every parameter in turn.
        _scratch = new float[LargestParameterLength()];
    }

    /// <summary>The default momentum factor; 0 for plain SGD.</summary>
    public double Momentum { get; }

    /// <summary>The default dampening of the gradient's contribution to the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>The default L2 penalty added to each gradient as <c>weightDecay·p</c>.</summary>
    public double WeightDecay { get; }

    /// <summary>True for Nesterov momentum by default.</summary>
    public bool Nesterov { get; }

    internal override CycledMomentum CycledMomentum => CycledMomentum.Momentum;

    /// <inheritdoc />
    public override void Step()
    {
        int index = 0;
        foreach (var group in GroupSpan)
        {
            double lr = LearningRateOf(group);
            double weightDecay = WeightDecayOf(group);
            double momentum = group.Momentum ?? Momentum;
            double dampening = group.Dampening ?? Dampening;
            bool nesterov = group.Nesterov ?? Nesterov;
            foreach (var parameter in group.ParameterSpan)
            {
                Update(parameter, index++, lr, weightDecay, momentum, dampening, nesterov);
            }
        }
    }

    void Update(Parameter parameter, int index, double lr, double weightDecay, double momentum, double dampening, bool nesterov)
    {
        Span<float> value = parameter.Value.Span;
        ReadOnlySpan<float> gradient = parameter.Grad.Span;
        if (momentum != 0 && !nesterov && _momentumBuffers[index] is { } existing)
        {
            // The common recipe after the first step: one fused sweep instead of four passes.
            SgdMomentumKernel.Step(value, gradient, existing, lr, weightDecay, momentum, dampening);
            return;
        }
        if (weightDecay != 0)
        {
            var decayed = _scratch.AsSpan(0, value.Length);
            TensorPrimitives.MultiplyAdd(value, (float)weightDecay, gradient, decayed);
            gradient = decayed;
        }
        if (momentum != 0)
        {
            Span<float> buffer;
            if (_momentumBuffers[index] is null)
            {
                // PyTorch starts the buffer at the gradient itself, so dampening only applies from the second step.
                buffer = _momentumBuffers.GetOrCreate(index, value.Length);
                gradient.CopyTo(buffer);
            }
            else
            {
                buffer = _momentumBuffers[index];
                TensorPrimitives.Multiply(buffer, (float)momentum, buffer);
                // 1 - dampening in double from the value given, as PyTorch's Python float.
                TensorPrimitives.MultiplyAdd(gradient, (float)(1.0 - dampening), buffer, buffer);
            }
            if (nesterov)
            {
                var look = _scratch.AsSpan(0, value.Length);
                TensorPrimitives.MultiplyAdd(buffer, (float)momentum, gradient, look);
                gradient = look;
            }
            else
            {
                gradient = buffer;
            }
        }
        TensorPrimitives.MultiplyAdd(gradient, (float)-lr, value, value);
    }

    private protected override IReadOnlyList<string> GroupSettings { get; } = ["momentum", "dampening", "nesterov"];

    private protected override (string Name, string Detail)? CombinationFault(ParameterGroup group)
    {
        double momentum = group.Momentum ?? Momentum, dampening = group.Dampening ?? Dampening;
        return (group.Nesterov ?? Nesterov) && (momentum <= 0 || dampening != 0)
            ? ("nesterov", $"Nesterov momentum requires a momentum > 0 and zero dampening; got momentum {momentum} and dampening {dampening}")
            : null;
    }
}
