using System.Numerics.Tensors;

namespace AotNet;

/// <summary>
/// AdamW with PyTorch's exact update (<c>torch.optim.AdamW</c>): Adam whose weight decay is
/// decoupled from the gradient, applied first as <c>p = p·(1 - lr·weightDecay)</c>, then the Adam
/// step of <see cref="Adam"/> without the L2 term. The default decay is 1e-2, as in PyTorch.
/// After the first step, <see cref="Step"/> allocates nothing. State as for <see cref="Adam"/>.
/// </summary>
public sealed class AdamW : Optimizer
{
    readonly AdamKernel _kernel;
    readonly double _beta1, _beta2, _eps;
    readonly bool _amsgrad;

    /// <summary>AdamW over one group of <paramref name="parameters"/>, with PyTorch's defaults.</summary>
    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
        : this([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], lr, beta1, beta2, eps, weightDecay, amsgrad)
    {
    }

    /// <summary>AdamW over <paramref name="groups"/>; the other arguments are the defaults for hyperparameters a group leaves null.</summary>
    public AdamW(IEnumerable<ParameterGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
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
            // 1 - lr·wd is a Python double in PyTorch, rounded once to float32 when it scales p.
            float shrink = (float)(1.0 - lr * WeightDecayOf(group));
            double beta1 = group.Beta1 ?? _beta1, beta2 = group.Beta2 ?? _beta2, eps = group.Eps ?? _eps;
            bool amsgrad = group.Amsgrad ?? _amsgrad;
            foreach (var parameter in group.ParameterSpan)
            {
                long step = IncrementStep(index);
                TensorPrimitives.Multiply(parameter.Value.Span, shrink, parameter.Value.Span);
                _kernel.Update(parameter, index++, step, lr, beta1, beta2, eps, amsgrad, 0);
            }
        }
    }
}
