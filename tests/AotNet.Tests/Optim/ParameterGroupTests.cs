namespace AotNet.Tests.Optim;

public class ParameterGroupTests
{
    sealed class TwoLayers : Module
    {
        public Linear Fc1 { get; } = new(4, 3, rng: new Rng(1));
        public Linear Fc2 { get; } = new(3, 2, rng: new Rng(2));

        public override void VisitMembers(IModuleVisitor visitor)
        {
            visitor.Module("fc1", Fc1);
            visitor.Module("fc2", Fc2);
        }
    }

    [Fact]
    public void SplitPutsBiasesAndRankOneParametersInTheNoDecayGroup()
    {
        var model = new TwoLayers();
        var groups = ParameterGroups.SplitWeightDecay(model, 0.05);
        Assert.Equal([model.Fc1.Weight, model.Fc2.Weight], groups[0].Parameters);
        Assert.Equal([model.Fc1.Bias!, model.Fc2.Bias!], groups[1].Parameters);
        Assert.Equal(0.05, groups[0].WeightDecay);
        Assert.Equal(0, groups[1].WeightDecay);

        var named = new[] { KeyValuePair.Create("norm.scale", new Parameter(new Tensor(3))), KeyValuePair.Create("proj.bias", new Parameter(new Tensor(2, 2))) };
        Assert.Empty(ParameterGroups.SplitWeightDecay(named)[0].Parameters);
    }

    [Fact]
    public void GroupsGetDefaultsAndKeepOverrides()
    {
        var model = new TwoLayers();
        var adamw = new AdamW(ParameterGroups.SplitWeightDecay(model), lr: 1e-3, weightDecay: 0.1);
        // The groups hold the doubles given, not their float32 roundings.
        Assert.Equal(0.1, adamw.Groups[0].WeightDecay);
        Assert.Equal(0, adamw.Groups[1].WeightDecay);
        Assert.Equal(1e-3, adamw.Groups[1].LearningRate);
        Assert.Equal(0.9, adamw.Groups[0].Beta1);
        Assert.Equal(4, adamw.Parameters.Count);
    }

    [Fact]
    public void NoDecayGroupIsNotDecayedByAdamW()
    {
        var weight = new Parameter(Tensor.Full(1f, 2, 2));
        var bias = new Parameter(Tensor.Full(1f, 2));
        var adamw = new AdamW([new ParameterGroup([weight]), new ParameterGroup([bias]) { WeightDecay = 0 }], lr: 0.1f, weightDecay: 0.5f);
        adamw.Step();
        // Zero gradients: only the decoupled decay moves p, by the factor 1 - lr·wd.
        Assert.Equal(0.95f, weight.Value[0]);
        Assert.Equal(1f, bias.Value[0]);
    }

    [Fact]
    public void ParameterInTwoGroupsIsRefused()
    {
        var p = new Parameter(new Tensor(2));
        var message = Assert.Throws<ArgumentException>(() => new Adam([new ParameterGroup([p]), new ParameterGroup([p])])).Message;
        Assert.Contains("groups 0 and 1", message);
    }

    [Fact]
    public void LearningRateSetsEveryGroupAndReadsOnlyWhenTheyAgree()
    {
        var sgd = new Sgd([new ParameterGroup([new Parameter(new Tensor(1))]), new ParameterGroup([new Parameter(new Tensor(1))]) { LearningRate = 0.5f }], lr: 0.1f);
        Assert.Contains("different learning rates", Assert.Throws<InvalidOperationException>(() => sgd.LearningRate).Message);
        sgd.LearningRate = 0.2f;
        Assert.Equal(0.2f, sgd.LearningRate);
        Assert.All(sgd.Groups, g => Assert.Equal(0.2f, g.LearningRate));
    }

    [Fact]
    public void GroupHyperparametersAreChecked()
    {
        var p = new Parameter(new Tensor(1));
        Assert.Contains("group 1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([new ParameterGroup([]), new ParameterGroup([p]) { Beta1 = 1f }])).Message);
        Assert.Throws<ArgumentException>(() => new Sgd([new ParameterGroup([p]) { Nesterov = true }], lr: 0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterGroup([p]) { LearningRate = -1f });
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new Adam([new ParameterGroup([])])).Message);
    }
}
