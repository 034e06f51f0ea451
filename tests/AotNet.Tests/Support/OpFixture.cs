namespace AotNet.Tests.Support;

/// <summary>One file of tests/AotNet.Tests/Fixtures/Ops: every case of one <see cref="F"/> method.</summary>
sealed record OpFixture(string Op, string Torch, OpCase[] Cases)
{
    /// <summary>The cases of {op}.json, then those of any {op}.{Part}.json, cases added later in files of their own.</summary>
    public static OpFixture Load(string op)
    {
        var fixture = FixtureFiles.Load<OpFixture>($"Ops/{op}.json");
        var parts = Directory.GetFiles(Path.GetDirectoryName(FixtureFiles.PathOf($"Ops/{op}.json"))!, op + ".*.json").Order(StringComparer.Ordinal);
        return fixture with { Cases = [.. fixture.Cases, .. parts.SelectMany(p => FixtureFiles.Load<OpFixture>($"Ops/{Path.GetFileName(p)}").Cases)] };
    }

    public static bool Exists(string op) => File.Exists(FixtureFiles.PathOf($"Ops/{op}.json"));
}

/// <summary>Inputs, PyTorch's output, and the gradients of <c>sum(output * GradWeight)</c>.</summary>
sealed record OpCase(string Name, OpArgument[] Args, TensorData Output, TensorData GradWeight, Dictionary<string, TensorData> Grads)
{
    public OpArgument Arg(string name) =>
        Args.FirstOrDefault(a => a.Name == name) ?? throw new KeyNotFoundException($"Case {Name} has no argument '{name}'.");

    public override string ToString() => Name;
}

/// <summary>
/// An argument of an op call: a tensor, labels, a mask (as 1s and 0s), an optional tensor left out
/// ("none"), or a constant, its JSON <see cref="Value"/>: "const" (an int, bool, float, string, int
/// list or null), or "scalar", the elementwise ops' float or string (null when left out). A tensor
/// with <see cref="RequiresGrad"/> false has no gradient in the fixture.
/// </summary>
sealed record OpArgument(string Name, string Kind, int[]? Shape, float[]? Data, System.Text.Json.JsonElement? Value = null, bool? RequiresGrad = null)
{
    /// <summary>A tensor argument whose gradient the fixture records.</summary>
    public bool HasGradient => Kind == "tensor" && RequiresGrad != false;

    /// <summary>A constant argument, of either kind.</summary>
    public bool IsConstant => Kind is "const" or "scalar";

    /// <summary>The argument as the F method's parameter of type <paramref name="type"/> takes it.</summary>
    public object? ToArgument(Type type) => Kind switch
    {
        "labels" => ToLabels(),
        "none" => null,
        "mask" => new Mask(Data!.Select(v => v != 0f).ToArray(), Shape!),
        "const" or "scalar" => ToConstant(type),
        _ => ToTensor(),
    };

    /// <summary>The constant as the F parameter's type takes it.</summary>
    public object? ToConstant(Type type)
    {
        if (!IsConstant)
        {
            throw new InvalidOperationException($"Argument {Name} is {Kind}, not a constant.");
        }
        // JSON null reads as a missing element.
        if (Value is not { } value)
        {
            return null;
        }
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return value.ValueKind == System.Text.Json.JsonValueKind.Null ? null
            : target == typeof(int[]) ? value.EnumerateArray().Select(v => v.GetInt32()).ToArray()
            : target == typeof(int) ? value.GetInt32()
            : target == typeof(float) ? value.GetSingle()
            : target == typeof(bool) ? value.GetBoolean()
            : target == typeof(string) ? value.GetString()
            : throw new InvalidOperationException($"Argument {Name}: no constant of type {type.Name}.");
    }

    public Tensor ToTensor() => Kind == "tensor"
        ? Tensor.FromArray(Data!, Shape!)
        : throw new InvalidOperationException($"Argument {Name} is {Kind}, not a tensor.");

    public Tensor? ToOptionalTensor() => Kind == "none" ? null : ToTensor();

    public Labels ToLabels() => Kind == "labels"
        ? new Labels(Data!.Select(v => (int)v).ToArray(), Shape ?? [Data!.Length])
        : throw new InvalidOperationException($"Argument {Name} is {Kind}, not labels.");
}
