namespace AotNet;

/// <summary>
/// A snapshot of an optimizer (or a learning-rate schedule) as named tensors and named numbers,
/// flat so that a checkpoint can store it as-is (tensors as tensors, scalars as metadata).
/// </summary>
/// <remarks>
/// Key naming, following PyTorch's <c>state_dict()</c>:
/// <list type="bullet">
/// <item><c>state.{i}.{buffer}</c> (tensor): per-parameter buffers. <c>i</c> numbers the parameters
/// across all groups in order, as PyTorch does; buffers are <c>momentum_buffer</c>, <c>exp_avg</c>,
/// <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>, <c>square_avg</c>, <c>grad_avg</c>. A buffer not yet
/// created is absent.</item>
/// <item><c>state.{i}.step</c> (scalar): the number of steps taken for parameter <c>i</c>.</item>
/// <item><c>group.count</c> (scalar) and <c>group.{g}.params</c> (scalar): how many groups, and
/// how many parameters group <c>g</c> holds.</item>
/// <item><c>group.{g}.{hyperparameter}</c> (scalar): <c>lr</c>, <c>initial_lr</c>,
/// <c>weight_decay</c>, <c>momentum</c>, <c>dampening</c>, <c>nesterov</c>, <c>beta1</c>,
/// <c>beta2</c>, <c>eps</c>, <c>amsgrad</c>, <c>alpha</c>, <c>centered</c>; booleans are 0 or 1.</item>
/// <item>Schedules use <c>last_epoch</c> and <c>base_lr.{g}</c> (scalars).</item>
/// </list>
/// The tensors are copies: later steps do not change a snapshot, and loading one copies out of it.
/// </remarks>
public sealed class OptimizerState
{
    /// <summary>A state holding copies of the two dictionaries (the tensors themselves are not copied).</summary>
    public OptimizerState(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> scalars)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(scalars);
        var tensorCopy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in tensors)
        {
            tensorCopy.Add(key, tensor ?? throw new ArgumentException($"Tensor '{key}' is null.", nameof(tensors)));
        }
        Tensors = tensorCopy;
        Scalars = new Dictionary<string, double>(scalars, StringComparer.Ordinal);
    }

    /// <summary>Per-parameter buffers, keyed as described on the class.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>Step counts and hyperparameters, keyed as described on the class.</summary>
    public IReadOnlyDictionary<string, double> Scalars { get; }

    /// <summary>The scalar under <paramref name="key"/>, or an exception naming the missing key.</summary>
    public double Scalar(string key) =>
        Scalars.TryGetValue(key, out double value)
            ? value
            : throw new ArgumentException($"The state has no scalar '{key}'.", nameof(key));
}
