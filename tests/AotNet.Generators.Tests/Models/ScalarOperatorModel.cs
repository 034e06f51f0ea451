using static AotNet.F;

namespace AotNet.Generators.Tests.Models;

/// <summary>
/// Tensor and Parameter operators with float scalars: literals, a const, a static readonly field
/// and a readonly instance field set in the constructor, which the generated code reads when it runs.
/// </summary>
public sealed partial class ScalarOperatorModel : Module
{
    const float Half = 0.5f;
    static readonly float Gain = 1.5f;
    readonly float scale;

    public ScalarOperatorModel(float scale = 0.75f) => this.scale = scale;

    [Shape(5)] internal Parameter weight { get; } = new(new Tensor([0.5f, -0.3f, 0.8f, 1.2f, -0.6f], 5));

    [Shape(5)] internal Parameter shift { get; } = new(new Tensor([1.1f, 0.9f, -1.3f, 0.7f, 1.6f], 5));

    [Differentiable]
    public Tensor Scalars([Shape("N", 5)] Tensor x) => (x * 2f + 1f) / (1f - x * Half) - -x / 4f + 2f * x - x * scale * Gain;

    [Differentiable]
    public Tensor ScalarsLoss([RequiresGrad, Shape("N", 5)] Tensor x, [Shape("N", 5)] Tensor w) => Sum(Scalars(x) * w);

    [Differentiable]
    public Tensor Parameters([Shape("N", 5)] Tensor x) => x * weight + weight * shift - weight / shift + -shift * scale + x / shift + 1f - weight * Half + (2f / shift) * x;

    [Differentiable]
    public Tensor ParametersLoss([RequiresGrad, Shape("N", 5)] Tensor x, [Shape("N", 5)] Tensor w) => Sum(Parameters(x) * w);
}
