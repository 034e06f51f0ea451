namespace AotNet.Tests.Support;

/// <summary>Everything a refused load must leave alone: weights, optimizer state and every group's hyperparameters.</summary>
sealed class Snapshot
{
    float[][] _weights = [];
    OptimizerState _state = null!;
    string[] _groups = [];

    public static Snapshot Of(Module model, Optimizer optimizer) => new()
    {
        _weights = model.Parameters().Select(p => p.Value.ToArray()).ToArray(),
        _state = optimizer.GetState(),
        _groups = optimizer.Groups.Select(Describe).ToArray(),
    };

    public void AssertUnchanged(Module model, Optimizer optimizer)
    {
        Assert.Equal(_weights, model.Parameters().Select(p => p.Value.ToArray()).ToArray());
        Assert.Equal(_groups, optimizer.Groups.Select(Describe).ToArray());
        var state = optimizer.GetState();
        Assert.Equal(_state.Scalars.OrderBy(p => p.Key), state.Scalars.OrderBy(p => p.Key));
        Assert.Equal(_state.Tensors.Keys.Order(), state.Tensors.Keys.Order());
        foreach (var (key, tensor) in _state.Tensors)
        {
            Assert.Equal(tensor.ToArray(), state.Tensors[key].ToArray());
        }
    }

    static string Describe(ParameterGroup g) =>
        $"lr={g.LearningRate} initial={g.InitialLearningRate} wd={g.WeightDecay} m={g.Momentum} d={g.Dampening} n={g.Nesterov} " +
        $"b1={g.Beta1} b2={g.Beta2} eps={g.Eps} ams={g.Amsgrad} alpha={g.Alpha} c={g.Centered}";
}
