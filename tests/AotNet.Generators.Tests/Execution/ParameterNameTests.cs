using AotNet.Generators.Tests.Models;

namespace AotNet.Generators.Tests.Execution;

/// <summary>(e) The generated VisitMembers names parameters as PyTorch's named_parameters() does.</summary>
public class ParameterNameTests
{
    [Fact]
    public void MlpNamesMatchPyTorch() => Assert.Equal(
        ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"],
        new Mlp().NamedParameters().Select(p => p.Key));

    [Fact]
    public void MlpParameterShapesArePyTorchLayout() => Assert.Equal(
        [[256, 784], [256], [128, 256], [128], [10, 128], [10]],
        new Mlp().NamedParameters().Select(p => p.Value.Shape.ToArray()));

    [Fact]
    public void SubmoduleNamesArePrefixedWithTheFieldName() => Assert.Equal(
        ["block.fc.weight", "block.fc.bias", "head.weight", "head.bias"],
        new SubmoduleModel().NamedParameters().Select(p => p.Key));

    [Fact]
    public void LayerWithoutBiasListsOnlyItsWeight() => Assert.Equal(
        ["withBias.weight", "withBias.bias", "noBias.weight"],
        new LinearModel().NamedParameters().Select(p => p.Key));

    [Fact]
    public void NamesAreTheParametersTheStepFills()
    {
        var model = new SubmoduleModel();
        var rng = new Rng(501);
        var x = Support.TensorData.Uniform(rng, 4, 4);
        foreach (var parameter in model.Parameters())
        {
            parameter.Grad.Span.Fill(float.NaN);
        }
        model.LossStep(x, Support.TensorData.Labels(rng, 4, 3), new Tensor(4, 4));
        Assert.All(model.NamedParameters(), p => Assert.True(p.Value.Grad.ToArray().All(float.IsFinite) && p.Value.Grad.ToArray().Any(v => v != 0f), p.Key));
    }
}
