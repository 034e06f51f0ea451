using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Imports;

/// <summary>
/// A [Differentiable] module compiled in one assembly, used by a model in another that sees only
/// the compiled library: the model's generator reads the description the library's generator
/// wrote, and the result must be the model it would have built from the module's source.
/// </summary>
public class ImportedModuleTests
{
    const string Library = """
        namespace Gates;

        /// <summary>x + σ(gate(x)) ⊙ value(x), or without the residual.</summary>
        public sealed partial class GatedBlock : Module
        {
            public GatedBlock(int dim, int seed, bool residual = true)
            {
                Dim = dim;
                Residual = residual;
                Gate = new Linear(dim, dim, rng: new Rng((ulong)seed));
                Value = new Linear(dim, dim, bias: false, rng: new Rng((ulong)seed + 100));
                var scale = new Tensor(dim);
                Init.Uniform(scale, 0.5f, 1.5f, new Rng((ulong)seed + 200));
                Scale = new Parameter(scale);
            }

            public int Dim { get; }
            public bool Residual { get; }
            public Linear Gate { get; }
            public Linear Value { get; }

            [Shape(nameof(Dim))]
            public Parameter Scale { get; }

            [Differentiable]
            public Tensor Forward(Tensor x)
            {
                var gated = Sigmoid(Gate.Forward(x)) * Value.Forward(x) * Scale;
                if (Residual)
                {
                    return x + gated;
                }
                return gated;
            }
        }
        """;

    const string Model = """
        using Gates;

        public sealed partial class Classifier : Module
        {
            readonly GatedBlock first = new(4, seed: 1);
            readonly GatedBlock second = new(4, 2, residual: false);
            readonly ModuleList<GatedBlock> stack = new(3, i => new GatedBlock(4, seed: 10 + i));
            readonly Linear head = new(4, 3, rng: new Rng(3));

            [Differentiable]
            public Tensor Loss([Shape("N", 4)] Tensor x, [Shape("N")] Labels y)
            {
                var h = second.Forward(first.Forward(x));
                foreach (var block in stack)
                {
                    h = block.Forward(h);
                }
                return CrossEntropy(head.Forward(h), y);
            }
        }

        public sealed partial class Sized : Module
        {
            readonly GatedBlock block;
            readonly Linear head;

            public Sized(int width)
            {
                block = new GatedBlock(width, seed: 7);
                head = new Linear(width, 2, rng: new Rng(8));
            }

            [Differentiable]
            public Tensor Loss([Shape("N", "D")] Tensor x, [Shape("N")] Labels y) => CrossEntropy(head.Forward(block.Forward(x)), y);
        }
        """;

    static readonly Lazy<TwoAssemblies> Built = new(() => TwoAssemblies.Build(Library, Model));
    static readonly Lazy<Assembly> OneAssembly = new(() => InMemoryModels.Build(Library.Replace("namespace Gates;", "") + "\n" + Model.Replace("using Gates;", "")));

    static (Tensor X, Labels Y) Batch(int n, int width, int classes) =>
        (new Tensor(Enumerable.Range(0, n * width).Select(i => 0.29f * ((i * 5) % 13) - 1.7f).ToArray(), n, width),
         new Labels(Enumerable.Range(0, n).Select(i => (i * 2) % classes).ToArray()));

    [Fact]
    public void TheLibraryCarriesADescriptionOfItsModule()
    {
        var description = Assert.Single(Built.Value.Library.Files, f => f.Key.EndsWith(".Description.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("[assembly: global::AotNet.Compiled.ModuleDescription(typeof(global::Gates.GatedBlock), 1, \"Library.cs\"", description);
        Assert.Contains("public Tensor Forward(Tensor x)", description);
        var attribute = Built.Value.LibraryAssembly.GetCustomAttributes<AotNet.Compiled.ModuleDescriptionAttribute>().Single();
        Assert.Equal("GatedBlock", attribute.Module.Name);
        // The declaration keeps its line, so what the consumer's generator says about it names the line its author sees.
        int line = Library.Split('\n').ToList().FindIndex(l => l.Contains("public sealed partial class GatedBlock", StringComparison.Ordinal)) + GeneratorHarness.Prelude.Count(c => c == '\n');
        Assert.StartsWith("public sealed partial class GatedBlock", attribute.Source.Split('\n')[line].TrimStart());
    }

    [Fact]
    public void AModelInAnotherAssemblyGetsTheGradientsOfTheSameModelBuiltInOne()
    {
        Module imported = InMemoryModels.New(Built.Value.ConsumerAssembly, "Classifier");
        Module local = InMemoryModels.New(OneAssembly.Value, "Classifier");
        Assert.Equal(local.NamedParameters().Select(p => p.Key), imported.NamedParameters().Select(p => p.Key));
        Assert.Contains("stack.2.Gate.weight", imported.NamedParameters().Select(p => p.Key));
        var (x, y) = Batch(5, 4, 3);
        float expected = (float)InMemoryModels.Call(local, "LossStep", x, y)!;
        float actual = (float)InMemoryModels.Call(imported, "LossStep", x, y)!;
        Assert.Equal(expected, actual);
        foreach (var (want, got) in local.NamedParameters().Zip(imported.NamedParameters()))
        {
            Assert.Equal(want.Value.Grad.Span.ToArray(), got.Value.Grad.Span.ToArray());
            Assert.Contains(got.Value.Grad.Span.ToArray(), g => g != 0);
        }
        var eager = (Tensor)InMemoryModels.Call(imported, "Loss", x, y)!;
        Assert.Equal(eager[0], actual, 5);
        var targets = imported.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(imported, "Loss", x, y)!)[0], () => InMemoryModels.Call(imported, "LossStep", x, y), targets);
    }

    [Fact]
    public void TheStackOfImportedBlocksStaysALoopAndCommentsNameTheModelsLines()
    {
        string code = Built.Value.Consumer.Files[Built.Value.Consumer.Files.Keys.Single(k => k.StartsWith("Classifier.Loss", StringComparison.Ordinal))];
        Assert.Contains("LossStackLoopStep", code);
        Assert.DoesNotContain("Library.cs", code);
        Assert.Contains("(Model.cs:", code);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    public void AnImportedModulesSizesKnownOnlyAtRunTimeAreReadThen(int width)
    {
        Module model = (Module)Activator.CreateInstance(Built.Value.ConsumerAssembly.GetType("Sized")!, width)!;
        var (x, y) = Batch(4, width, 2);
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        var eager = (Tensor)InMemoryModels.Call(model, "Loss", x, y)!;
        Assert.Equal(eager[0], loss, 5);
        var targets = model.NamedParameters().Select(p => new GradTarget(p.Key, p.Value.Value, p.Value.Grad)).ToList();
        GradCheck.Check(() => ((Tensor)InMemoryModels.Call(model, "Loss", x, y)!)[0], () => InMemoryModels.Call(model, "LossStep", x, y), targets);
    }

    [Fact]
    public void AMemberTheInlinedCodeMustReadIsPublicOrTheCallIsRefusedWhereTheModelMakesIt()
    {
        const string library = """
            namespace Hidden;

            public sealed partial class Block : Module
            {
                internal readonly Linear inner = new(4, 4);

                [Differentiable]
                public Tensor Forward(Tensor x) => Relu(inner.Forward(x));
            }
            """;
        const string model = """
            public sealed partial class Model : Module
            {
                readonly Hidden.Block block = new();

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => block.Forward(x);
            }
            """;
        var (_, image) = TwoAssemblies.BuildLibrary(library, "HiddenLibrary");
        var run = TwoAssemblies.RunConsumer(model, image);
        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("AOTNET0015", error.Id);
        Assert.Contains("'inner' of 'Block' is not public", error.GetMessage());
        Assert.Contains("'HiddenLibrary'", error.GetMessage());
        Assert.Equal("Model.cs", Path.GetFileName(error.Location.SourceTree?.FilePath));
        Assert.Contains("block.Forward(x)", error.Location.SourceTree!.ToString().Substring(error.Location.SourceSpan.Start, error.Location.SourceSpan.Length));
    }

    [Fact]
    public void AModuleCompiledWithoutTheGeneratorIsRefusedSayingItHasNoDescription()
    {
        const string library = """
            namespace Plain;

            public sealed class Block : Module
            {
                public Linear Inner { get; } = new(4, 4);

                [Differentiable]
                public Tensor Forward(Tensor x) => Relu(Inner.Forward(x));

                public override void VisitMembers(IModuleVisitor visitor) => visitor.Module("inner", Inner);
            }
            """;
        const string model = """
            public sealed partial class Model : Module
            {
                readonly Plain.Block block = new();

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => block.Forward(x);
            }
            """;
        var (_, image) = TwoAssemblies.BuildLibrary(library, "PlainLibrary", withGenerator: false);
        var run = TwoAssemblies.RunConsumer(model, image);
        var error = Assert.Single(run.GeneratorDiagnostics);
        Assert.True(error.Id == "AOTNET0003", error.ToString());
        Assert.Contains("'Block.Forward' cannot be read: it is compiled in 'PlainLibrary', which carries no description of it", error.GetMessage());
        Assert.Equal("Model.cs", Path.GetFileName(error.Location.SourceTree?.FilePath));
    }
}
