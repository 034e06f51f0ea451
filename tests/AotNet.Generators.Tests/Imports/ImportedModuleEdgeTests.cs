using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Imports;

/// <summary>
/// Library code a model's project reads differently from the library's own compiler, unless the
/// description is careful: conditional code, names the model's project also declares, nested and
/// inherited modules, and modules that only hold layers.
/// </summary>
public class ImportedModuleEdgeTests
{
    static readonly Tensor X = new(Enumerable.Range(0, 8).Select(i => 0.4f * i - 1.3f).ToArray(), 2, 4);

    /// <summary>Builds the library and the model, and checks the model's compiled forward against its eager one.</summary>
    static Assembly AgreesWithEager(string library, string model, string type, params string[] defines)
    {
        var (_, image) = TwoAssemblies.BuildLibrary(library, "EdgeLibrary", withGenerator: true, defines);
        var assembly = TwoAssemblies.Load(image, TwoAssemblies.RunConsumer(model, image));
        Module instance = InMemoryModels.New(assembly, type);
        var compiled = (Tensor)InMemoryModels.Call(instance, "ForwardCompiled", X)!;
        var eager = (Tensor)InMemoryModels.Call(instance, "Forward", X)!;
        Assert.Equal(eager.Shape.ToArray(), compiled.Shape.ToArray());
        for (int i = 0; i < eager.Length; i++)
        {
            Assert.True(Math.Abs(eager[i] - compiled[i]) <= 1e-5f * (1 + Math.Abs(eager[i])), $"[{i}]: compiled {compiled[i]}, eager {eager[i]}");
        }
        return assembly;
    }

    [Fact]
    public void ConditionalCodeIsReadAsTheLibraryCompiledIt()
    {
        const string library = """
            namespace Lib;

            public sealed partial class Block : Module
            {
                public Linear Inner { get; } = new(4, 4, rng: new Rng(3));

                [Differentiable]
                public Tensor Forward(Tensor x)
                {
            #if FAST
                    return Relu(Inner.Forward(x));
            #else
                    return Tanh(Inner.Forward(x));
            #endif
                }
            }
            """;
        const string model = """
            public sealed partial class Model : Module
            {
                readonly Lib.Block block = new();

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => block.Forward(x);
            }
            """;
        AgreesWithEager(library, model, "Model", "FAST");
        var (run, _) = TwoAssemblies.BuildLibrary(library, "EdgeLibrary", withGenerator: true, "FAST");
        string description = run.Files.Single(f => f.Key.EndsWith(".Description.g.cs", StringComparison.Ordinal)).Value;
        Assert.DoesNotContain("#if", description);
        Assert.DoesNotContain("Tanh", description);
    }

    [Fact]
    public void ATypeOfTheModelsProjectDoesNotHideOneTheLibraryUses()
    {
        const string library = """
            namespace Lib;

            public sealed partial class Block : Module
            {
                public Linear Inner { get; } = new(4, 4, rng: new Rng(5));

                [Differentiable]
                public Tensor Forward(Tensor x) => Relu(Inner.Forward(x));
            }
            """;
        const string model = """
            public sealed partial class Linear : Module
            {
                public Linear(int a, int b, Rng? rng = null) { }

                [Differentiable]
                public Tensor Forward(Tensor x) => x * 100f;
            }

            public sealed partial class Model : Module
            {
                readonly Lib.Block block = new();

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => block.Forward(x);
            }
            """;
        AgreesWithEager(library, model, "Model");
    }

    [Fact]
    public void ModulesThatOnlyHoldLayersAndBaseModulesAreDescribedToo()
    {
        const string library = """
            namespace Lib;

            public sealed class Holder : Module
            {
                public Linear Fc { get; } = new(4, 4, rng: new Rng(7));

                public override void VisitMembers(IModuleVisitor visitor) => visitor.Module("fc", Fc);
            }

            public abstract partial class BaseBlock : Module
            {
                protected BaseBlock(int width) { Inner = new Linear(width, width, rng: new Rng(9)); }

                public Linear Inner { get; }

                [Differentiable]
                public Tensor Forward(Tensor x) => Tanh(Inner.Forward(x));
            }

            public sealed partial class Small : BaseBlock
            {
                public Small() : base(4) { }
            }

            public sealed partial class Outer : Module
            {
                public Inside Nested { get; } = new();

                public sealed partial class Inside : Module
                {
                    public Linear Fc { get; } = new(4, 4, rng: new Rng(11));

                    [Differentiable]
                    public Tensor Forward(Tensor x) => Relu(Fc.Forward(x));
                }

                [Differentiable]
                public Tensor Forward(Tensor x) => Nested.Forward(x) * 2f;
            }
            """;
        const string model = """
            public sealed partial class Model : Module
            {
                readonly Lib.Holder holder = new();
                readonly Lib.Small small = new();
                readonly Lib.Outer outer = new();

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => outer.Forward(small.Forward(holder.Fc.Forward(x)));
            }
            """;
        AgreesWithEager(library, model, "Model");
    }

    [Fact]
    public void AProtectedMemberOfAnImportedBaseIsReadByTheModelThatDerivesFromIt()
    {
        const string library = """
            namespace Lib;

            public abstract partial class BaseNet : Module
            {
                protected Linear Inner { get; } = new(4, 4, rng: new Rng(13));

                [Differentiable]
                protected Tensor Body(Tensor x) => Relu(Inner.Forward(x));
            }
            """;
        const string model = """
            public sealed partial class Model : Lib.BaseNet
            {
                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => Body(x) + Inner.Forward(x);
            }
            """;
        AgreesWithEager(library, model, "Model");
    }

    [Fact]
    public void AModuleNestedInAClassThatIsNotAModuleIsRefusedSayingSo()
    {
        const string library = """
            namespace Lib;

            public static partial class Outer
            {
                public const float Scale = 2f;

                public sealed partial class Block : Module
                {
                    public Linear Inner { get; } = new(4, 4);

                    [Differentiable]
                    public Tensor Forward(Tensor x) => Relu(Inner.Forward(x));
                }
            }
            """;
        const string model = """
            public sealed partial class Model : Module
            {
                readonly Lib.Outer.Block block = new();

                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => block.Forward(x) * Lib.Outer.Scale;
            }
            """;
        var (_, image) = TwoAssemblies.BuildLibrary(library, "EdgeLibrary");
        var error = Assert.Single(TwoAssemblies.RunConsumer(model, image).GeneratorDiagnostics);
        Assert.Contains("nested in 'Outer', and only top-level module types carry descriptions", error.GetMessage());
    }

    [Fact]
    public void CommentsAndHeadersDoNotChangeTheDescription()
    {
        const string library = """
            namespace Lib;

            public sealed partial class Block : Module
            {
                public Linear Inner { get; } = new(4, 4);

                [Differentiable]
                public Tensor Forward(Tensor x) => Relu(Inner.Forward(x)); // the block
            }
            """;
        static string Described(string source) => TwoAssemblies.BuildLibrary(source, "EdgeLibrary").Run.Files.Single(f => f.Key.EndsWith(".Description.g.cs", StringComparison.Ordinal)).Value;
        // Edited in place, so every line keeps its number.
        Assert.Equal(Described("// Copyright 2026\n" + library), Described("/* Copyright 2027 */\n" + library.Replace("// the block", "// a gated block")));
    }
}
