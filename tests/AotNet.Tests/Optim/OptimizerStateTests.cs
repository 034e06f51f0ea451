namespace AotNet.Tests.Optim;

public class OptimizerStateTests
{
    [Fact]
    public void DictionariesAreCopiedSoTheCallerCannotChangeTheSnapshot()
    {
        var tensors = new Dictionary<string, Tensor> { ["state.0.exp_avg"] = Tensor.Full(1f, 2) };
        var scalars = new Dictionary<string, double> { ["state.0.step"] = 3 };
        var state = new OptimizerState(tensors, scalars);
        tensors.Clear();
        scalars["state.0.step"] = 4;
        Assert.Equal([1f, 1f], state.Tensors["state.0.exp_avg"].ToArray());
        Assert.Equal(3, state.Scalar("state.0.step"));
    }

    [Fact]
    public void MissingScalarNamesTheKey()
    {
        var state = new OptimizerState(new Dictionary<string, Tensor>(), new Dictionary<string, double>());
        Assert.Contains("group.0.lr", Assert.Throws<ArgumentException>(() => state.Scalar("group.0.lr")).Message);
    }
}
