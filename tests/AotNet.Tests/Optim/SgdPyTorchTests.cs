using System.Numerics.Tensors;
using AotNet.Tests.Support;
using Xunit.Abstractions;

namespace AotNet.Tests.Optim;

/// <summary>
/// 100-step SGD trajectories against torch.optim.SGD. The gradient is
/// <c>curvature · (p - target)</c>, computed here with the same float32 operations as the
/// fixture script, so any difference comes from the optimizer.
/// </summary>
public class SgdPyTorchTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-5;

    public static TheoryData<string> Variants() => new(SgdFixture.Load().Variants.Select(v => v.Name));

    [Theory]
    [MemberData(nameof(Variants))]
    public void TrajectoryMatchesPyTorch(string variantName)
    {
        var fixture = SgdFixture.Load();
        var variant = fixture.Variants.Single(v => v.Name == variantName);
        var parameters = fixture.Params.Select(p => new Parameter(Tensor.FromArray(p.Data, p.Shape))).ToArray();
        var optimizer = new Sgd(parameters, variant.Lr, variant.Momentum, variant.Dampening, variant.WeightDecay, variant.Nesterov);
        var checkpoints = variant.Checkpoints.ToDictionary(c => c.Step);
        double worst = 0;
        Assert.Contains(fixture.Steps, checkpoints.Keys);

        for (int step = 1; step <= fixture.Steps; step++)
        {
            if (variant.LrChange is { } change && change.Step == step)
            {
                optimizer.LearningRate = change.Lr;
            }
            for (int i = 0; i < parameters.Length; i++)
            {
                var grad = parameters[i].Grad.Span;
                TensorPrimitives.Subtract(parameters[i].Value.Span, fixture.Target[i].Data, grad);
                TensorPrimitives.Multiply(fixture.Curvature[i].Data, grad, grad);
            }
            optimizer.Step();
            if (checkpoints.TryGetValue(step, out var expected))
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    worst = Math.Max(worst, Close.Assert(expected.Params[i], parameters[i].Value.Span, Tolerance, $"{variantName} step {step} {fixture.Params[i].Name}"));
                }
            }
        }
        output.WriteLine($"{variantName}: largest scaled deviation {worst:E2}");
    }

    [Fact]
    public void FixtureCoversEveryOption()
    {
        var variants = SgdFixture.Load().Variants;
        Assert.Contains(variants, v => v.Momentum == 0 && v.WeightDecay == 0);
        Assert.Contains(variants, v => v.Momentum > 0 && !v.Nesterov && v.Dampening == 0);
        Assert.Contains(variants, v => v.Nesterov);
        Assert.Contains(variants, v => v.Dampening > 0);
        Assert.Contains(variants, v => v.WeightDecay > 0 && v.Momentum == 0);
        Assert.Contains(variants, v => v.WeightDecay > 0 && v.Momentum > 0);
        Assert.Contains(variants, v => v.LrChange is not null);
    }
}
