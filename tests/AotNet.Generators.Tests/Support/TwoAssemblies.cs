using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Tests.Support;

/// <summary>
/// A module library and a model that uses it, each generated and compiled on its own, the model
/// against the library's compiled image only, as a project with a package reference sees it.
/// </summary>
public sealed class TwoAssemblies
{
    TwoAssemblies(GeneratorRun library, GeneratorRun consumer, Assembly libraryAssembly, Assembly consumerAssembly)
    {
        Library = library;
        Consumer = consumer;
        LibraryAssembly = libraryAssembly;
        ConsumerAssembly = consumerAssembly;
    }

    public GeneratorRun Library { get; }
    public GeneratorRun Consumer { get; }
    public Assembly LibraryAssembly { get; }
    public Assembly ConsumerAssembly { get; }

    /// <summary>The model's assembly loaded beside the library, for a consumer run built on its own.</summary>
    public static Assembly Load(byte[] libraryImage, GeneratorRun consumer)
    {
        Assert.True(consumer.GeneratorDiagnostics.IsEmpty, string.Join("\n", consumer.GeneratorDiagnostics));
        var context = new Context();
        context.Add(context.LoadFromStream(new MemoryStream(libraryImage)));
        return context.LoadFromStream(new MemoryStream(Emit(consumer.Output)));
    }

    /// <summary>Builds both, failing the test on any diagnostic of either.</summary>
    public static TwoAssemblies Build(string librarySource, string consumerSource, string libraryName = "ModuleLibrary")
    {
        var (libraryRun, libraryImage) = BuildLibrary(librarySource, libraryName);
        var consumerRun = RunConsumer(consumerSource, libraryImage);
        Assert.True(consumerRun.GeneratorDiagnostics.IsEmpty, string.Join("\n", consumerRun.GeneratorDiagnostics));
        var consumerImage = Emit(consumerRun.Output);
        var context = new Context();
        var library = context.LoadFromStream(new MemoryStream(libraryImage));
        context.Add(library);
        var consumer = context.LoadFromStream(new MemoryStream(consumerImage));
        return new TwoAssemblies(libraryRun, consumerRun, library, consumer);
    }

    /// <summary>The library generated and compiled, with its image.</summary>
    public static (GeneratorRun Run, byte[] Image) BuildLibrary(string source, string name = "ModuleLibrary", bool withGenerator = true, params string[] defines)
    {
        var compilation = GeneratorHarness.Compile((GeneratorHarness.Prelude + source, "Library.cs")).WithAssemblyName(name);
        if (defines.Length > 0)
        {
            compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(),
                Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(GeneratorHarness.Prelude + source, GeneratorHarness.ParseOptions.WithPreprocessorSymbols(defines), "Library.cs"));
        }
        var run = withGenerator ? GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation) : new GeneratorRun(GeneratorHarness.CreateDriver(), null!, compilation, []);
        Assert.True(run.GeneratorDiagnostics.IsEmpty, string.Join("\n", run.GeneratorDiagnostics));
        return (run, Emit(run.Output, allowWarnings: !withGenerator));
    }

    /// <summary>The generator run over a model compiled against <paramref name="libraryImage"/>.</summary>
    public static GeneratorRun RunConsumer(string source, byte[] libraryImage)
    {
        var compilation = GeneratorHarness.Compile((GeneratorHarness.Prelude + source, "Model.cs")).WithAssemblyName("ModelProject")
            .AddReferences(MetadataReference.CreateFromImage(libraryImage));
        return GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
    }

    static byte[] Emit(Compilation compilation, bool allowWarnings = false)
    {
        using var stream = new MemoryStream();
        var emitted = compilation.WithOptions(compilation.Options.WithOptimizationLevel(OptimizationLevel.Release)).Emit(stream);
        var problems = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || (!allowWarnings && d.Severity == DiagnosticSeverity.Warning)).Select(d => d.ToString()).ToList();
        Assert.True(emitted.Success && problems.Count == 0, string.Join("\n", problems));
        return stream.ToArray();
    }

    /// <summary>Resolves the model's reference to the library to the library loaded here; AotNet comes from the test's own context.</summary>
    sealed class Context() : AssemblyLoadContext(isCollectible: false)
    {
        readonly List<Assembly> _loaded = [];

        public void Add(Assembly assembly) => _loaded.Add(assembly);

        protected override Assembly? Load(AssemblyName name) => _loaded.FirstOrDefault(a => a.GetName().Name == name.Name);
    }
}
