namespace AotNet;

/// <summary>
/// The base of every optimizer: parameters in <see cref="Groups"/>, each group with its own
/// hyperparameters, and an in-place <see cref="Step"/> that reads each <see cref="Parameter.Grad"/>.
/// Per-parameter state (momentum buffers, moment estimates, step counts) is created on the first
/// step, saved by <see cref="GetState"/> and restored by <see cref="LoadState"/>.
/// </summary>
public abstract class Optimizer
{
    readonly ParameterGroup[] _groups;
    readonly Parameter[] _parameters;
    readonly List<ParameterBuffer> _buffers = [];
    readonly double _defaultWeightDecay;
    double _defaultLearningRate;
    long[]? _stepCounts;

    /// <summary>Takes one group of parameters, refusing an empty list and repeats (a repeat would be stepped twice).</summary>
    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate)
        : this([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], learningRate, 0)
    {
    }

    /// <summary>
    /// Takes parameter groups, filling each group's null <see cref="ParameterGroup.LearningRate"/>
    /// and <see cref="ParameterGroup.WeightDecay"/> with these defaults. Refuses no parameters at all
    /// and a parameter that appears twice, in one group or in two.
    /// </summary>
    protected Optimizer(IEnumerable<ParameterGroup> groups, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(groups);
        CheckNonNegative(learningRate, "learning rate", nameof(learningRate));
        CheckNonNegative(weightDecay, "weight decay value", nameof(weightDecay));
        _groups = groups.ToArray();
        var all = new List<Parameter>();
        var groupOf = new Dictionary<Parameter, int>(ReferenceEqualityComparer.Instance);
        for (int g = 0; g < _groups.Length; g++)
        {
            var group = _groups[g] ?? throw new ArgumentException($"Group {g} is null.", nameof(groups));
            foreach (var parameter in group.ParameterSpan)
            {
                if (groupOf.TryGetValue(parameter, out int first))
                {
                    string where = first == g ? $"twice in group {g}" : $"in groups {first} and {g}";
                    throw new ArgumentException(
                        $"Parameter {all.Count} (shape {Shapes.Format(parameter.Shape)}) appears more than once ({where}); it would be updated twice per step.",
                        nameof(groups));
                }
                groupOf.Add(parameter, g);
                all.Add(parameter);
            }
            group.LearningRate ??= learningRate;
            group.WeightDecay ??= weightDecay;
            CheckNonNegative(group.WeightDecay.Value, $"weight decay value in group {g}", nameof(groups));
        }
        if (all.Count == 0)
        {
            throw new ArgumentException("The optimizer got an empty parameter list.", nameof(groups));
        }
        _parameters = all.ToArray();
        _defaultLearningRate = learningRate;
        _defaultWeightDecay = weightDecay;
    }

    /// <summary>The parameter groups, in the order given; their hyperparameters may be changed between steps.</summary>
    public IReadOnlyList<ParameterGroup> Groups => _groups;

    /// <summary>Every parameter this optimizer updates, group after group. State keys number them in this order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameters as a span, for allocation-free loops in <see cref="Step"/>.</summary>
    protected ReadOnlySpan<Parameter> ParameterSpan => _parameters;

    /// <summary>The groups as a span, for allocation-free loops in <see cref="Step"/>.</summary>
    private protected ReadOnlySpan<ParameterGroup> GroupSpan => _groups;

    /// <summary>
    /// The learning rate of every group. Reading it needs all groups to agree (otherwise read
    /// <see cref="ParameterGroup.LearningRate"/> of each group); setting it sets every group.
    /// </summary>
    public double LearningRate
    {
        get
        {
            double first = LearningRateOf(_groups[0]);
            for (int g = 1; g < _groups.Length; g++)
            {
                if (LearningRateOf(_groups[g]) != first)
                {
                    throw new InvalidOperationException(
                        $"The groups have different learning rates ({first} in group 0, {LearningRateOf(_groups[g])} in group {g}); read Groups[i].LearningRate instead.");
                }
            }
            return first;
        }
        set
        {
            CheckNonNegative(value, "learning rate", nameof(LearningRate));
            _defaultLearningRate = value;
            foreach (var group in _groups)
            {
                group.LearningRate = value;
            }
        }
    }

    /// <summary>Which hyperparameter a one-cycle schedule cycles as "momentum" for this optimizer.</summary>
    internal virtual CycledMomentum CycledMomentum => CycledMomentum.None;

    /// <summary>Updates every parameter in place from its gradient.</summary>
    public abstract void Step();

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        // A span loop: enumerating the IReadOnlyList would box an enumerator on every call.
        foreach (var parameter in ParameterSpan)
        {
            parameter.Grad.Span.Clear();
        }
    }

    /// <summary>A copy of the optimizer's state, keyed as <see cref="OptimizerState"/> describes.</summary>
    public OptimizerState GetState()
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        OptimizerStateKeys.SaveGroups(_groups, scalars);
        for (int i = 0; i < _parameters.Length; i++)
        {
            foreach (var buffer in _buffers)
            {
                if (buffer[i] is { } data)
                {
                    tensors.Add(OptimizerStateKeys.Buffer(i, buffer.Name), new Tensor((float[])data.Clone(), _parameters[i].Shape.ToArray()));
                }
            }
            if (_stepCounts is not null && _stepCounts[i] > 0)
            {
                scalars.Add(OptimizerStateKeys.Step(i), _stepCounts[i]);
            }
        }
        return new OptimizerState(tensors, scalars);
    }

    /// <summary>
    /// Replaces the state and every group's hyperparameters with <paramref name="state"/>, which
    /// must come from an optimizer of the same kind over parameters of the same shapes and grouping.
    /// Nothing changes if the state does not fit.
    /// </summary>
    public void LoadState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var groupValues = OptimizerStateKeys.ReadGroups(state, _groups);
        var bufferData = new float[]?[_buffers.Count, _parameters.Length];
        var steps = new long[_parameters.Length];
        foreach (var (key, tensor) in state.Tensors)
        {
            int i = OptimizerStateKeys.ParseParameterKey(key, _parameters.Length, out string name);
            int b = _buffers.FindIndex(buffer => buffer.Name == name);
            if (b < 0)
            {
                throw new ArgumentException(
                    $"State tensor '{key}' is not kept by {GetType().Name}, which keeps: {string.Join(", ", _buffers.Select(x => x.Name))}.", nameof(state));
            }
            if (!tensor.Shape.SequenceEqual(_parameters[i].Shape))
            {
                throw new ArgumentException(
                    $"State tensor '{key}' has shape {tensor.ShapeText}, but parameter {i} has shape {Shapes.Format(_parameters[i].Shape)}.", nameof(state));
            }
            bufferData[b, i] = tensor.Span.ToArray();
        }
        foreach (var (key, value) in state.Scalars)
        {
            if (!key.StartsWith("state.", StringComparison.Ordinal))
            {
                continue;
            }
            int i = OptimizerStateKeys.ParseParameterKey(key, _parameters.Length, out string name);
            if (name != "step" || _stepCounts is null)
            {
                throw new ArgumentException($"State scalar '{key}' is not kept by {GetType().Name}.", nameof(state));
            }
            if (!(value >= 0 && value == Math.Floor(value)))
            {
                throw new ArgumentException($"State scalar '{key}' is {value}; a step count must be a whole number >= 0.", nameof(state));
            }
            steps[i] = (long)value;
        }

        for (int g = 0; g < _groups.Length; g++)
        {
            groupValues[g].ApplyTo(_groups[g]);
        }
        for (int b = 0; b < _buffers.Count; b++)
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                _buffers[b][i] = bufferData[b, i];
            }
        }
        if (_stepCounts is not null)
        {
            steps.CopyTo(_stepCounts, 0);
        }
    }

    /// <summary>Drops all per-parameter state, so the next step starts as the first did. Hyperparameters stay.</summary>
    public void ResetState()
    {
        foreach (var buffer in _buffers)
        {
            buffer.Clear();
        }
        if (_stepCounts is not null)
        {
            Array.Clear(_stepCounts);
        }
    }

    /// <summary>Declares a per-parameter buffer, which state save and load then cover.</summary>
    private protected ParameterBuffer AddBuffer(string name)
    {
        var buffer = new ParameterBuffer(name, _parameters.Length);
        _buffers.Add(buffer);
        return buffer;
    }

    /// <summary>Turns on per-parameter step counting (<c>state.{i}.step</c>).</summary>
    private protected void CountSteps() => _stepCounts = new long[_parameters.Length];

    /// <summary>Adds one to parameter <paramref name="index"/>'s step count and returns the new count.</summary>
    private protected long IncrementStep(int index) => ++_stepCounts![index];

    /// <summary>The length of the largest parameter, for scratch buffers shared by all of them.</summary>
    private protected int LargestParameterLength()
    {
        int largest = 0;
        foreach (var parameter in _parameters)
        {
            largest = Math.Max(largest, parameter.Value.Length);
        }
        return largest;
    }

    private protected double LearningRateOf(ParameterGroup group) => group.LearningRate ?? _defaultLearningRate;

    private protected double WeightDecayOf(ParameterGroup group) => group.WeightDecay ?? _defaultWeightDecay;

    private protected static void CheckNonNegative(double value, string what, string parameterName)
    {
        // Negated so NaN is refused too, as PyTorch's `not 0.0 <= x` does.
        if (!(value >= 0))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"Invalid {what}: {value}. It must be >= 0.");
        }
    }
}
