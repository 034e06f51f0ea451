using AotNet.Generators.Tests.Support;
using Xunit.Abstractions;
using static AotNet.Generators.Tests.Contract.FixtureGradientTests;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// The generated inference method of every binding, on every fixture case: against the eager F
/// method called directly, against PyTorch, and against the naive reference (which shares no
/// kernel with either). The naive reference is itself checked against PyTorch here.
/// </summary>
public class FixtureForwardTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(FixtureModels.Names), MemberType = typeof(FixtureModels))]
    public void GeneratedForwardMatchesEagerPyTorchAndNaiveReference(string name)
    {
        var run = FixtureModels.Run(name);
        var fixture = run.Case.Fixture;
        var pytorch = new NaiveTensor(fixture.Output.Shape, fixture.Output.Data.Select(v => (double)v).ToArray());
        var compiled = run.ForwardCompiled();
        var eager = run.Eager();
        var naive = run.Naive();

        double versusEager = NaiveReference.MaxError(compiled, NaiveTensor.Of(eager));
        double versusPyTorch = NaiveReference.MaxError(compiled, pytorch);
        double versusNaive = naive is null ? 0 : NaiveReference.MaxError(compiled, naive);
        double naiveVersusPyTorch = naive is null ? 0 : MaxError(naive, pytorch);
        output.WriteLine($"{name}: generated vs eager {versusEager:G3}, vs PyTorch {versusPyTorch:G3}, vs naive {versusNaive:G3}; naive vs PyTorch {naiveVersusPyTorch:G3}");
        Assert.True(versusEager <= ValueTolerance, $"{name}: generated forward differs from eager F by {versusEager:G3}");
        Assert.True(versusPyTorch <= ValueTolerance, $"{name}: generated forward differs from PyTorch by {versusPyTorch:G3}");
        Assert.True(versusNaive <= ValueTolerance, $"{name}: generated forward differs from the naive reference by {versusNaive:G3}");
        Assert.True(naiveVersusPyTorch <= ValueTolerance, $"{name}: the naive reference differs from PyTorch by {naiveVersusPyTorch:G3}");
    }

    static double MaxError(NaiveTensor actual, NaiveTensor expected)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        return actual.Data.Zip(expected.Data, Relative).DefaultIfEmpty(0).Max();
    }
}
