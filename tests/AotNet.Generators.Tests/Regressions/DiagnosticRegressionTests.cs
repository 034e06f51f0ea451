using AotNet.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Tests.Regressions;

/// <summary>
/// Errors the generator once got wrong: members it silently left out, null literals that crashed
/// it, one bad name that drew errors on valid code, and messages that blamed the wrong thing.
/// </summary>
public class DiagnosticRegressionTests
{
    public static TheoryData<string, string> HiddenMemberTypes => new()
    {
        { "System.Collections.Generic.List<Block>", "List<Block>" },
        { "Parameter[]", "array" },
        { "System.Collections.Generic.Dictionary<string, Linear>", "Dictionary<string, Linear>" },
    };

    [Theory]
    [MemberData(nameof(HiddenMemberTypes))]
    public void ACollectionOfModulesIsAnErrorNotAnOmission(string type, string described)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + $$"""
            public sealed partial class Block : Module
            {
                readonly Linear fc = new(4, 4);

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => fc.Forward(x);
            }

            public sealed partial class Model : Module
            {
                internal readonly {{type}} blocks = null!;
                readonly Linear head = new(4, 2);

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => head.Forward(x);
            }
            """);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("AOTNET0012", diagnostic.Id);
        Assert.Equal("blocks", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(described, message, StringComparison.Ordinal);
        Assert.Contains("would not be trained, optimised or saved", message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> NullBodies => new()
    {
        { "=> Relu(null!);", "null!" },
        { "=> Relu(default!);", "default!" },
        { "=> null!;", "null!" },
        { "{ Tensor h = null!; return h; }", "h" },
        { "=> x + null!;", "null!" },
    };

    [Theory]
    [MemberData(nameof(NullBodies))]
    public void NullIsAnErrorAtItsOwnSpanAndOtherModelsStillGenerate(string body, string span)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + $$"""
            public sealed partial class Broken
            {
                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) {{body}}
            }

            public sealed partial class Fine
            {
                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => Tanh(x);
            }
            """);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "CS8785");
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("AOTNET0003", diagnostic.Id);
        Assert.Contains("null", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(span, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Contains("Fine.Forward.g.cs", run.Files.Keys);
    }

    [Fact]
    public void OneUnresolvedNameGivesOnlyTheCompilersErrorAndCallersStillSeeTheMembers()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + """
            public sealed partial class Model : Module
            {
                readonly Linear fc = new(4, 3);

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x)
                {
                    var h = fc.Forward(x);
                    return Relu(hh);
                }

                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);
            }

            public static class Caller
            {
                public static float Train(Model model, Tensor x, Labels y) => model.LossStep(x, y) + model.ForwardCompiled(x)[0];
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        var errors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var only = Assert.Single(errors);
        Assert.Equal("CS0103", only.Id);
        Assert.Contains("hh", only.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void RecursionBlamesTheMethodThatRecursesNotTheOneReadingBeganAt()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + """
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => Relu(Ping(x));

                [Differentiable]
                public Tensor Ping([Shape("N", 4)] Tensor x) => Tanh(Pong(x));

                [Differentiable]
                public Tensor Pong([Shape("N", 4)] Tensor x) => Sigmoid(Ping(x));
            }
            """);
        var forward = run.GeneratorDiagnostics.Where(d => d.Id == "AOTNET0007").Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(forward);
        Assert.All(forward, message => Assert.DoesNotContain("'Forward'", message, StringComparison.Ordinal));
        Assert.Contains(forward, message => message.StartsWith("'Ping' calls itself through 'Pong' → 'Ping'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("out", "out Tensor x")]
    [InlineData("ref", "[Shape(\"N\", 4)] ref Tensor x")]
    public void AByReferenceInputSaysWhichKind(string kind, string parameter)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + $$"""
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Forward({{parameter}}) { x = null!; return x; }
            }
            """);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("AOTNET0008", diagnostic.Id);
        Assert.Contains($"'{kind}' parameter 'x'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
