using Xunit.Abstractions;

namespace AotNet.Tests.Optim;

/// <summary>100-step trajectories of every optimizer, two groups each, against torch.optim.</summary>
public class TrajectoryPyTorchTests(ITestOutputHelper output)
{
    // Every case stays below 2e-7; forming 1 - alpha from a float32 alpha drifts past 1e-5.
    const double Tolerance = 1e-6;

    public static TheoryData<string> Cases() => new(TrajectoryFixture.Load().Optimizers.Select(o => o.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrajectoryMatchesPyTorch(string name)
    {
        var fixture = TrajectoryFixture.Load();
        var test = fixture.Optimizers.Single(o => o.Name == name);
        var weight = new Parameter(fixture.Weight.ToTensor());
        var bias = new Parameter(fixture.Bias.ToTensor());
        var optimizer = FixtureOptimizers.Create(test.Kind, test.Defaults,
            [FixtureOptimizers.Group(weight, test.Groups[0]), FixtureOptimizers.Group(bias, test.Groups[1])]);
        var problem = new LinearProblem(fixture.X, fixture.Target);
        var expected = test.Checkpoints.ToDictionary(c => c.Step);
        Assert.Contains(fixture.Steps, expected.Keys);
        double worst = 0;
        for (int step = 1; step <= fixture.Steps; step++)
        {
            problem.Gradients(weight, bias);
            optimizer.Step();
            if (expected.TryGetValue(step, out var checkpoint))
            {
                worst = Math.Max(worst, Support.Close.Assert(checkpoint.Params[0], weight.Value.Span, Tolerance, $"{name} step {step} weight"));
                worst = Math.Max(worst, Support.Close.Assert(checkpoint.Params[1], bias.Value.Span, Tolerance, $"{name} step {step} bias"));
            }
        }
        output.WriteLine($"{name}: largest scaled deviation {worst:E2}");
    }

    [Fact]
    public void FixtureCoversEveryOptimizerAndOption()
    {
        var cases = TrajectoryFixture.Load().Optimizers;
        foreach (var kind in new[] { "sgd", "adam", "adamw", "rmsprop" })
        {
            Assert.Contains(cases, c => c.Kind == kind);
        }
        Assert.Contains(cases, c => c.Kind == "adam" && c.Defaults.ContainsKey("amsgrad"));
        Assert.Contains(cases, c => c.Kind == "adam" && c.Defaults.ContainsKey("weight_decay"));
        Assert.Contains(cases, c => c.Kind == "rmsprop" && c.Defaults.ContainsKey("centered"));
        Assert.Contains(cases, c => c.Kind == "rmsprop" && c.Defaults.ContainsKey("momentum"));
        Assert.All(cases, c => Assert.Equal(2, c.Groups.Length));
    }
}
