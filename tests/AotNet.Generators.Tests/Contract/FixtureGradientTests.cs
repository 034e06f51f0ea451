using AotNet.Generators.Tests.Support;
using Xunit.Abstractions;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// The generated training step of every binding of the op table, on every case of its PyTorch
/// fixture (see <see cref="FixtureModels"/>): its loss and every element of every input
/// gradient against PyTorch, and its gradients against finite differences of the eager loss.
/// </summary>
public class FixtureGradientTests(ITestOutputHelper output)
{
    /// <summary>|a − e| / (1 + |e|) for gradients.</summary>
    public const double GradientTolerance = 1e-4;

    /// <summary>|a − e| / (1 + |e|) for values, including the loss.</summary>
    public const double ValueTolerance = 1e-5;

    [Theory]
    [MemberData(nameof(FixtureModels.Names), MemberType = typeof(FixtureModels))]
    public void GeneratedStepMatchesPyTorch(string name)
    {
        var run = FixtureModels.Run(name);
        var fixture = run.Case.Fixture;
        if (NoGradient(run))
        {
            return;
        }
        float loss = run.Step();

        double expectedLoss = 0;
        for (int i = 0; i < fixture.Output.Data.Length; i++)
        {
            expectedLoss += (double)fixture.Output.Data[i] * fixture.GradWeight.Data[i];
        }
        double lossError = Relative(loss, expectedLoss);
        Assert.True(lossError <= ValueTolerance, $"{name}: loss {loss:G9} vs PyTorch {expectedLoss:G9} ({lossError:G3})");

        double worst = 0;
        foreach (var target in run.Targets)
        {
            Assert.True(fixture.Grads.TryGetValue(target.Name, out var expected), $"the fixture has no gradient for {target.Name}");
            Assert.Equal(expected.Shape, target.Grad.Shape.ToArray());
            for (int i = 0; i < expected.Data.Length; i++)
            {
                double error = Relative(target.Grad[i], expected.Data[i]);
                Assert.True(error <= GradientTolerance, $"{name}: d/d{target.Name}[{i}] is {target.Grad[i]:G9}, PyTorch says {expected.Data[i]:G9}");
                worst = Math.Max(worst, error);
            }
        }
        output.WriteLine($"{name}: loss error {lossError:G3}, largest gradient error {worst:G3} (relative to 1 + |PyTorch|)");
    }

    [Theory]
    [MemberData(nameof(FixtureModels.Names), MemberType = typeof(FixtureModels))]
    public void GeneratedStepGradientsMatchFiniteDifferences(string name)
    {
        var run = FixtureModels.Run(name);
        if (NoGradient(run))
        {
            return;
        }
        Assert.NotEmpty(run.Targets);
        // A gradient PyTorch says is 0 everywhere (a comparison's operands, the exponent-0 power, the
        // side of a maximum that never wins) gives finite differences nothing to check; the PyTorch
        // test above still requires it to be 0. The step writes every target all the same.
        var live = run.Targets.Where(t => run.Case.Fixture.Grads[t.Name].Data.Any(v => v != 0f)).ToList();
        if (live.Count == 0)
        {
            run.Step();
            Assert.All(run.Targets, t => Assert.All(t.Grad.ToArray(), v => Assert.Equal(0f, v)));
            output.WriteLine($"{name}: every gradient is 0, as in PyTorch; nothing for finite differences to check");
            return;
        }
        double worst = ZeroByDefinition.ContainsKey(run.Case.Binding.Method)
            ? GradCheck.CheckExcept(run.EagerLoss, () => run.Step(), live, (target, index) => run.Case.Fixture.Grads[target].Data[index] == 0f)
            : GradCheck.Check(run.EagerLoss, () => run.Step(), live);
        output.WriteLine($"{name}: largest relative gradient error {worst:G3}");
    }

    /// <summary>
    /// Ops whose gradient is zero by definition on some elements the loss does depend on, with why:
    /// finite differences skip the elements PyTorch gives 0 (the test above still requires the 0).
    /// </summary>
    static readonly IReadOnlyDictionary<string, string> ZeroByDefinition = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Embedding"] = "the padding row gets no gradient, as paddingIndex promises (PyTorch's padding_idx)",
    };

    /// <summary>
    /// A binding that returns labels (argmax) has no step: PyTorch's gradients through it must be all zero, and
    /// asking for one is a build error (see ArgmaxTests).
    /// </summary>
    bool NoGradient(FixtureRun run)
    {
        if (!run.Case.Binding.ReturnsLabels)
        {
            return false;
        }
        Assert.All(run.Case.Fixture.Grads.Values, g => Assert.All(g.Data, v => Assert.Equal(0f, v)));
        output.WriteLine($"{run.Case.Name}: integer result, no gradient (as in PyTorch)");
        return true;
    }

    /// <summary>|a − e| / (1 + |e|); NaN is never within tolerance.</summary>
    public static double Relative(double actual, double expected)
    {
        double error = Math.Abs(actual - expected) / (1 + Math.Abs(expected));
        return double.IsNaN(error) ? double.PositiveInfinity : error;
    }
}
