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
        HyperparameterRules.Check("lr", learningRate, "", nameof(learningRate));
        HyperparameterRules.Check("weight_decay", weightDecay, "", nameof(weightDecay));
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
            HyperparameterRules.Check("weight_decay", group.WeightDecay.Value, $" in group {g}", nameof(groups));
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
            HyperparameterRules.Check("lr", value, "", nameof(LearningRate));
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
    /// Every value is checked with the rules the constructors apply, and the state must be
    /// complete: every hyperparameter this optimizer uses, in every group, and every buffer a step
    /// creates for a parameter whose step count is kept. Nothing changes unless all of it fits.
    /// </summary>
    /// <exception cref="ArgumentException">The state does not fit, is incomplete, or holds a value the constructors would refuse; the message names the key.</exception>
    public void LoadState(OptimizerState state) => PrepareLoad(state, StateFaults.Direct, scheduled: false)();

    /// <summary>
    /// Checks <paramref name="state"/> completely and returns what applies it, which cannot fail;
    /// a training checkpoint checks the model, optimizer and schedule this way before applying any.
    /// With <paramref name="scheduled"/>, a schedule loaded with it sets the learning rates, so the
    /// saved rates need only be finite (a schedule's may be negative, as PyTorch's may).
    /// </summary>
    internal Action PrepareLoad(OptimizerState state, StateFaults faults, bool scheduled)
    {
        ArgumentNullException.ThrowIfNull(state);
        var groupValues = OptimizerStateKeys.ReadGroups(state, _groups, faults, scheduled);
        // Buffers first: a state of another kind of optimizer is best reported by the buffer it has and this one lacks.
        var bufferData = ReadBuffers(state, faults);
        var steps = ReadSteps(state, faults);
        var loadedGroups = new ParameterGroup[_groups.Length];
        for (int g = 0; g < _groups.Length; g++)
        {
            foreach (string name in RequiredSettings())
            {
                if (!groupValues[g].Has(name))
                {
                    throw faults.Key(GroupHyperparameters.Key(g, name), $"is missing; {GetType().Name} uses it in every group and would otherwise run on whatever the group held");
                }
            }
            loadedGroups[g] = new ParameterGroup([]);
            groupValues[g].ApplyTo(loadedGroups[g]);
            if (CombinationFault(loadedGroups[g]) is var (setting, detail))
            {
                throw faults.Key(GroupHyperparameters.Key(g, setting), $"is refused: {detail}");
            }
        }
        CheckComplete(bufferData, steps, loadedGroups, faults);
        return () =>
        {
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
            steps?.CopyTo(_stepCounts!, 0);
        };
    }

    /// <summary>
    /// The hyperparameters besides <c>lr</c> and <c>weight_decay</c> that the constructor fills in
    /// every group and every step reads, so a state must carry them all. Virtual, not abstract, so
    /// optimizers written outside AotNet still compile; they are held to <c>lr</c> and <c>weight_decay</c>.
    /// </summary>
    private protected virtual IReadOnlyList<string> GroupSettings => [];

    /// <summary>
    /// A rule between one group's values (SGD's Nesterov needs momentum), as the setting it refuses
    /// and a sentence saying why; null when the group is consistent. The constructor and <see cref="LoadState"/> both apply it.
    /// </summary>
    private protected virtual (string Name, string Detail)? CombinationFault(ParameterGroup group) => null;

    IEnumerable<string> RequiredSettings() => GroupSettings.Prepend("weight_decay").Prepend(HyperparameterRules.LearningRate);

    float[]?[,] ReadBuffers(OptimizerState state, StateFaults faults)
    {
        var bufferData = new float[]?[_buffers.Count, _parameters.Length];
        foreach (var (key, tensor) in state.Tensors)
        {
            int i = OptimizerStateKeys.ParseParameterKey(key, _parameters.Length, faults, out string name);
            int b = _buffers.FindIndex(buffer => buffer.Name == name);
            if (b < 0)
            {
                throw faults.Key(key, $"is not kept by {GetType().Name}, which keeps: {string.Join(", ", _buffers.Select(x => x.Name))}");
            }
            if (!tensor.Shape.SequenceEqual(_parameters[i].Shape))
            {
                throw faults.Key(key, $"has shape {tensor.ShapeText}, but parameter {i} has shape {Shapes.Format(_parameters[i].Shape)}");
            }
            bufferData[b, i] = tensor.Span.ToArray();
        }
        return bufferData;
    }

    /// <summary>The step counts, or null for an optimizer that keeps none (SGD).</summary>
    long[]? ReadSteps(OptimizerState state, StateFaults faults)
    {
        var steps = _stepCounts is null ? null : new long[_parameters.Length];
        foreach (var (key, value) in state.Scalars)
        {
            if (!key.StartsWith("state.", StringComparison.Ordinal))
            {
                continue;
            }
            int i = OptimizerStateKeys.ParseParameterKey(key, _parameters.Length, faults, out string name);
            if (name != "step" || steps is null)
            {
                throw faults.Key(key, $"is not kept by {GetType().Name}");
            }
            // Counts are saved as doubles, which hold every whole number up to 2^53 exactly.
            if (!(value >= 0 && value <= MaxStepCount && value == Math.Floor(value)))
            {
                throw faults.Key(key, $"is {value}; a step count must be a whole number from 0 to {MaxStepCount}");
            }
            steps[i] = (long)value;
        }
        return steps;
    }

    const double MaxStepCount = 9007199254740992; // 2^53

    /// <summary>
    /// Refuses a state that has lost part of itself: a buffer without a step count to go with it,
    /// a step count whose buffers are gone, or (without step counts) buffers kept for some
    /// parameters of a kind every step creates for all of them.
    /// </summary>
    void CheckComplete(float[]?[,] bufferData, long[]? steps, ParameterGroup[] loadedGroups, StateFaults faults)
    {
        var groupOf = new ParameterGroup[_parameters.Length];
        for (int g = 0, i = 0; g < _groups.Length; g++)
        {
            for (int k = 0; k < _groups[g].Parameters.Count; k++)
            {
                groupOf[i++] = loadedGroups[g];
            }
        }
        for (int b = 0; b < _buffers.Count; b++)
        {
            var buffer = _buffers[b];
            int? holder = null, lacking = null;
            for (int i = 0; i < _parameters.Length; i++)
            {
                bool present = bufferData[b, i] is not null;
                if (steps is not null && present && steps[i] == 0)
                {
                    throw faults.Key(OptimizerStateKeys.Step(i), $"is missing or 0, but the state has '{OptimizerStateKeys.Buffer(i, buffer.Name)}', which only a step creates");
                }
                bool kept = buffer.KeptWhen?.Invoke(groupOf[i]) ?? false;
                if (kept && steps is not null && steps[i] > 0 && !present)
                {
                    throw faults.Key(OptimizerStateKeys.Buffer(i, buffer.Name), $"is missing, but parameter {i} has taken {steps[i]} steps, each of which updates it");
                }
                if (kept && steps is null && present)
                {
                    holder ??= i;
                }
                else if (kept && steps is null)
                {
                    lacking ??= i;
                }
            }
            if (holder is { } h && lacking is { } l)
            {
                throw faults.Key(OptimizerStateKeys.Buffer(l, buffer.Name),
                    $"is missing, but '{OptimizerStateKeys.Buffer(h, buffer.Name)}' is present; every step creates it for every parameter of a group with momentum");
            }
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

    /// <summary>
    /// Declares a per-parameter buffer, which state save and load then cover. <paramref name="keptWhen"/>
    /// says for which groups every step creates it, so that a loaded state lacking it is refused.
    /// </summary>
    private protected ParameterBuffer AddBuffer(string name, Func<ParameterGroup, bool>? keptWhen = null)
    {
        var buffer = new ParameterBuffer(name, _parameters.Length, keptWhen);
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
}
