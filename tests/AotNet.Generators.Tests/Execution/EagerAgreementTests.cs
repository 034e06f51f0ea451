using AotNet.Generators.Tests.Models;
using AotNet.Generators.Tests.Support;
using Xunit.Abstractions;

namespace AotNet.Generators.Tests.Execution;

/// <summary>(b) The generated Compiled output and Step loss agree with the eager method to 1e-5 (relative, or absolute below 1).</summary>
public class EagerAgreementTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-5;

    [Theory]
    [MemberData(nameof(ExecutionCases.Names), MemberType = typeof(ExecutionCases))]
    public void StepLossAndCompiledLossMatchEager(string name)
    {
        var test = ExecutionCases.All[name]();
        float eager = test.Eager();
        float step = test.Step();
        float compiled = test.Compiled();
        Assert.True(float.IsFinite(eager) && eager != 0f, $"eager loss {eager} is not a useful reference");
        double stepError = Relative(step, eager), compiledError = Relative(compiled, eager);
        output.WriteLine($"{name}: eager {eager:G9}, step {step:G9} ({stepError:G3}), compiled {compiled:G9} ({compiledError:G3})");
        Assert.True(stepError <= Tolerance, $"step loss {step:G9} vs eager {eager:G9}");
        Assert.True(compiledError <= Tolerance, $"compiled loss {compiled:G9} vs eager {eager:G9}");
    }

    public static TheoryData<string> Forwards() => new(ForwardCases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Forwards))]
    public void CompiledOutputMatchesEager(string name)
    {
        var (eager, compiled) = ForwardCases[name]();
        double error = TensorData.MaxRelativeDifference(compiled, eager);
        output.WriteLine($"{name}: largest relative difference {error:G3} over {eager.Length} elements");
        Assert.True(eager.Span.ToArray().Any(v => v != 0f), "eager output is all zero");
        Assert.True(error <= Tolerance, $"{name}: compiled differs from eager by {error:G3}");
    }

    [Fact]
    public void CompiledOutputIsAFreshTensorEachCall()
    {
        var model = new Mlp();
        var x = TensorData.Uniform(new Rng(3), 2, 784);
        var first = model.ForwardCompiled(x);
        var copy = first.ToArray();
        var second = model.ForwardCompiled(TensorData.Uniform(new Rng(4), 2, 784));
        Assert.NotSame(first, second);
        Assert.Equal(copy, first.ToArray());
    }

    static readonly Dictionary<string, Func<(Tensor Eager, Tensor Compiled)>> ForwardCases = new(StringComparer.Ordinal)
    {
        ["Mlp.Forward"] = () =>
        {
            var (m, x) = (new Mlp(), TensorData.Uniform(new Rng(201), 64, 784));
            return (m.Forward(x), m.ForwardCompiled(x));
        },
        ["MatMul.Product"] = () =>
        {
            var rng = new Rng(202);
            var (m, a, b) = (new MatMulModel(), TensorData.Uniform(rng, 7, 4), TensorData.Uniform(rng, 4, 3));
            return (m.Product(a, b), m.ProductCompiled(a, b));
        },
        ["MatMul.Project"] = () =>
        {
            var (m, x) = (new MatMulModel(), TensorData.Uniform(new Rng(203), 7, 4));
            return (m.Project(x), m.ProjectCompiled(x));
        },
        ["Linear.WithBias"] = () =>
        {
            var (m, x) = (new LinearModel(), TensorData.Uniform(new Rng(204), 7, 5));
            return (m.ForwardWithBias(x), m.ForwardWithBiasCompiled(x));
        },
        ["Linear.NoBias"] = () =>
        {
            var (m, x) = (new LinearModel(), TensorData.Uniform(new Rng(205), 7, 5));
            return (m.ForwardNoBias(x), m.ForwardNoBiasCompiled(x));
        },
        ["Add.Row"] = () =>
        {
            var rng = new Rng(206);
            var (m, a, row) = (new BroadcastModel(), TensorData.Uniform(rng, 7, 5), TensorData.Uniform(rng, 5));
            return (m.AddRow(a, row), m.AddRowCompiled(a, row));
        },
        ["Mul.Outer"] = () =>
        {
            var rng = new Rng(207);
            var (m, col, row) = (new BroadcastModel(), TensorData.Uniform(rng, 7, 1), TensorData.Uniform(rng, 1, 5));
            return (m.Outer(col, row), m.OuterCompiled(col, row));
        },
        ["Operators"] = () =>
        {
            var rng = new Rng(208);
            var (m, a, row, col) = (new BroadcastModel(), TensorData.Uniform(rng, 7, 5), TensorData.Uniform(rng, 5), TensorData.Uniform(rng, 7, 1));
            return (m.Operators(a, row, col), m.OperatorsCompiled(a, row, col));
        },
        ["Activations"] = () =>
        {
            var (m, x) = (new ActivationModel(), TensorData.Uniform(new Rng(209), 7, 6));
            return (m.Activations(x), m.ActivationsCompiled(x));
        },
        ["LogSoftmax"] = () =>
        {
            var (m, x) = (new SoftmaxModel(), TensorData.Uniform(new Rng(210), 7, 5));
            return (m.LogProbabilities(x), m.LogProbabilitiesCompiled(x));
        },
        ["Submodule.Forward"] = () =>
        {
            var (m, x) = (new SubmoduleModel(), TensorData.Uniform(new Rng(211), 7, 4));
            return (m.Forward(x), m.ForwardCompiled(x));
        },
    };

    static double Relative(float actual, float expected) => Math.Abs((double)actual - expected) / Math.Max(1.0, Math.Abs(expected));
}
