using AotNet.Generators.Tests.Models;
using Xunit.Abstractions;

namespace AotNet.Generators.Tests.Checkpoints;

/// <summary>Weights trained in PyTorch load into AotNet's W1 model by state_dict name and give PyTorch's logits.</summary>
public class TorchInteropTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-5;

    static Mlp LoadTorchModel()
    {
        var model = new Mlp();
        Checkpoint.Load(model, TorchMlpFixture.SafetensorsPath);
        model.Eval();
        return model;
    }

    [Fact]
    public void ParametersLoadUnderTheirPyTorchNames()
    {
        var fixture = TorchMlpFixture.Load();
        var parameters = LoadTorchModel().NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(6, fixture.Probes.Length);
        foreach (var (name, index, value) in fixture.Probes)
        {
            Assert.Equal(value, parameters[name].Value[index]);
        }
    }

    [Fact]
    public void CompiledForwardGivesPyTorchsLogits()
    {
        var fixture = TorchMlpFixture.Load();
        var logits = LoadTorchModel().ForwardCompiled(fixture.Images);
        AssertMatches(fixture, logits, "ForwardCompiled");
    }

    [Fact]
    public void EagerForwardGivesPyTorchsLogits()
    {
        var fixture = TorchMlpFixture.Load();
        var logits = LoadTorchModel().Forward(fixture.Images);
        AssertMatches(fixture, logits, "Forward");
    }

    [Fact]
    public void SavingTheLoadedModelReproducesPythonsFileByteForByte()
    {
        // The Python exporter lays the file out as the reference implementation does, so equal bytes mean the same layout.
        string path = Path.Combine(Path.GetTempPath(), $"aotnet-interop-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.Save(LoadTorchModel(), path);
            Assert.Equal(File.ReadAllBytes(TorchMlpFixture.SafetensorsPath), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    void AssertMatches(TorchMlpFixture fixture, Tensor logits, string path)
    {
        Assert.Equal(fixture.Logits.ShapeText, logits.ShapeText);
        var expected = fixture.Logits.Span;
        var actual = logits.Span;
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double deviation = Math.Abs((double)actual[i] - expected[i]);
            worst = Math.Max(worst, deviation);
            Assert.True(deviation <= Tolerance * (1 + Math.Abs(expected[i])), $"{path} logit {i}: PyTorch {expected[i]:R}, AotNet {actual[i]:R}.");
        }
        output.WriteLine($"{path}: largest absolute deviation from PyTorch {worst:E3}");
        for (int row = 0; row < fixture.Labels.Length; row++)
        {
            Assert.Equal(ArgMax(expected.Slice(row * 10, 10)), ArgMax(actual.Slice(row * 10, 10)));
        }
    }

    static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }
}
