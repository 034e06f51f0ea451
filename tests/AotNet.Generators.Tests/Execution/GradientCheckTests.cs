using AotNet.Generators.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace AotNet.Generators.Tests.Execution;

/// <summary>(a) Every generated step's gradients agree with central finite differences of the eager method's loss.</summary>
public class GradientCheckTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ExecutionCases.Names), MemberType = typeof(ExecutionCases))]
    public void StepGradientsMatchFiniteDifferencesOfEagerLoss(string name)
    {
        var test = ExecutionCases.All[name]();
        Assert.NotEmpty(test.Targets);
        double worst = GradCheck.Check(test.Eager, () => test.Step(), test.Targets, test.Eps, test.HasReluKinks);
        output.WriteLine($"{name}: largest relative gradient error {worst:G3}");
    }

    [Fact]
    public void StepOverwritesGradientsInsteadOfAccumulating()
    {
        var test = ExecutionCases.All["CrossEntropy.Classifier"]();
        test.Step();
        var first = test.Targets.Select(t => t.Grad.ToArray()).ToList();
        test.Step();
        for (int t = 0; t < test.Targets.Count; t++)
        {
            Assert.Equal(first[t], test.Targets[t].Grad.ToArray());
        }
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(2f)]
    [InlineData(0.5f)]
    public void CheckRejectsAWrongGradient(float factor)
    {
        // loss = Σ w ⊙ tanh(x); the true gradient is w ⊙ (1 − tanh²x). Scale it and the check must fail.
        var rng = new Rng(5);
        var (x, w) = (TensorData.Uniform(rng, 4, 3), TensorData.Uniform(rng, 4, 3));
        var grad = TensorData.GradFor(x);
        float Loss() => F.Sum(F.Mul(F.Tanh(x), w)).Item();
        void WrongStep()
        {
            for (int i = 0; i < x.Length; i++)
            {
                float t = MathF.Tanh(x[i]);
                grad[i] = factor * w[i] * (1 - t * t);
            }
        }
        Assert.Throws<XunitException>(() => GradCheck.Check(Loss, WrongStep, [new GradTarget("x", x, grad)]));
    }

    [Fact]
    public void CheckAcceptsTheTrueGradient()
    {
        var rng = new Rng(5);
        var (x, w) = (TensorData.Uniform(rng, 4, 3), TensorData.Uniform(rng, 4, 3));
        var grad = TensorData.GradFor(x);
        float Loss() => F.Sum(F.Mul(F.Tanh(x), w)).Item();
        void Step()
        {
            for (int i = 0; i < x.Length; i++)
            {
                float t = MathF.Tanh(x[i]);
                grad[i] = w[i] * (1 - t * t);
            }
        }
        Assert.True(GradCheck.Check(Loss, Step, [new GradTarget("x", x, grad)]) < 1e-2);
    }
}
