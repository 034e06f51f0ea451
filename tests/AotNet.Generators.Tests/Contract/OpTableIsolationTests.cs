using System.Text.RegularExpressions;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// The op table is the only place that knows what an op is. Outside
/// <c>generators/AotNet.Generators/Ops/</c>, code reads an op's facts and rules
/// (<c>node.Op.Kernel</c>, <c>node.Op.IsElementwise</c>) and looks calls up in the bindings, but never
/// names an entry, compares ops, or switches on one.
/// </summary>
public class OpTableIsolationTests
{
    static readonly (Regex Pattern, string Why)[] Forbidden =
    [
        (new(@"\bOpTable\.(?!Functions\b|Operators\b|Constructs\b|TensorMethods\b|LabelsMethods\b)\w+"), "names a table entry"),
        (new(@"\.Op\s*(==|!=)"), "compares ops"),
        (new(@"\.Op\s+is\b"), "tests which op a node is"),
        (new(@"\.Op\.Name\b"), "reads an op's name"),
        (new(@"switch\s*\([^)]*\bOp\b[^)]*\)"), "switches on an op"),
        (new(@"\bOp\s+switch\b"), "switches on an op"),
        (new(@"\bOpKind\b"), "uses an op-kind enum"),
    ];

    public static TheoryData<string> GeneratorSources()
    {
        var data = new TheoryData<string>();
        string root = Path.Combine(RepoPaths.RepoRoot, "generators", "AotNet.Generators");
        foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                     .Where(f => !f.StartsWith("Ops/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(GeneratorSources))]
    public void NoFileOutsideOpsNamesOrSwitchesOnAnOp(string file)
    {
        string path = Path.Combine(RepoPaths.RepoRoot, "generators", "AotNet.Generators", file);
        var lines = File.ReadAllLines(path);
        var offences = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Split("//")[0];
            foreach (var (pattern, why) in Forbidden)
            {
                if (pattern.IsMatch(line))
                {
                    offences.Add($"{file}:{i + 1} {why}: {lines[i].Trim()}");
                }
            }
        }
        Assert.True(offences.Count == 0, string.Join("\n", offences));
    }

    [Fact]
    public void TheCheckRecognisesAnOpSwitch()
    {
        // The patterns must catch the forms an op-kind switch takes, or the test above proves nothing.
        string[] samples =
        [
            "if (node.Op == OpKind.Parameter)",
            "return node.Op switch",
            "int x = graph.Apply(OpTable.Relu, y);",
            "switch (node.Op)",
            "if (node.Op.Name == \"Relu\")",
            "if (node.Op is { } op)",
        ];
        Assert.All(samples, sample => Assert.Contains(Forbidden, f => f.Pattern.IsMatch(sample)));
    }
}
