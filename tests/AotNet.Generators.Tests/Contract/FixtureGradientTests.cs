using System.Globalization;
using System.Reflection;
using System.Text;
using AotNet.Generators.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// Generated training steps against PyTorch: for every fixture case, a model
/// <c>Loss(args…, w) = Σ op(args…) ⊙ w</c> with every tensor argument [RequiresGrad] is generated,
/// compiled and run, and its input gradients must equal PyTorch's to 1e-4.
/// </summary>
public class FixtureGradientTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    static readonly Lazy<(Assembly Assembly, IReadOnlyList<FixtureCase> Cases)> Compiled = new(CompileAll);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in AllCases())
        {
            data.Add(c.ToString());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedStepGradientsMatchPyTorch(string name)
    {
        var (assembly, cases) = Compiled.Value;
        var fixture = cases.Single(c => c.ToString() == name);
        var type = assembly.GetType("Fixtures." + ClassName(fixture), throwOnError: true)!;
        object model = Activator.CreateInstance(type)!;

        var inputs = fixture.Args.Where(a => a.Kind != "none").ToList();
        var arguments = new List<object>();
        var grads = new List<(string Name, Tensor Buffer)>();
        foreach (var arg in inputs)
        {
            arguments.Add(arg.Kind == "labels" ? new Labels(arg.Data.Select(v => (int)v).ToArray()) : new Tensor(arg.Data.ToArray(), arg.Shape));
        }
        arguments.Add(new Tensor(fixture.GradWeight.Data.ToArray(), fixture.GradWeight.Shape));
        foreach (var arg in inputs.Where(a => a.Kind == "tensor"))
        {
            var buffer = new Tensor(arg.Shape);
            buffer.Span.Fill(float.NaN);
            grads.Add((arg.Name, buffer));
            arguments.Add(buffer);
        }

        float loss = (float)type.GetMethod("LossStep")!.Invoke(model, arguments.ToArray())!;
        double expectedLoss = fixture.Output.Data.Zip(fixture.GradWeight.Data.Length == 1 ? Enumerable.Repeat(fixture.GradWeight.Data[0], fixture.Output.Data.Length) : fixture.GradWeight.Data)
            .Sum(p => (double)p.First * p.Second);
        Assert.True(Math.Abs(loss - expectedLoss) <= Tolerance * Math.Max(1, Math.Abs(expectedLoss)), $"loss {loss} vs PyTorch {expectedLoss}");

        double worst = 0;
        foreach (var (argName, buffer) in grads)
        {
            Assert.True(fixture.Grads.TryGetValue(argName, out var expected), $"the fixture has no gradient for {argName}");
            Assert.Equal(expected.Shape, buffer.Shape.ToArray());
            for (int i = 0; i < expected.Data.Length; i++)
            {
                double error = Math.Abs(buffer[i] - (double)expected.Data[i]) / Math.Max(1, Math.Abs(expected.Data[i]));
                Assert.True(error <= Tolerance, $"{name}: d/d{argName}[{i}] is {buffer[i]:G9}, PyTorch says {expected.Data[i]:G9}");
                worst = Math.Max(worst, error);
            }
        }
        output.WriteLine($"{name}: largest gradient difference from PyTorch {worst:G3}");
    }

    [Fact]
    public void EveryOpWithAFixtureIsCovered()
    {
        var ops = AllCases().Select(c => c.Op).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(OpContractTests.GradientChecks.Keys.Order(StringComparer.Ordinal), ops);
    }

    static IReadOnlyList<FixtureCase> AllCases() => OpContractTests.GradientChecks.Keys
        .Where(op => File.Exists(OpFixtures.PathOf(op)))
        .Order(StringComparer.Ordinal)
        .SelectMany(OpFixtures.Load)
        .Where(c => c.Grads.Count > 0 && c.GradWeight is not null)
        .ToList();

    static (Assembly, IReadOnlyList<FixtureCase>) CompileAll()
    {
        var cases = AllCases();
        var source = new StringBuilder(GeneratorHarness.Prelude).Append("namespace Fixtures;\n\n");
        foreach (var fixture in cases)
        {
            source.Append(ModelSource(fixture));
        }
        var run = GeneratorHarness.Run(source.ToString());
        Assert.Empty(run.GeneratorDiagnostics.Select(d => d.ToString()));
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return (Assembly.Load(stream.ToArray()), cases);
    }

    /// <summary><c>Loss([RequiresGrad, Shape(2, 3)] Tensor a, …, [Shape(2, 3)] Tensor gradWeight) => Sum(Mul(Op(a, …), gradWeight))</c>.</summary>
    static string ModelSource(FixtureCase fixture)
    {
        var parameters = new List<string>();
        var callArguments = new List<string>();
        foreach (var arg in fixture.Args.Where(a => a.Kind != "none"))
        {
            string shape = string.Join(", ", arg.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            parameters.Add(arg.Kind == "labels" ? $"[Shape({shape})] Labels {arg.Name}" : $"[RequiresGrad, Shape({shape})] Tensor {arg.Name}");
            callArguments.Add(arg.Name);
        }
        string outputShape = string.Join(", ", fixture.GradWeight.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        parameters.Add($"[Shape({outputShape})] Tensor gradWeight");
        return $$"""
            public sealed partial class {{ClassName(fixture)}}
            {
                [Differentiable]
                public Tensor Loss({{string.Join(", ", parameters)}}) => Sum(Mul({{fixture.Op}}({{string.Join(", ", callArguments)}}), gradWeight));
            }


            """;
    }

    static string ClassName(FixtureCase fixture) => $"{fixture.Op}_{fixture.Name}";
}
