using System.Reflection;
using AotNet.Generators.Tests.Generation;
using AotNet.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Tests.Execution;

/// <summary>
/// Parameter fields with a constant [Shape]: a linear regression whose MSE is built from Sub,
/// Mul and Mean, compiled at test time from the snapshot source.
/// </summary>
public class ParameterFieldTests
{
    [Fact]
    public void ParameterFieldGradientsMatchFiniteDifferencesOfEagerLoss()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + SnapshotSources.LinearRegression);
        Assert.Empty(run.GeneratorDiagnostics);
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var type = Assembly.Load(stream.ToArray()).GetType("Models.Regression", throwOnError: true)!;
        var model = (Module)Activator.CreateInstance(type)!;
        var rng = new Rng(601);
        foreach (var parameter in model.Parameters())
        {
            Init.Uniform(parameter.Value, -1f, 1f, rng);
        }
        var (x, target) = (TensorData.Uniform(rng, 6, 3), TensorData.Uniform(rng, 6, 1));
        var eager = type.GetMethod("Loss")!;
        var step = type.GetMethod("LossStep")!;
        var compiled = type.GetMethod("LossCompiled")!;
        float Eager() => ((Tensor)eager.Invoke(model, [x, target])!).Item();

        Assert.Equal(["Weight", "Bias"], model.NamedParameters().Select(p => p.Key));
        double worst = GradCheck.Check(Eager, () => InMemoryModels.Invoke(step, model, x, target), [.. ExecutionCase.ParametersOf(model)]);
        Assert.True(worst < 1e-2);
        float reference = Eager();
        Assert.Equal(reference, (float)InMemoryModels.Invoke(step, model, x, target)!, 5);
        Assert.Equal(reference, ((Tensor)compiled.Invoke(model, [x, target])!).Item(), 5);
    }
}
