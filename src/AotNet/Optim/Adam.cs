namespace AotNet;

/// <summary>
/// Adam with PyTorch's exact update (<c>torch.optim.Adam</c>), weight decay being an L2 term added
/// to the gradient. For each parameter p with gradient g at step t:
/// <code>
/// g = g + weightDecay·p
/// m = β1·m + (1 - β1)·g
/// v = β2·v + (1 - β2)·g²
/// v̂ = amsgrad ? (vmax = max(vmax, v)) : v
/// p = p - lr/(1 - β1ᵗ) · m / (√v̂ / √(1 - β2ᵗ) + eps)
/// </code>
/// After the first step, <see cref="Step"/> allocates nothing. State: <c>step</c>,
/// <c>exp_avg</c>, <c>exp_avg_sq</c> and, with AMSGrad, <c>max_exp_avg_sq</c> per parameter.
/// </summary>
public sealed class Adam : Optimizer
{
    readonly AdamKernel _kernel;
    readonly double _beta1, _beta2, _eps;
    readonly bool _amsgrad;

    /// <summary>Adam over one group of <paramref name="parameters"/>, with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], lr, beta1, beta2, eps, weightDecay, amsgrad)
    {
    }

    /// <summary>Adam over <paramref name="groups"/>; the other arguments are the defaults for hyperparameters a group leaves null.</summary>
    public Adam(IEnumerable<ParameterGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : base(groups, lr, weightDecay)
    {
        AdamKernel.Prepare(GroupSpan, beta1, beta2, eps, amsgrad);
        (_beta1, _beta2, _eps, _amsgrad) = (beta1, beta2, eps, amsgrad);
        CountSteps();
        // Every step updates both moments; the AMSGrad maximum only once a group turns it on.
        _kernel = new AdamKernel(AddBuffer("exp_avg", _ => true), AddBuffer("exp_avg_sq", _ => true), AddBuffer("max_exp_avg_sq"), LargestParameterLength());
    }

    private protected override IReadOnlyList<string> GroupSettings => AdamKernel.GroupSettings;

    internal override CycledMomentum CycledMomentum => CycledMomentum.Beta1;

    /// <inheritdoc />
    public override void Step()
    {
        int index = 0;
        foreach (var group in GroupSpan)
        {
            double lr = LearningRateOf(group);
            double weightDecay = WeightDecayOf(group);
            double beta1 = group.Beta1 ?? _beta1, beta2 = group.Beta2 ?? _beta2, eps = group.Eps ?? _eps;
            bool amsgrad = group.Amsgrad ?? _amsgrad;
            foreach (var parameter in group.ParameterSpan)
            {
                long step = IncrementStep(index);
                _kernel.Update(parameter, index++, step, lr, beta1, beta2, eps, amsgrad, weightDecay);
            }
        }
    }
}
