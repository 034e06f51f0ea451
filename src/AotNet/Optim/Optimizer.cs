namespace AotNet;

/// <summary>
/// The base of every optimizer: a fixed list of parameters, a learning rate, and an in-place
/// <see cref="Step"/> that reads each <see cref="Parameter.Grad"/>.
/// </summary>
public abstract class Optimizer
{
    readonly Parameter[] _parameters;
    float _learningRate;

    /// <summary>Takes the parameters to update, refusing an empty list and repeats (a repeat would be stepped twice).</summary>
    protected Optimizer(IEnumerable<Parameter> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = new List<Parameter>();
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var parameter in parameters)
        {
            if (parameter is null)
            {
                throw new ArgumentException($"Parameter {list.Count} is null.", nameof(parameters));
            }
            if (!seen.Add(parameter))
            {
                throw new ArgumentException(
                    $"Parameter {list.Count} (shape {Shapes.Format(parameter.Shape)}) appears more than once; it would be updated twice per step.",
                    nameof(parameters));
            }
            list.Add(parameter);
        }
        if (list.Count == 0)
        {
            throw new ArgumentException("The optimizer got an empty parameter list.", nameof(parameters));
        }
        _parameters = list.ToArray();
        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimizer updates, in the order given.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameters as a span, for allocation-free loops in <see cref="Step"/>.</summary>
    protected ReadOnlySpan<Parameter> ParameterSpan => _parameters;

    /// <summary>The learning rate of the next <see cref="Step"/>; set it between steps to follow a schedule.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            // Written as a negated comparison so NaN is refused too, as PyTorch's `not 0.0 <= lr` does.
            if (!(value >= 0f))
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"Invalid learning rate: {value}. It must be >= 0.");
            }
            _learningRate = value;
        }
    }

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
}
