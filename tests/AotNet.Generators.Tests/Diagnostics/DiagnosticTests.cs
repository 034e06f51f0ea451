using AotNet.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Tests.Diagnostics;

/// <summary>One test per diagnostic id: the source that triggers it, where it points, and what it says.</summary>
public class DiagnosticTests
{
    [Fact]
    public void AOTNET0001_TypeNotPartial() => AssertSingle("""
        public sealed class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Relu(x);
        }
        """, "AOTNET0001", "Model", "'Model'", "partial");

    [Fact]
    public void AOTNET0001_ContainingTypeNotPartial() => AssertSingle("""
        public class Outer
        {
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => Relu(x);
            }
        }
        """, "AOTNET0001", "Outer", "'Outer'", "partial");

    [Fact]
    public void AOTNET0002_UnsupportedStatement() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x)
            {
                Console.WriteLine("forward");
                return Relu(x);
            }
        }
        """, "AOTNET0002", "Console.WriteLine(\"forward\");", "static graph", "local declarations", "loops over module lists");

    [Fact]
    public void AOTNET0003_UnsupportedExpression() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Relu(x.Clone());
        }
        """, "AOTNET0003", "x.Clone()", "'x.Clone()' is not differentiable", "Tensor.Clone", "neither an AotNet op");

    [Fact]
    public void AOTNET0003_GradientThroughArgmax() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 3)] Tensor x, [Shape("N", 3)] Tensor z) => CrossEntropy(z, Argmax(x, 1));
        }
        """, "AOTNET0003", "Argmax(x, 1)", "integer indices", "'x'", "no gradient");

    [Fact]
    public void AOTNET0003_ParametersOnlyThroughArgmax() => AssertSingle("""
        public sealed partial class Model : Module
        {
            internal readonly Linear fc = new(3, 3, rng: new Rng(1));

            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N", 3)] Tensor z) => CrossEntropy(z, Argmax(fc.Forward(x), -1));
        }
        """, "AOTNET0003", "Argmax(fc.Forward(x), -1)", "integer indices", "fc.weight");

    [Fact]
    public void AOTNET0003_AxesOnlyKnownWhenTheCodeRuns() => AssertSingle("""
        public sealed partial class Model
        {
            int[] _axes = [1];

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Sum(x, _axes);
        }
        """, "AOTNET0003", "_axes", "'axes' of F.Sum", "must be a constant");

    [Fact]
    public void AOTNET0003_KeepDimOnlyKnownWhenTheCodeRuns() => AssertSingle("""
        public sealed partial class Model
        {
            public bool Keep { get; set; }

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Max(x, [1], keepDim: Keep);
        }
        """, "AOTNET0003", "Keep", "'keepDim' of F.Max", "must be a constant");

    [Fact]
    public void AOTNET0003_SlopeOnlyKnownWhenTheCodeRuns() => AssertSingle("""
        public sealed partial class Model
        {
            float _slope = 0.1f;

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => LeakyRelu(x, _slope);
        }
        """, "AOTNET0003", "_slope", "'negativeSlope' of F.LeakyRelu", "must be a constant");

    [Fact]
    public void AOTNET0004_UnknownGeluApproximation() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Gelu(x, "fast");
        }
        """, "AOTNET0004", "Gelu(x, \"fast\")", "approximate must be \"none\" or \"tanh\"", "got fast");

    [Fact]
    public void AOTNET0004_ClampWithoutBounds() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Clamp(x);
        }
        """, "AOTNET0004", "Clamp(x)", "at least one of min and max");

    [Fact]
    public void AOTNET0004_AxisOutOfRange() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Mean(x, new[] { 0, -3 });
        }
        """, "AOTNET0004", "Mean(x, new[] { 0, -3 })", "out of range");

    [Fact]
    public void AOTNET0004_ShapeMismatch() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 3)] Tensor a, [Shape("N", 4)] Tensor b) => Add(a, b);
        }
        """, "AOTNET0004", "Add(a, b)", "[N, 3]", "[N, 4]", "do not broadcast");

    [Fact]
    public void AOTNET0004_LinearInputFeatures() => AssertSingle("""
        public sealed partial class Model : Module
        {
            readonly Linear fc = new(5, 2);

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => fc.Forward(x);
        }
        """, "AOTNET0004", "fc.Forward(x)", "expects 5 input features", "[N, 4]");

    [Fact]
    public void AOTNET0005_InputWithoutShape() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x, Tensor y) => Relu(x + y);
        }
        """, "AOTNET0005", "y", "Input 'y'", "no [Shape]");

    [Fact]
    public void AMethodWithoutShapesIsABuildingBlockWithoutEntryPoints()
    {
        // Like Linear.Forward: it compiles into its callers, which give its inputs their shapes.
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + """
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Forward(Tensor x) => Relu(x);
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Assert.DoesNotContain(run.Files.Values, text => text.Contains("ForwardCompiled"));
    }

    [Fact]
    public void AOTNET0005_LabelsWithoutDimensions() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape()] Labels y) => CrossEntropy(x, y);
        }
        """, "AOTNET0005", "y", "Input 'y'", "at least one dimension");

    [Fact]
    public void AOTNET0004_LabelsOfTheWrongShape() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N", 1)] Labels y) => CrossEntropy(x, y);
        }
        """, "AOTNET0004", "CrossEntropy(x, y)", "labels");

    [Fact]
    public void AOTNET0003_PieceIndexNotConstant() => AssertSingle("""
        public sealed partial class Model
        {
            static int k = 1;

            [Differentiable]
            public Tensor Forward([Shape(2, 4)] Tensor x)
            {
                Tensor[] parts = Chunk(x, 2, 1);
                return parts[k];
            }
        }
        """, "AOTNET0003", "k", "must be a constant");

    [Fact]
    public void AOTNET0003_PieceIndexOutOfRange() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape(2, 5)] Tensor x) => Split(x, 2, 1)[3];
        }
        """, "AOTNET0003", "3", "out of range for the 3 pieces");

    [Fact]
    public void AOTNET0003_PieceIndexFromTheEndOutOfRange() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape(2, 4)] Tensor x) => Chunk(x, 2, 1)[^3];
        }
        """, "AOTNET0003", "^3", "out of range for the 2 pieces");

    [Fact]
    public void AOTNET0003_IndexingAnArrayThatIsNotPieces() => AssertSingle("""
        public sealed partial class Model
        {
            static readonly Tensor[] Fixed = [new Tensor(2, 4)];

            [Differentiable]
            public Tensor Forward([Shape(2, 4)] Tensor x) => x * Fixed[0];
        }
        """, "AOTNET0003", "Fixed");

    [Fact]
    public void AOTNET0004_ChunkOfASymbolicAxis() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Chunk(x, 2, 0)[0];
        }
        """, "AOTNET0004", "Chunk(x, 2, 0)", "number of pieces is not known");

    [Fact]
    public void AOTNET0004_ChunkCountReadOffATensor() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Chunk(x, x.Dim(0), 1)[0];
        }
        """, "AOTNET0004", "Chunk(x, x.Dim(0), 1)", "must be a constant");

    [Fact]
    public void AOTNET0004_SliceStartReadOffATensor() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => x.Slice(1, x.Dim(0));
        }
        """, "AOTNET0004", "x.Slice(1, x.Dim(0))", "must be constants");

    [Fact]
    public void AOTNET0004_GatherAxisReadOffATensor() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x, [Shape("N", 2)] Labels i) => Gather(x, x.Dim(0), i);
        }
        """, "AOTNET0004", "Gather(x, x.Dim(0), i)", "must be a constant");

    [Fact]
    public void AOTNET0004_GatherIndexOfAnotherRank() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape(2, 4)] Tensor x, [Shape(2)] Labels i) => Gather(x, 1, i);
        }
        """, "AOTNET0004", "Gather(x, 1, i)", "rank");

    [Fact]
    public void AOTNET0004_SliceStepBelowOne() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape(2, 4)] Tensor x) => Slice(x, 1, 0, 4, 0);
        }
        """, "AOTNET0004", "Slice(x, 1, 0, 4, 0)", "step must be at least 1");

    [Fact]
    public void AOTNET0014_LinearWhoseBiasIsNotKnown() => AssertSingle("""
        public sealed partial class Model : Module
        {
            static bool withBias = true;
            readonly Linear fc = new(4, 2, bias: withBias);

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => fc.Forward(x);
        }
        """, "AOTNET0014", "fc.Forward(x)", "'Bias is null'", "known only when the code runs");

    [Fact]
    public void AProblemInASubmoduleThatSeveralMethodsReachIsReportedOnce() => AssertSingleDiagnostic("""
        public sealed partial class Block : Module
        {
            internal readonly Linear fc = new(4, 4);

            [Differentiable]
            public Tensor Forward(Tensor x) => fc.Forward(x) * x.Clone();
        }

        public sealed partial class Model : Module
        {
            readonly Block block = new();

            [Differentiable]
            public Tensor Logits([Shape("N", 4)] Tensor x) => block.Forward(x);

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Logits(x), y);

            [Differentiable]
            public Tensor Doubled([Shape("N", 4)] Tensor x) => block.Forward(x) * 2f;
        }
        """, "AOTNET0003", "x.Clone()", "'Tensor.Clone' is neither an AotNet op");

    [Fact]
    public void AFailedValueInAStackIsReportedOnceNotAtEverySizeReadFromIt() => AssertSingleDiagnostic("""
        public sealed partial class M : Module
        {
            public M(int heads) { Heads = heads; }
            public int Heads { get; }

            [Differentiable]
            public Tensor Forward(Tensor x) => x.View(x.Dim(0), Heads, 2).View(x.Dim(0), 4) * x.Clone();
        }

        public sealed partial class Outer : Module
        {
            readonly ModuleList<M> ms = new(2, _ => new M(2));

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x)
            {
                var h = x;
                foreach (var m in ms)
                {
                    h = m.Forward(h);
                }
                return Sum(h);
            }
        }
        """, "AOTNET0003", "x.Clone()", "'Tensor.Clone' is neither an AotNet op");

    [Fact]
    public void AOTNET0014_LayerCreatedWhereTheGeneratorCannotSee() => AssertSingle("""
        public sealed partial class Model : Module
        {
            readonly Linear fc;

            public Model(Linear layer) { fc = layer; }

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => fc.Forward(x);
        }
        """, "AOTNET0014", "fc.Forward(x)", "configuration of 'fc' (Linear)", "create it with 'new Linear(...)'");

    [Fact]
    public void AOTNET0003_LayerConfigurationNotKnownAtBuildTime() => AssertSingle("""
        public sealed partial class Model : Module
        {
            readonly Dropout drop;

            public Model(float p) { drop = new Dropout(p); }

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => drop.Forward(x);
        }
        """, "AOTNET0003", "drop.Forward(x)", "'P' of 'drop' (Dropout)", "create 'drop' with a constant for it");

    [Fact]
    public void AOTNET0014_ConditionNotKnown() => AssertSingle("""
        public sealed partial class Model : Module
        {
            internal int width = 4;

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x)
            {
                if (width > 2)
                {
                    x = Relu(x);
                }
                return x;
            }
        }
        """, "AOTNET0014", "width > 2", "'width > 2' decides which ops run", "known only when the code runs");

    [Fact]
    public void AOTNET0014_TooManyRunTimeConditions() => AssertSingle("""
        public sealed partial class Model : Module
        {
            internal bool a, b, c, d;

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x)
            {
                if (a) x = Relu(x);
                if (b) x = Tanh(x);
                if (c) x = Sigmoid(x);
                if (d) x = Exp(x);
                return x;
            }
        }
        """, "AOTNET0014", "Forward", "4 values known only at run time", "at most 3");

    [Fact]
    public void AOTNET0007_RecursiveCall() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Relu(Forward(x));
        }
        """, "AOTNET0007", "Forward(x)", "'Forward' calls itself", "unroll");

    [Fact]
    public void AOTNET0008_UnsupportedSignature() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public static Tensor Forward([Shape("N", 4)] Tensor x) => Relu(x);
        }
        """, "AOTNET0008", "Forward", "'Forward'", "instance method");

    [Fact]
    public void AOTNET0008_NonTensorInput() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x, float scale) => Relu(x);
        }
        """, "AOTNET0008", "Forward", "'scale'", "'float'", "AotNet.Tensor or AotNet.Labels");

    [Fact]
    public void AOTNET0009_GradientOfLabels() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [RequiresGrad, Shape("N")] Labels y) => CrossEntropy(x, y);
        }
        """, "AOTNET0009", "y", "'y'", "integer labels", "remove the attribute");

    [Fact]
    public void AOTNET0010_ParameterNeedsShape() => AssertSingle("""
        public sealed partial class Model : Module
        {
            readonly Parameter scale = new(new Tensor(4));

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Mul(x, scale);
        }
        """, "AOTNET0010", "scale", "Parameter 'scale'", "[Shape]", "int constants or as names of int fields");

    [Fact]
    public void AOTNET0005_SymbolNamedLikeAnInput() => AssertSingle("""
        public sealed partial class Model
        {
            [Differentiable]
            public Tensor Forward([Shape("n", 4)] Tensor x, [Shape(4)] Tensor n) => Add(x, n);
        }
        """, "AOTNET0005", "x", "Input 'x'", "\"n\"", "also the name of an input");

    [Fact]
    public void AOTNET0011_PrivateSubmoduleMember()
    {
        var run = AssertSingleDiagnostic("""
        public sealed partial class Block : Module
        {
            readonly Linear fc = new(4, 3);

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => Relu(fc.Forward(x));
        }

        public sealed partial class Outer : Module
        {
            readonly Block block = new();

            [Differentiable]
            public Tensor Forward([Shape("N", 4)] Tensor x) => block.Forward(x);
        }
        """, "AOTNET0011", "fc", "'fc' is private to 'Block'", "'Outer'", "make 'fc' internal or public");
        // Block itself compiles fine; only the model that inlines it is refused.
        Assert.DoesNotContain("not compiled", run.Files["Block.Forward.g.cs"], StringComparison.Ordinal);
        Assert.Contains("has build errors, so it was not compiled", run.Files["Outer.Forward.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void ValidModelHasNoDiagnostics()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + Generation.SnapshotSources.Mlp);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        Assert.NotEmpty(run.Files);
    }

    /// <summary>docs/diagnostics.md in the repository the package names: RepositoryUrl and RepositoryBranch of Directory.Build.props.</summary>
    static string DiagnosticsDocUrl
    {
        get
        {
            var props = System.Xml.Linq.XDocument.Load(Path.Combine(RepoPaths.RepoRoot, "Directory.Build.props"));
            string Property(string name) => Assert.Single(props.Descendants(name)).Value;
            return $"{Property("RepositoryUrl").TrimEnd('/')}/blob/{Property("RepositoryBranch")}/docs/diagnostics.md#";
        }
    }

    [Fact]
    public void EveryHelpLinkIsItsSectionOfDiagnosticsDocInThePackageRepository()
    {
        string docs = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics.md"));
        foreach (var descriptor in AotNet.Generators.Diagnostics.DescriptorsById.Every)
        {
            string anchor = descriptor.Id.ToLowerInvariant();
            Assert.Equal(DiagnosticsDocUrl + anchor, descriptor.HelpLinkUri);
            Assert.Contains($"<a id=\"{anchor}\"></a>", docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryIdHasASectionInDiagnosticsDoc()
    {
        var ids = AotNet.Generators.Diagnostics.DescriptorsById.Every.Select(d => d.Id).ToList();
        Assert.Equal(14, ids.Count);
        string docs = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "docs", "diagnostics.md"));
        foreach (var id in ids)
        {
            Assert.Contains($"<a id=\"{id.ToLowerInvariant()}\"></a>", docs, StringComparison.Ordinal);
            Assert.Contains($"## {id}", docs, StringComparison.Ordinal);
        }
    }

    /// <summary>Asserts the generator reports exactly one diagnostic, an error with this id, pointing at <paramref name="spanText"/>, whose message has every keyword.</summary>
    static void AssertSingle(string source, string id, string spanText, params string[] keywords)
    {
        var run = AssertSingleDiagnostic(source, id, spanText, keywords);
        // The method's members are still declared, so callers compile against them, but nothing is generated for it.
        Assert.All(run.Files.Where(f => !f.Key.EndsWith(".Members.g.cs", StringComparison.Ordinal) && !f.Key.EndsWith(".Description.g.cs", StringComparison.Ordinal)),
            f => Assert.Contains("has build errors, so it was not compiled", f.Value, StringComparison.Ordinal));
    }

    /// <summary>The checks of <see cref="AssertSingle"/> except the one on generated files, for sources where another type still generates.</summary>
    static GeneratorRun AssertSingleDiagnostic(string source, string id, string spanText, params string[] keywords)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + source);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.True(diagnostic.Location.IsInSource, $"{id} has no source location");
        Assert.Equal(spanText, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string keyword in keywords)
        {
            Assert.Contains(keyword, message, StringComparison.Ordinal);
        }
        Assert.Equal(DiagnosticsDocUrl + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri);
        return run;
    }
}
