using System.Text.Json;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// One argument of a PyTorch fixture case: a tensor, labels, a mask (as 1s and 0s), a constant
/// ("scalar": a float, a string, or null), or an omitted optional tensor.
/// </summary>
public sealed record FixtureArgument(string Name, string Kind, int[] Shape, float[] Data, object? Value = null)
{
    /// <summary>A constant argument as a C# literal: <c>2.5f</c>, <c>"tanh"</c>, <c>null</c>.</summary>
    public string Literal => Value switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        float number => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f",
        _ => throw new InvalidOperationException($"{Name}: no literal for {Value}"),
    };
}

/// <summary>
/// One case of tests/AotNet.Tests/Fixtures/Ops/{Op}.json: inputs, PyTorch's output, the fixed
/// weights w, and PyTorch's gradients of Σ output ⊙ w for each tensor argument.
/// </summary>
public sealed record FixtureCase(string Op, string Name, IReadOnlyList<FixtureArgument> Args, FixtureArgument Output, FixtureArgument GradWeight,
    IReadOnlyDictionary<string, FixtureArgument> Grads)
{
    public override string ToString() => $"{Op}.{Name}";
}

/// <summary>Reads the PyTorch op fixtures written by tests/fixtures/make_fixtures.py.</summary>
public static class OpFixtures
{
    public static string Directory => Path.Combine(RepoPaths.RepoRoot, "tests", "AotNet.Tests", "Fixtures", "Ops");

    public static string PathOf(string op) => Path.Combine(Directory, op + ".json");

    public static IReadOnlyList<FixtureCase> Load(string op)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf(op)));
        var cases = new List<FixtureCase>();
        foreach (var item in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var args = item.GetProperty("args").EnumerateArray().Select(a => Argument(a.GetProperty("name").GetString()!, a)).ToList();
            var grads = item.TryGetProperty("grads", out var g)
                ? g.EnumerateObject().ToDictionary(p => p.Name, p => Argument(p.Name, p.Value), StringComparer.Ordinal)
                : new Dictionary<string, FixtureArgument>(StringComparer.Ordinal);
            var gradWeight = item.TryGetProperty("gradWeight", out var w) ? Argument("gradWeight", w) : null;
            cases.Add(new FixtureCase(op, item.GetProperty("name").GetString()!, args, Argument("output", item.GetProperty("output")), gradWeight!, grads));
        }
        return cases;
    }

    static FixtureArgument Argument(string name, JsonElement element)
    {
        string kind = element.TryGetProperty("kind", out var k) ? k.GetString()! : "tensor";
        int[] shape = element.TryGetProperty("shape", out var s) ? s.EnumerateArray().Select(d => d.GetInt32()).ToArray() : [];
        float[] data = element.TryGetProperty("data", out var d) ? d.EnumerateArray().Select(v => v.GetSingle()).ToArray() : [];
        if (kind == "labels" && shape.Length == 0)
        {
            shape = [data.Length];
        }
        object? value = element.TryGetProperty("value", out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetSingle(), _ => null }
            : null;
        return new FixtureArgument(name, kind, shape, data, value);
    }
}
