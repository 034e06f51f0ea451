using AotNet.Tests.Support;

namespace AotNet.Tests.Optim;

public class SgdTests
{
    static Parameter ParameterOf(params float[] values) => new(Tensor.FromArray(values, values.Length));

    [Fact]
    public void PlainStepIsValueMinusLrTimesGradient()
    {
        var p = ParameterOf(1f, -2f, 3f);
        p.Grad.Span[0] = 0.5f;
        p.Grad.Span[1] = -1f;
        p.Grad.Span[2] = 0f;
        new Sgd([p], lr: 0.1f).Step();
        Assert.Equal([1f - 0.1f * 0.5f, -2f + 0.1f, 3f], p.Value.ToArray());
    }

    [Fact]
    public void FirstMomentumStepIgnoresDampening()
    {
        // PyTorch starts the buffer at the gradient itself, so dampening only applies from step 2.
        var p = ParameterOf(0f);
        var sgd = new Sgd([p], lr: 1f, momentum: 0.9f, dampening: 0.5f);
        p.Grad.Span[0] = 1f;
        sgd.Step();
        Assert.Equal(-1f, p.Value[0]);
        sgd.Step();
        Assert.Equal(-1f - (0.9f * 1f + 0.5f * 1f), p.Value[0], 6);
    }

    [Fact]
    public void StepLeavesGradientsUntouched()
    {
        var p = ParameterOf(1f, 2f);
        p.Grad.Span.Fill(0.25f);
        var sgd = new Sgd([p], lr: 0.1f, momentum: 0.9f, weightDecay: 0.1f, nesterov: true);
        sgd.Step();
        sgd.Step();
        Assert.Equal([0.25f, 0.25f], p.Grad.ToArray());
    }

    [Fact]
    public void ZeroGradClearsEveryGradient()
    {
        var a = ParameterOf(1f, 2f);
        var b = ParameterOf(3f);
        a.Grad.Span.Fill(5f);
        b.Grad.Span.Fill(6f);
        new Sgd([a, b], lr: 0.1f).ZeroGrad();
        Assert.Equal([0f, 0f], a.Grad.ToArray());
        Assert.Equal([0f], b.Grad.ToArray());
    }

    [Fact]
    public void LearningRateCanChangeBetweenSteps()
    {
        var p = ParameterOf(0f);
        p.Grad.Span[0] = 1f;
        var sgd = new Sgd([p], lr: 0.5f);
        sgd.Step();
        sgd.LearningRate = 0.25f;
        sgd.Step();
        Assert.Equal(-0.75f, p.Value[0]);
        Assert.Equal(0.25f, sgd.LearningRate);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.9f)]
    public void StepAllocatesNothingAfterTheFirst(float momentum)
    {
        var layer = new Linear(64, 32, rng: new Rng(1));
        layer.Weight.Grad.Span.Fill(0.01f);
        layer.Bias!.Grad.Span.Fill(0.02f);
        var sgd = new Sgd(layer.Parameters(), lr: 0.05f, momentum: momentum, weightDecay: 1e-4f, nesterov: momentum > 0);
        sgd.Step();
        long allocated = SteadyAllocations.Fewest(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                sgd.Step();
                sgd.ZeroGrad();
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ArgumentsAreCheckedLikePyTorch()
    {
        Parameter[] ps = [ParameterOf(1f)];
        Assert.Contains("learning rate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, lr: -0.1f)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, lr: float.NaN));
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, 0.1f, momentum: -0.5f)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, 0.1f, weightDecay: -1f)).ParamName);
        var noMomentum = Assert.Throws<ArgumentException>(() => new Sgd(ps, 0.1f, nesterov: true));
        Assert.Contains("Nesterov", noMomentum.Message);
        Assert.Throws<ArgumentException>(() => new Sgd(ps, 0.1f, momentum: 0.9f, dampening: 0.1f, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(ps, 0.1f).LearningRate = -1f);
    }

    [Fact]
    public void EmptyOrRepeatedParametersAreRefused()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Parameter>(), lr: 0.1f)).Message);
        var p = ParameterOf(1f);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => new Sgd([p, p], lr: 0.1f)).Message);
    }

    [Fact]
    public void ResetStateRestartsMomentumFromTheGradient()
    {
        var p = ParameterOf(0f);
        p.Grad.Span[0] = 1f;
        var sgd = new Sgd([p], lr: 1f, momentum: 0.5f);
        sgd.Step();
        sgd.ResetState();
        sgd.Step();
        Assert.Equal(-2f, p.Value[0]);
    }
}
