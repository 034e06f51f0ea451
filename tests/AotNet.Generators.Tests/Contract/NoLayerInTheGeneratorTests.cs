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
            .ToList();
        Assert.NotEmpty(sources);
        var found = new List<string>();
        foreach (var layer in Layers)
        {
            var word = new Regex($@"\b{Regex.Escape(layer.Name)}\b");
            // A functional op may share a layer's name (F.Linear, which Linear.Forward calls): the
            // lines of its op table file that name the op are allowed, and nothing else.
            bool isAlsoAnOp = typeof(F).GetMethods().Any(m => m.Name == layer.Name);
            string[] opForms = [$"new Binding(\"{layer.Name}\"", $"OpDef {layer.Name} = new(\"{layer.Name}\"", $"Function = \"{layer.Name}\"", $"<see cref=\"{layer.Name}\"/>"];
            foreach (string path in sources)
            {
                foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)))
                {
                    bool namesTheOp = isAlsoAnOp && path.Contains($"{Path.DirectorySeparatorChar}Ops{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && opForms.Any(form => line.Contains(form, StringComparison.Ordinal));
                    if (word.IsMatch(line) && !namesTheOp)
                    {
                        found.Add($"{Path.GetRelativePath(generator, path)}:{number}: {line.Trim()}");
                    }
                }
            }
        }
        Assert.True(found.Count == 0, "The generator names a runtime layer:\n" + string.Join("\n", found));
    }
}
