using System.Text.RegularExpressions;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// Layers are ordinary [Differentiable] modules of the runtime, which the generator reads like a
/// user's; it knows only ops. A layer's name in the generator would be a special case creeping back.
/// </summary>
public class NoLayerInTheGeneratorTests
{
    /// <summary>The runtime's module types that are layers: every module but the base and the containers.</summary>
    static readonly Type[] Layers = typeof(Module).Assembly.GetExportedTypes()
        .Where(t => t.IsSubclassOf(typeof(Module)) && !t.IsGenericTypeDefinition && !t.IsAbstract)
        .ToArray();

    [Fact]
    public void EveryLayerOfTheRuntimeIsADifferentiableModule()
    {
        Assert.Contains(typeof(Linear), Layers);
        foreach (var layer in Layers)
        {
            Assert.Contains(layer.GetMethods(), m => m.IsDefined(typeof(DifferentiableAttribute), inherit: false));
            Assert.Contains(layer.Assembly.GetCustomAttributes(typeof(AotNet.Compiled.ModuleDescriptionAttribute), false).Cast<AotNet.Compiled.ModuleDescriptionAttribute>(), d => d.Module == layer);
        }
    }

    [Fact]
    public void NoGeneratorSourceNamesALayer()
    {
        string generator = Path.Combine(RepoPaths.RepoRoot, "generators", "AotNet.Generators");
        var sources = Directory.EnumerateFiles(generator, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path: Path.GetRelativePath(generator, p), Lines: File.ReadAllLines(p)))
            .ToList();
        Assert.NotEmpty(sources);
        var found = new List<string>();
        foreach (var layer in Layers)
        {
            // Many layers share their name with the functional op their body calls (Relu, F.Relu):
            // that name may name the op, in the op table and in rules about ops, but never the
            // layer's type (its metadata name) or a string compared with a type's name.
            bool isAlsoAnOp = typeof(F).GetMethods().Any(m => m.Name == layer.Name);
            var word = new Regex($@"\b{Regex.Escape(layer.Name)}\b");
            foreach (var (path, lines) in sources)
            {
                bool opTable = path.StartsWith("Ops" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                for (int i = 0; i < lines.Length; i++)
                {
                    string line = lines[i];
                    bool namesType = line.Contains($"\"{layer.FullName}\"", StringComparison.Ordinal) || line.Contains($"global::{layer.FullName}", StringComparison.Ordinal);
                    bool namesOutsideTheTable = !opTable && line.Contains($"\"{layer.Name}\"", StringComparison.Ordinal);
                    if (namesType || namesOutsideTheTable || (!isAlsoAnOp && word.IsMatch(line)))
                    {
                        found.Add($"{path}:{i + 1}: {line.Trim()}");
                    }
                }
            }
        }
        var knownTypes = typeof(AotNet.Generators.DifferentiableGenerator).Assembly.GetType("AotNet.Generators.Parsing.KnownNames", throwOnError: true)!
            .GetFields().Select(f => (string?)f.GetRawConstantValue());
        found.AddRange(knownTypes.Where(name => Layers.Any(l => l.FullName == name)).Select(name => $"KnownNames: {name}"));
        Assert.True(found.Count == 0, "The generator names a runtime layer:\n" + string.Join("\n", found));
    }
}
