using AotNet.Generators.Tests.Models;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Execution;

/// <summary>(d) Generated members check the caller's shapes against the declared ones, naming both.</summary>
public class ShapeCheckTests
{
    readonly Mlp _model = new();
    readonly Rng _rng = new(401);

    [Fact]
    public void LabelsWithAnotherBatchSizeAreRejected()
    {
        var (x, y) = (TensorData.Uniform(_rng, 8, 784), TensorData.Labels(_rng, 7, 10));
        var error = Assert.Throws<ArgumentException>(() => _model.LossStep(x, y));
        Assert.Equal("y", error.ParamName);
        Assert.Contains("[N]", error.Message, StringComparison.Ordinal);
        Assert.Contains("N = 8", error.Message, StringComparison.Ordinal);
        Assert.Contains("[7]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongConstantDimensionIsRejected()
    {
        var x = TensorData.Uniform(_rng, 8, 783);
        var error = Assert.Throws<ArgumentException>(() => _model.ForwardCompiled(x));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("[N, 784]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[8, 783]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongRankIsRejected()
    {
        var x = TensorData.Uniform(_rng, 784);
        var error = Assert.Throws<ArgumentException>(() => _model.LossStep(x, TensorData.Labels(_rng, 1, 10)));
        Assert.Contains("[N, 784]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[784]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolBoundByOneInputIsCheckedOnAnother()
    {
        var model = new BroadcastModel();
        var (a, row, col) = (TensorData.Uniform(_rng, 4, 5), TensorData.Uniform(_rng, 5), TensorData.Uniform(_rng, 3, 1));
        var error = Assert.Throws<ArgumentException>(() => model.OperatorsCompiled(a, row, col));
        Assert.Equal("col", error.ParamName);
        Assert.Contains("[N, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("N = 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstantVectorOfWrongLengthIsRejected()
    {
        var model = new BroadcastModel();
        var (a, row) = (TensorData.Uniform(_rng, 4, 5), TensorData.Uniform(_rng, 6));
        var error = Assert.Throws<ArgumentException>(() => model.AddRowCompiled(a, row));
        Assert.Equal("row", error.ParamName);
        Assert.Contains("[5]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[6]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputGradientBufferOfWrongShapeIsRejected()
    {
        var model = new ActivationModel();
        var (x, w) = (TensorData.Uniform(_rng, 4, 6), TensorData.Uniform(_rng, 4, 6));
        var error = Assert.Throws<ArgumentException>(() => model.TanhLossStep(x, w, new Tensor(4, 5)));
        Assert.Equal("xGrad", error.ParamName);
        Assert.Contains("[4, 6]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 5]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABatchSizeChangeBetweenCallsStillComputesCorrectly()
    {
        var rng = new Rng(402);
        var (big, small) = (TensorData.Uniform(rng, 16, 784), TensorData.Uniform(rng, 3, 784));
        _model.ForwardCompiled(big);
        var compiled = _model.ForwardCompiled(small);
        Assert.True(TensorData.MaxRelativeDifference(compiled, _model.Forward(small)) <= 1e-5);
    }
}
