namespace AotNet.Tests.Optim;

/// <summary>
/// After one step, each optimizer's state holds <c>(1 - x)·g</c> with <c>1 - x</c> formed in double
/// from the value given, as PyTorch forms it. From float32 0.9999 it would be 1.66e-4, not 1e-4.
/// </summary>
public class HyperparameterPrecisionTests
{
    const float Gradient = 3f;

    [Fact]
    public void AdamFormsOneMinusBetaFromTheValueGiven()
    {
        var p = WithGradient();
        var adam = new Adam([p], lr: 1e-3, beta1: 0.9999, beta2: 0.99999);
        adam.Step();
        var state = adam.GetState();
        Assert.Equal((float)(1 - 0.9999) * Gradient, state.Tensors["state.0.exp_avg"][0]);
        Assert.Equal((float)(1 - 0.99999) * Gradient * Gradient, state.Tensors["state.0.exp_avg_sq"][0]);
        Assert.Equal(0.99999, adam.Groups[0].Beta2);
    }

    [Fact]
    public void RmsPropFormsOneMinusAlphaFromTheValueGiven()
    {
        var p = WithGradient();
        var rmsprop = new RmsProp([p], lr: 1e-3, alpha: 0.9999, centered: true);
        rmsprop.Step();
        var state = rmsprop.GetState();
        Assert.Equal((float)(1 - 0.9999) * Gradient * Gradient, state.Tensors["state.0.square_avg"][0]);
        Assert.Equal((float)(1 - 0.9999) * Gradient, state.Tensors["state.0.grad_avg"][0]);
    }

    [Fact]
    public void SgdFormsOneMinusDampeningFromTheValueGiven()
    {
        var p = WithGradient();
        var sgd = new Sgd([p], lr: 0, momentum: 0.5, dampening: 0.9999);
        sgd.Step();
        sgd.Step();
        // The buffer starts at g, then becomes momentum·g + (1 - dampening)·g.
        float expected = (float)(1 - 0.9999) * Gradient + 0.5f * Gradient;
        Assert.Equal(expected, sgd.GetState().Tensors["state.0.momentum_buffer"][0]);
    }

    [Fact]
    public void SavedStateKeepsTheHyperparametersExactly()
    {
        var adam = new Adam([WithGradient()], lr: 1e-3, beta2: 0.9999);
        var scalars = adam.GetState().Scalars;
        Assert.Equal(1e-3, scalars["group.0.lr"]);
        Assert.Equal(0.9999, scalars["group.0.beta2"]);
    }

    static Parameter WithGradient()
    {
        var p = new Parameter(new Tensor(1));
        p.Grad.Span.Fill(Gradient);
        return p;
    }
}
