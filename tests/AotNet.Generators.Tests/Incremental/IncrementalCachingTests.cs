using AotNet.Generators.Tests.Generation;
using AotNet.Generators.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Steps = AotNet.Generators.DifferentiableGenerator.Steps;

namespace AotNet.Generators.Tests.Incremental;

/// <summary>DESIGN §8: the pipeline caches across edits that do not touch a model, and carries no Roslyn objects.</summary>
public class IncrementalCachingTests
{
    static readonly string[] PipelineSteps = [Steps.Parse, Steps.Models, Steps.Emit, Steps.ModuleTypes];

    const string ModelPath = "Models/Mlp.cs";
    const string OtherPath = "Other.cs";
    const string Other = "namespace Elsewhere;\n\npublic static class Helpers\n{\n    public static int Twice(int x) => 2 * x;\n}\n";

    [Fact]
    public void AddingAnUnrelatedFileLeavesEveryStepCached()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Extra;\n\npublic sealed class Unrelated { }\n", GeneratorHarness.ParseOptions, "Extra.cs"));
        var steps = TrackedSteps(GeneratorHarness.Run(driver, edited));
        AssertAllReasons(steps, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void EditingAnUnrelatedFileLeavesEveryStepCached()
    {
        var (driver, compilation) = FirstRun();
        var edited = Replace(compilation, OtherPath, Other.Replace("2 * x", "3 * x", StringComparison.Ordinal));
        var steps = TrackedSteps(GeneratorHarness.Run(driver, edited));
        AssertAllReasons(steps, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void CommentInTheModelFileReparsesButChangesNothing()
    {
        var (driver, compilation) = FirstRun();
        var edited = Replace(compilation, ModelPath, GeneratorHarness.Prelude + SnapshotSources.Mlp + "\n// a trailing comment\n");
        var steps = TrackedSteps(GeneratorHarness.Run(driver, edited));
        AssertAllReasons(steps, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.Contains(steps[Steps.Parse], r => r == IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void ChangingALayerSizeModifiesParseModelsAndEmit()
    {
        var (driver, compilation) = FirstRun();
        string source = SnapshotSources.Mlp.Replace("new(128, 10)", "new(128, 12)", StringComparison.Ordinal);
        var run = GeneratorHarness.Run(driver, Replace(compilation, ModelPath, GeneratorHarness.Prelude + source));
        var steps = TrackedSteps(run);
        foreach (var step in new[] { Steps.Parse, Steps.Models, Steps.Emit })
        {
            Assert.Contains(IncrementalStepRunReason.Modified, steps[step]);
        }
        Assert.Contains("N, 12", run.Files["Models.Mlp.Forward.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void ChangingTheBodyModifiesParseModelsAndEmit()
    {
        var (driver, compilation) = FirstRun();
        string source = SnapshotSources.Mlp.Replace("var h2 = Relu(", "var h2 = Tanh(", StringComparison.Ordinal);
        var run = GeneratorHarness.Run(driver, Replace(compilation, ModelPath, GeneratorHarness.Prelude + source));
        var steps = TrackedSteps(run);
        foreach (var step in new[] { Steps.Parse, Steps.Models, Steps.Emit })
        {
            Assert.Contains(IncrementalStepRunReason.Modified, steps[step]);
        }
        Assert.Contains("Tanh", run.Files["Models.Mlp.Forward.g.cs"], StringComparison.Ordinal);
        // The member list did not change, so VisitMembers is not re-emitted.
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, steps[Steps.ModuleTypes]);
    }

    [Fact]
    public void NoRoslynObjectInAnyStepOutput()
    {
        // A valid model and one with a diagnostic, so models, module types and diagnostics all flow.
        const string broken = "public sealed partial class Broken\n{\n    [Differentiable]\n    public Tensor Forward([Shape(\"N\", 4)] Tensor x, Tensor y) => Relu(x);\n}\n";
        var compilation = GeneratorHarness.Compile(
            (GeneratorHarness.Prelude + SnapshotSources.Mlp, ModelPath),
            (GeneratorHarness.Prelude + SnapshotSources.Submodule.Replace("namespace Models;", "namespace Sub;", StringComparison.Ordinal), "Sub.cs"),
            (GeneratorHarness.Prelude + broken, "Broken.cs"));
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(trackSteps: true), compilation);
        var tracked = run.Result.Results.Single().TrackedSteps;
        foreach (var name in PipelineSteps.Append(Steps.Diagnostics))
        {
            Assert.True(tracked.ContainsKey(name), $"step {name} is not tracked");
        }
        int outputs = 0;
        var problems = new List<string>();
        // Roslyn tracks its own internal steps of ForAttributeWithMetadataName too; those may
        // hold syntax. The generator's named steps must not.
        foreach (var (name, runs) in tracked.Where(t => PipelineSteps.Contains(t.Key) || t.Key == Steps.Diagnostics))
        {
            foreach (var (step, s) in runs.Select((step, s) => (step, s)))
            {
                foreach (var (output, o) in step.Outputs.Select((output, o) => (output, o)))
                {
                    outputs++;
                    problems.AddRange(RoslynObjectFinder.Find(output.Value, $"{name}[{s}].Outputs[{o}]"));
                }
            }
        }
        Assert.True(outputs >= 8, $"only {outputs} step outputs were walked");
        Assert.Empty(problems);
    }

    [Fact]
    public void FinderReportsARoslynObjectHiddenInATupleInsideAnArray()
    {
        var tree = CSharpSyntaxTree.ParseText("class C { }");
        var value = new object[] { 1, ("name", tree.GetRoot().GetLocation()) };
        var found = RoslynObjectFinder.Find(value, "value");
        Assert.Equal("value[1].Item2", Assert.Single(found).Split(':')[0]);
    }

    static (GeneratorDriver Driver, Compilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compile((GeneratorHarness.Prelude + SnapshotSources.Mlp, ModelPath), (Other, OtherPath));
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(trackSteps: true), compilation);
        Assert.Empty(run.GeneratorDiagnostics);
        // Forward, Loss, Members, and the public module's description for other assemblies.
        Assert.Equal(4, run.Files.Count);
        return (run.Driver, compilation);
    }

    static Compilation Replace(Compilation compilation, string path, string text)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path));
    }

    static Dictionary<string, List<IncrementalStepRunReason>> TrackedSteps(GeneratorRun run)
    {
        var tracked = run.Result.Results.Single().TrackedSteps;
        var reasons = new Dictionary<string, List<IncrementalStepRunReason>>(StringComparer.Ordinal);
        foreach (var name in PipelineSteps)
        {
            Assert.True(tracked.TryGetValue(name, out var runs), $"step {name} was not tracked");
            reasons[name] = runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons[name]);
        }
        return reasons;
    }

    static void AssertAllReasons(Dictionary<string, List<IncrementalStepRunReason>> steps, params IncrementalStepRunReason[] allowed)
    {
        foreach (var (name, reasons) in steps)
        {
            Assert.All(reasons, reason => Assert.True(allowed.Contains(reason), $"step {name} reported {reason}"));
        }
    }
}
