using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Execution;

/// <summary>
/// One generated training step to check: the eager loss (the user's method as written), the
/// generated step and compiled loss over the same inputs, and every tensor that gets a gradient.
/// <see cref="Reference"/>, when given, is the loss by the naive reference in double precision:
/// finite differences of it resolve gradients far smaller than a float loss can (a mean over a
/// large batch), so the gradient check uses it instead of <see cref="Eager"/>.
/// </summary>
public sealed record ExecutionCase(
    string Name,
    Func<float> Eager,
    Func<float> Step,
    Func<float> Compiled,
    IReadOnlyList<GradTarget> Targets,
    bool HasReluKinks = false,
    float Eps = 1e-2f,
    Func<double>? Reference = null)
{
    public override string ToString() => Name;

    /// <summary>Gradient targets for every parameter of a module, named as PyTorch names them.</summary>
    public static IEnumerable<GradTarget> ParametersOf(Module module) =>
        module.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad));

    /// <summary>A gradient target for an input marked [RequiresGrad], with its gradient buffer.</summary>
    public static GradTarget Input(string name, Tensor value, Tensor grad) => new(name, value, grad);
}
