namespace AotNet.Tests.Optim;

/// <summary>Saving state mid-run and loading it into a fresh optimizer continues bit-identically.</summary>
public class OptimizerResumeTests
{
    public static TheoryData<string> Kinds() => new("sgd", "adam", "adamw", "rmsprop");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ResumedRunIsBitIdentical(string kind)
    {
        var fixture = TrajectoryFixture.Load();
        var problem = new LinearProblem(fixture.X, fixture.Target);

        var (w, b, straight) = Create(kind, fixture);
        var schedule = new CosineAnnealingLR(straight, tMax: 30);
        for (int step = 0; step < 30; step++)
        {
            problem.Gradients(w, b);
            straight.Step();
            schedule.Step();
        }

        var (w2, b2, first) = Create(kind, fixture);
        var firstSchedule = new CosineAnnealingLR(first, tMax: 30);
        for (int step = 0; step < 12; step++)
        {
            problem.Gradients(w2, b2);
            first.Step();
            firstSchedule.Step();
        }
        var saved = first.GetState();
        var savedSchedule = firstSchedule.GetState();
        var (w3, b3, resumed) = Create(kind, fixture);
        w3.Value.CopyFrom(w2.Value);
        b3.Value.CopyFrom(b2.Value);
        resumed.LoadState(saved);
        var resumedSchedule = new CosineAnnealingLR(resumed, tMax: 30);
        resumedSchedule.LoadState(savedSchedule);
        Assert.Equal(12, resumedSchedule.LastEpoch);
        for (int step = 12; step < 30; step++)
        {
            problem.Gradients(w3, b3);
            resumed.Step();
            resumedSchedule.Step();
        }
        Assert.Equal(w.Value.ToArray(), w3.Value.ToArray());
        Assert.Equal(b.Value.ToArray(), b3.Value.ToArray());
    }

    [Fact]
    public void StateUsesDocumentedKeys()
    {
        var fixture = TrajectoryFixture.Load();
        var (w, b, adam) = Create("adam", fixture);
        new LinearProblem(fixture.X, fixture.Target).Gradients(w, b);
        adam.Step();
        var state = adam.GetState();
        Assert.Equal(1, state.Scalar("state.1.step"));
        Assert.Equal([3, 4], state.Tensors["state.0.exp_avg"].Shape.ToArray());
        Assert.True(state.Tensors.ContainsKey("state.1.max_exp_avg_sq"));
        Assert.Equal(2, state.Scalar("group.count"));
        Assert.Equal(1, state.Scalar("group.1.params"));
        Assert.Equal(0.03f, (float)state.Scalar("group.1.lr"));
        Assert.Equal(0.8f, (float)state.Scalar("group.0.beta1"));
    }

    [Fact]
    public void MismatchedStateIsRefusedWithoutChangingAnything()
    {
        var fixture = TrajectoryFixture.Load();
        var (w, b, adam) = Create("adam", fixture);
        new LinearProblem(fixture.X, fixture.Target).Gradients(w, b);
        adam.Step();
        var state = adam.GetState();

        var (_, _, sgd) = Create("sgd", fixture);
        Assert.Contains("exp_avg", Assert.Throws<ArgumentException>(() => sgd.LoadState(state)).Message);
        Assert.Null(sgd.Groups[0].Amsgrad);

        var single = new Adam([new Parameter(new Tensor(3, 4)), new Parameter(new Tensor(3))]);
        Assert.Contains("2 parameter groups", Assert.Throws<ArgumentException>(() => single.LoadState(state)).Message);

        var wrongShape = new Adam([new ParameterGroup([new Parameter(new Tensor(4, 3))]), new ParameterGroup([new Parameter(new Tensor(3))])]);
        var message = Assert.Throws<ArgumentException>(() => wrongShape.LoadState(state)).Message;
        Assert.Contains("[3, 4]", message);
        Assert.Contains("[4, 3]", message);
    }

    static (Parameter W, Parameter B, Optimizer Optimizer) Create(string kind, TrajectoryFixture fixture)
    {
        var w = new Parameter(fixture.Weight.ToTensor());
        var b = new Parameter(fixture.Bias.ToTensor());
        ParameterGroup[] groups = [new([w]) { WeightDecay = 0.01f, Beta1 = 0.8f }, new([b]) { LearningRate = 0.03f, WeightDecay = 0f }];
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd(groups, 0.05f, momentum: 0.9f, nesterov: true),
            "adam" => new Adam(groups, 0.01f, amsgrad: true),
            "adamw" => new AdamW(groups, 0.01f),
            _ => new RmsProp(groups, 0.005f, momentum: 0.5f, centered: true),
        };
        return (w, b, optimizer);
    }
}
