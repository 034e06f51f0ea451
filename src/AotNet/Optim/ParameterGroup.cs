namespace AotNet;

/// <summary>
/// A set of parameters that share hyperparameters, like one entry of PyTorch's
/// <c>optimizer.param_groups</c>. Every hyperparameter is an override: left null, the optimizer's
/// default applies. Optimizers read the group at every step, so a change takes effect on the next
/// <see cref="Optimizer.Step"/>; schedules drive <see cref="LearningRate"/> this way.
/// </summary>
/// <remarks>
/// An optimizer fills in <see cref="LearningRate"/> and <see cref="WeightDecay"/> when left null
/// (as PyTorch's <c>add_param_group</c> fills a group's missing keys), so they always read back the
/// value in use. Hyperparameters an optimizer does not use (Adam's betas on SGD) are ignored.
/// Values are doubles, as PyTorch keeps them: quantities such as <c>1 - β2</c> and the bias
/// corrections are formed from the value given, and only the factors that scale a float32 tensor
/// are rounded to float32. Forming <c>1 - 0.9999</c> from float32 0.9999 gives 1.66e-4, not 1e-4.
/// </remarks>
public sealed class ParameterGroup
{
    readonly Parameter[] _parameters;
    double? _learningRate;

    /// <summary>A group of <paramref name="parameters"/>, which may be empty but may not hold nulls.</summary>
    public ParameterGroup(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i] is null)
            {
                throw new ArgumentException($"Parameter {i} of the group is null.", nameof(parameters));
            }
        }
    }

    /// <summary>The parameters of this group, in the order given.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    internal ReadOnlySpan<Parameter> ParameterSpan => _parameters;

    /// <summary>The learning rate of this group (PyTorch's <c>lr</c>); must be finite and ≥ 0.</summary>
    public double? LearningRate
    {
        get => _learningRate;
        set
        {
            if (value is { } lr)
            {
                HyperparameterRules.Check(HyperparameterRules.LearningRate, lr, "", nameof(LearningRate));
            }
            _learningRate = value;
        }
    }

    /// <summary>
    /// Sets the rate without the sign check: PyTorch's schedules may go below zero (a linear
    /// one-cycle stepped to its end does), and a schedule must follow them.
    /// </summary>
    internal void SetScheduledLearningRate(double value) => _learningRate = value;

    /// <summary>Sets the rate from a loaded state, whose value has been checked with the rule that fits it.</summary>
    internal void RestoreLearningRate(double? value) => _learningRate = value;

    /// <summary>
    /// The learning rate the first schedule attached to the optimizer found (PyTorch's
    /// <c>initial_lr</c>); schedules compute every later rate from it.
    /// </summary>
    public double? InitialLearningRate { get; set; }

    /// <summary>The weight decay: an L2 term in the gradient for SGD, Adam and RMSprop, decoupled for AdamW.</summary>
    public double? WeightDecay { get; set; }

    /// <summary>SGD's and RMSprop's momentum factor.</summary>
    public double? Momentum { get; set; }

    /// <summary>SGD's dampening.</summary>
    public double? Dampening { get; set; }

    /// <summary>SGD's Nesterov switch.</summary>
    public bool? Nesterov { get; set; }

    /// <summary>Adam's and AdamW's first-moment decay (the first of PyTorch's <c>betas</c>).</summary>
    public double? Beta1 { get; set; }

    /// <summary>Adam's and AdamW's second-moment decay (the second of PyTorch's <c>betas</c>).</summary>
    public double? Beta2 { get; set; }

    /// <summary>The term added to the denominator of Adam, AdamW and RMSprop, for numerical stability.</summary>
    public double? Eps { get; set; }

    /// <summary>Adam's and AdamW's AMSGrad switch.</summary>
    public bool? Amsgrad { get; set; }

    /// <summary>RMSprop's smoothing constant.</summary>
    public double? Alpha { get; set; }

    /// <summary>RMSprop's centered switch.</summary>
    public bool? Centered { get; set; }
}
