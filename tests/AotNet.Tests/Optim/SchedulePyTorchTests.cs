using Xunit.Abstractions;

namespace AotNet.Tests.Optim;

/// <summary>Per-epoch learning rates (and cycled momentum) of every schedule against torch.optim.lr_scheduler.</summary>
public class SchedulePyTorchTests(ITestOutputHelper output)
{
    // The closed forms in double against PyTorch's recursive updates in double: only rounding may differ.
    const double Relative = 1e-6;

    public static TheoryData<string> Cases() => new(ScheduleFixture.Load().Schedules.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void RatesMatchPyTorch(string name)
    {
        var fixture = ScheduleFixture.Load();
        var test = fixture.Schedules.Single(s => s.Name == name);
        var optimizer = CreateOptimizer(test.Optimizer, fixture);
        var schedule = CreateSchedule(name, optimizer);
        double worstLr = 0, worstMomentum = 0;
        for (int epoch = 0; epoch < test.Lrs.Length; epoch++)
        {
            if (epoch > 0)
            {
                optimizer.Step();
                schedule.Step();
            }
            Assert.Equal(epoch, schedule.LastEpoch);
            for (int g = 0; g < 2; g++)
            {
                double expected = test.Lrs[epoch][g];
                worstLr = Math.Max(worstLr, Check(expected, schedule.CurrentLearningRates[g], Relative, $"{name} epoch {epoch} group {g} lr"));
                // The group holds the very double the schedule computed, as PyTorch's param_groups do.
                Assert.Equal(schedule.CurrentLearningRates[g], optimizer.Groups[g].LearningRate!.Value);
                double momentum = optimizer.Groups[g].Beta1 ?? optimizer.Groups[g].Momentum ?? 0;
                worstMomentum = Math.Max(worstMomentum, Check(test.Momentum[epoch][g], momentum, Relative, $"{name} epoch {epoch} group {g} momentum"));
            }
        }
        output.WriteLine($"{name}: largest relative deviation of lr {worstLr:E2}, of momentum {worstMomentum:E2}");
    }

    static double Check(double expected, double actual, double tolerance, string what)
    {
        double deviation = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-12);
        if (expected == actual)
        {
            deviation = 0;
        }
        Assert.True(deviation <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative deviation {deviation:E2}).");
        return deviation;
    }

    static Optimizer CreateOptimizer(string kind, ScheduleFixture fixture)
    {
        ParameterGroup[] groups =
        [
            new([new Parameter(new Tensor(2))]) { LearningRate = fixture.GroupLrs[0] },
            new([new Parameter(new Tensor(1))]) { LearningRate = fixture.GroupLrs[1] },
        ];
        return kind switch
        {
            "sgd" => new Sgd(groups, fixture.GroupLrs[0], momentum: fixture.SgdMomentum),
            "adam" => new Adam(groups, fixture.GroupLrs[0]),
            "rmsprop" => new RmsProp(groups, fixture.GroupLrs[0]),
            _ => throw new InvalidDataException(kind),
        };
    }

    // Written out by hand, matching the arguments in make_optim_fixtures.py.
    static LearningRateSchedule CreateSchedule(string name, Optimizer o) => name switch
    {
        "step" => new StepLR(o, stepSize: 7, gamma: 0.5),
        "multistep" => new MultiStepLR(o, [10, 30, 30, 80], gamma: 0.3),
        "cosine" => new CosineAnnealingLR(o, tMax: 40, etaMin: 0.001),
        "cosine_to_zero" => new CosineAnnealingLR(o, tMax: 100),
        "linear_warmup" => new LinearLR(o, startFactor: 0.1, endFactor: 1.0, totalIters: 10),
        "linear_decay" => new LinearLR(o, startFactor: 1.0, endFactor: 0.25, totalIters: 60),
        "onecycle_sgd" => new OneCycleLR(o, [0.5, 0.2], totalSteps: 100),
        "onecycle_adam_three_phase" => new OneCycleLR(o, 0.01, totalSteps: 100, pctStart: 0.25, threePhase: true, divFactor: 10, finalDivFactor: 100),
        "onecycle_linear_no_momentum" => new OneCycleLR(o, 0.05, totalSteps: 100, annealStrategy: OneCycleAnnealing.Linear, cycleMomentum: false),
        "warmup_then_cosine" => new SequentialLR(o, [new LinearLR(o, startFactor: 0.1, totalIters: 5), new CosineAnnealingLR(o, tMax: 95)], [5]),
        _ => throw new InvalidDataException(name),
    };
}
