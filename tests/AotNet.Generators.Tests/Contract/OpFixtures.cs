using System.Text.Json;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// One argument of a PyTorch fixture case: a tensor, labels, a mask (as 1s and 0s), an omitted
/// optional tensor ("none"), or a constant in <see cref="Value"/>: "const" (such as axes or a
/// reduction's name), or "scalar" (an elementwise op's float or string, null when left out). A tensor
/// with <see cref="RequiresGrad"/> false has no gradient in PyTorch (a BCE target, a class weight).
/// </summary>
public sealed record FixtureArgument(string Name, string Kind, int[] Shape, float[] Data, JsonElement? Value = null, bool RequiresGrad = true)
{
    /// <summary>A tensor whose gradient the fixture records and the generated step computes.</summary>
    public bool HasGradient => Kind == "tensor" && RequiresGrad;

    /// <summary>A constant argument, of either kind.</summary>
    public bool IsConstant => Kind is "const" or "scalar";

    /// <summary>The constant as a C# literal, for the generated model's source: <c>new int[] { 1, -1 }</c>, <c>true</c>, <c>"sum"</c>, <c>0.5f</c>; a "scalar" number is always a float.</summary>
    public string Literal => Value!.Value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => "\"" + Value.Value.GetString() + "\"",
        JsonValueKind.Array => "new int[] { " + string.Join(", ", Value.Value.EnumerateArray().Select(v => v.GetInt32())) + " }",
        _ => Kind == "const" && Value.Value.TryGetInt32(out int i) ? i.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Value.Value.GetSingle().ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f",
    };

    /// <summary>The constant as F's parameter of type <paramref name="type"/> takes it.</summary>
    public object? ConstantAs(Type type)
    {
        var value = Value!.Value;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return value.ValueKind == JsonValueKind.Null ? null
            : target == typeof(int[]) ? value.EnumerateArray().Select(v => v.GetInt32()).ToArray()
            : target == typeof(int) ? value.GetInt32()
            : target == typeof(float) ? value.GetSingle()
            : target == typeof(bool) ? value.GetBoolean()
            : target == typeof(string) ? value.GetString()
            : throw new InvalidOperationException($"{Name}: no constant of type {type.Name}");
    }
}

/// <summary>
/// One case of tests/AotNet.Tests/Fixtures/Ops/{Op}.json: inputs, PyTorch's output, the fixed
/// weights w, and PyTorch's gradients of Σ output ⊙ w for each tensor argument.
/// </summary>
public sealed record FixtureCase(string Op, string Name, IReadOnlyList<FixtureArgument> Args, FixtureArgument Output, FixtureArgument GradWeight,
    IReadOnlyDictionary<string, FixtureArgument> Grads)
{
    /// <summary>For an op that returns a <c>Tensor[]</c> (a split), how many pieces it returns; the output is the pieces flattened and joined.</summary>
    public int Pieces { get; init; }

    public override string ToString() => $"{Op}.{Name}";
}

/// <summary>Reads the PyTorch op fixtures written by tests/fixtures/make_fixtures.py.</summary>
public static class OpFixtures
{
    public static string Directory => Path.Combine(RepoPaths.RepoRoot, "tests", "AotNet.Tests", "Fixtures", "Ops");

    public static string PathOf(string op) => Path.Combine(Directory, op + ".json");

    /// <summary>The cases of <paramref name="op"/>: those of {Op}.json, then those of any {Op}.{Part}.json, added later in files of their own.</summary>
    public static IReadOnlyList<FixtureCase> Load(string op)
    {
        var cases = new List<FixtureCase>();
        var parts = System.IO.Directory.GetFiles(Directory, op + ".*.json").Order(StringComparer.Ordinal);
        foreach (var path in parts.Prepend(PathOf(op)))
        {
            Read(op, path, cases);
        }
        return cases;
    }

    static void Read(string op, string path, List<FixtureCase> cases)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var item in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var args = item.GetProperty("args").EnumerateArray().Select(a => Argument(a.GetProperty("name").GetString()!, a)).ToList();
            var grads = item.TryGetProperty("grads", out var g)
                ? g.EnumerateObject().ToDictionary(p => p.Name, p => Argument(p.Name, p.Value), StringComparer.Ordinal)
                : new Dictionary<string, FixtureArgument>(StringComparer.Ordinal);
            var gradWeight = item.TryGetProperty("gradWeight", out var w) ? Argument("gradWeight", w) : null;
            cases.Add(new FixtureCase(op, item.GetProperty("name").GetString()!, args, Argument("output", item.GetProperty("output")), gradWeight!, grads)
            {
                Pieces = item.TryGetProperty("pieces", out var pieces) ? pieces.GetInt32() : 0,
            });
        }
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
        JsonElement? value = element.TryGetProperty("value", out var v) ? v.Clone() : null;
        bool requiresGrad = !element.TryGetProperty("requiresGrad", out var r) || r.GetBoolean();
        return new FixtureArgument(name, kind, shape, data, value, requiresGrad);
    }
}
