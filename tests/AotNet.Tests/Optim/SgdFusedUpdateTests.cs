namespace AotNet.Tests.Optim;

/// <summary>
/// After its first step, SGD with momentum updates each parameter in one fused sweep, split across
/// threads for large parameters. It must give exactly what PyTorch's sequence of operations gives.
/// </summary>
public class SgdFusedUpdateTests
{
    [Theory]
    [InlineData(7, 0f, 0f)]
    [InlineData(1000, 1e-4f, 0f)]
    [InlineData(100_003, 1e-4f, 0.25f)]
    public void MatchesTheStepByStepUpdateBitForBit(int length, float weightDecay, float dampening)
    {
        const float lr = 0.05f, momentum = 0.9f;
        var rng = new Rng(5);
        var parameter = new Parameter(Tensor.FromArray(Draw(rng, length), length));
        var optimizer = new Sgd([parameter], lr, momentum, dampening, weightDecay);
        var value = parameter.Value.ToArray();
        var buffer = new float[length];

        for (int step = 0; step < 3; step++)
        {
            Draw(rng, length).CopyTo(parameter.Grad.Span);
            var gradient = parameter.Grad.ToArray();
            optimizer.Step();
            for (int i = 0; i < length; i++)
            {
                float g = value[i] * weightDecay + gradient[i];
                buffer[i] = step == 0 ? g : g * (float)(1.0 - dampening) + buffer[i] * momentum;
                value[i] = buffer[i] * -lr + value[i];
            }
            Assert.Equal(value, parameter.Value.ToArray());
        }
    }

    static float[] Draw(Rng rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = rng.Uniform(-1f, 1f);
        }
        return values;
    }
}
