namespace AotNet.Tests.Support;

/// <summary>One file of tests/AotNet.Tests/Fixtures/Ops: every case of one <see cref="F"/> method.</summary>
sealed record OpFixture(string Op, string Torch, OpCase[] Cases)
{
    public static OpFixture Load(string op) => FixtureFiles.Load<OpFixture>($"Ops/{op}.json");

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
/// An argument of an op call: a tensor, labels, a mask (as 1s and 0s), a constant ("scalar":
/// a number, a string, or null when left out), or an optional tensor left out ("none").
/// </summary>
sealed record OpArgument(string Name, string Kind, int[]? Shape, float[]? Data, System.Text.Json.JsonElement? Value = null)
{
    /// <summary>The argument as the F method's parameter of type <paramref name="type"/> takes it.</summary>
    public object? ToArgument(Type type) => Kind switch
    {
        "labels" => ToLabels(),
        "none" => null,
        "mask" => new Mask(Data!.Select(v => v != 0f).ToArray(), Shape!),
        "scalar" => Value is not { ValueKind: not System.Text.Json.JsonValueKind.Null } value ? null
            : value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString()
            : (Nullable.GetUnderlyingType(type) ?? type) == typeof(float) ? value.GetSingle()
            : throw new InvalidOperationException($"Argument {Name}: no conversion of {value} to {type}."),
        _ => ToTensor(),
    };

    public Tensor ToTensor() => Kind == "tensor"
        ? Tensor.FromArray(Data!, Shape!)
        : throw new InvalidOperationException($"Argument {Name} is {Kind}, not a tensor.");

    public Tensor? ToOptionalTensor() => Kind == "none" ? null : ToTensor();

    public Labels ToLabels() => Kind == "labels"
        ? new Labels(Data!.Select(v => (int)v).ToArray())
        : throw new InvalidOperationException($"Argument {Name} is {Kind}, not labels.");
}
