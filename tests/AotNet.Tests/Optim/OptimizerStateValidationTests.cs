using AotNet.Tests.Support;

namespace AotNet.Tests.Optim;

/// <summary>
/// <see cref="Optimizer.LoadState"/> and <see cref="LearningRateSchedule.LoadState"/> apply the
/// constructors' rules to every loaded value and refuse incomplete state, changing nothing unless
/// the whole state is accepted.
/// </summary>
public class OptimizerStateValidationTests
{
    static readonly Parameter[] Shapes = [new(new Tensor(2, 3)), new(new Tensor(3))];

    static Optimizer Create(string kind, Parameter w, Parameter b)
    {
        ParameterGroup[] groups = [new([w]), new([b]) { LearningRate = 0.03f }];
        return kind switch
        {
            "sgd" => new Sgd(groups, 0.05f, momentum: 0.9f),
            "adam" => new Adam(groups, 0.01f),
            "adamw" => new AdamW(groups, 0.01f),
            _ => new RmsProp(groups, 0.005f, momentum: 0.5f, centered: true),
        };
    }

    static (Optimizer Optimizer, Linear Model) Stepped(string kind, ulong seed)
    {
        var layer = new Linear(3, 2, rng: new Rng(seed));
        var optimizer = Create(kind, layer.Weight, layer.Bias!);
        foreach (var p in layer.Parameters())
        {
            p.Grad.Span.Fill(0.5f);
        }
        optimizer.Step();
        return (optimizer, layer);
    }

    static OptimizerState With(OptimizerState state, string key, double? value)
    {
        var scalars = state.Scalars.ToDictionary();
        if (value is { } v)
        {
            scalars[key] = v;
        }
        else
        {
            scalars.Remove(key);
        }
        return new OptimizerState(state.Tensors, scalars);
    }

    [Theory]
    [InlineData("adam", "group.1.lr", -1.0)]
    [InlineData("adam", "group.0.lr", double.PositiveInfinity)]
    [InlineData("adam", "group.0.weight_decay", double.PositiveInfinity)]
    [InlineData("adam", "group.1.beta1", 1.5)]
    [InlineData("adam", "group.0.beta1", double.NaN)]
    [InlineData("adam", "group.0.beta2", double.NaN)]
    [InlineData("adam", "group.1.eps", -1.0)]
    [InlineData("adam", "group.0.weight_decay", double.NaN)]
    [InlineData("adam", "group.0.amsgrad", 2.0)]
    [InlineData("adam", "state.0.step", 1e300)]
    [InlineData("adamw", "group.1.beta2", 1.0)]
    [InlineData("adamw", "group.0.weight_decay", -0.5)]
    [InlineData("sgd", "group.0.momentum", double.NaN)]
    [InlineData("sgd", "group.1.dampening", double.PositiveInfinity)]
    [InlineData("sgd", "group.0.nesterov", 0.5)]
    [InlineData("rmsprop", "group.0.alpha", -1.0)]
    [InlineData("rmsprop", "group.1.eps", double.NaN)]
    [InlineData("rmsprop", "group.0.centered", 3.0)]
    [InlineData("rmsprop", "state.1.step", -2.0)]
    [InlineData("adam", "group.0.lr", null)]
    [InlineData("adam", "group.1.beta1", null)]
    [InlineData("sgd", "group.0.momentum", null)]
    [InlineData("rmsprop", "group.1.alpha", null)]
    public void AValueTheConstructorWouldRefuseOrAMissingSettingIsRefusedAndNothingChanges(string kind, string key, double? value)
    {
        var (source, _) = Stepped(kind, 1);
        var state = With(source.GetState(), key, value);
        var (target, model) = Stepped(kind, 2);
        var before = Snapshot.Of(model, target);
        var error = Assert.ThrowsAny<ArgumentException>(() => target.LoadState(state));
        Assert.Contains($"'{key}'", error.Message);
        before.AssertUnchanged(model, target);
    }

    [Theory]
    [InlineData("adam", "state.0.exp_avg")]
    [InlineData("adamw", "state.1.exp_avg_sq")]
    [InlineData("rmsprop", "state.0.square_avg")]
    [InlineData("sgd", "state.1.momentum_buffer")]
    public void AMissingBufferIsRefused(string kind, string key)
    {
        var (source, _) = Stepped(kind, 1);
        var full = source.GetState();
        var state = new OptimizerState(full.Tensors.Where(t => t.Key != key).ToDictionary(), full.Scalars);
        var (target, model) = Stepped(kind, 2);
        var before = Snapshot.Of(model, target);
        var error = Assert.ThrowsAny<ArgumentException>(() => target.LoadState(state));
        Assert.Contains($"'{key}'", error.Message);
        before.AssertUnchanged(model, target);
    }

    [Fact]
    public void ABufferWithoutAStepCountIsRefused()
    {
        var (source, _) = Stepped("adam", 1);
        var state = With(source.GetState(), "state.0.step", null);
        var (target, model) = Stepped("adam", 2);
        var before = Snapshot.Of(model, target);
        Assert.Contains("'state.0.step'", Assert.ThrowsAny<ArgumentException>(() => target.LoadState(state)).Message);
        before.AssertUnchanged(model, target);
    }

    [Fact]
    public void ARoundTripStillLoads()
    {
        foreach (string kind in new[] { "sgd", "adam", "adamw", "rmsprop" })
        {
            var (source, _) = Stepped(kind, 1);
            var (target, _) = Stepped(kind, 2);
            target.LoadState(source.GetState());
            Assert.Equal(source.GetState().Scalars.OrderBy(p => p.Key), target.GetState().Scalars.OrderBy(p => p.Key));
            var fresh = Create(kind, new Parameter(new Tensor(2, 3)), new Parameter(new Tensor(3)));
            fresh.LoadState(Create(kind, new Parameter(new Tensor(2, 3)), new Parameter(new Tensor(3))).GetState());
        }
    }

    [Theory]
    [InlineData("last_epoch", 1e300)]
    [InlineData("last_epoch", 11.0)]
    [InlineData("base_lr.0", double.NaN)]
    [InlineData("base_lr.1", double.PositiveInfinity)]
    [InlineData("base_lr.0", -1.0)]
    [InlineData("base_lr.1", null)]
    public void AScheduleRefusesAnImpossibleStateAndKeepsItsOwn(string key, double? value)
    {
        var (source, _) = Stepped("sgd", 1);
        var saved = new OneCycleLR(source, maxLr: 0.1, totalSteps: 10);
        saved.Step();
        var state = With(saved.GetState(), key, value);
        var (target, model) = Stepped("sgd", 2);
        var schedule = new OneCycleLR(target, maxLr: 0.1, totalSteps: 10);
        schedule.Step();
        schedule.Step();
        var before = Snapshot.Of(model, target);
        var rates = schedule.CurrentLearningRates.ToArray();
        var error = Assert.ThrowsAny<ArgumentException>(() => schedule.LoadState(state));
        Assert.Contains($"'{key}'", error.Message);
        Assert.Equal(2, schedule.LastEpoch);
        Assert.Equal(rates, schedule.CurrentLearningRates);
        before.AssertUnchanged(model, target);
    }

    [Fact]
    public void EveryScheduleRoundTrips()
    {
        var (optimizer, _) = Stepped("adam", 1);
        LearningRateSchedule[] schedules =
        [
            new StepLR(optimizer, 2), new MultiStepLR(optimizer, [1, 3]), new CosineAnnealingLR(optimizer, 4), new LinearLR(optimizer),
            new OneCycleLR(optimizer, 0.1, 5, annealStrategy: OneCycleAnnealing.Linear),
        ];
        foreach (var schedule in schedules)
        {
            for (int i = 0; i < 5; i++)
            {
                schedule.Step();
            }
            var state = schedule.GetState();
            schedule.LoadState(state);
            Assert.Equal(5, schedule.LastEpoch);
        }
    }
}
