namespace AotNet.Tests.Support;

/// <summary>
/// Calls each <see cref="F"/> method with the arguments of a fixture case. Written out by hand,
/// not by reflection, so a renamed parameter or changed signature breaks the build here.
/// </summary>
static class EagerOps
{
    /// <summary>The invoker of each op; a case's arguments are overridden by name through <c>replace</c>.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Arguments, Tensor>> ByName = new Dictionary<string, Func<Arguments, Tensor>>
    {
        ["MatMul"] = args => F.MatMul(args.Tensor("a"), args.Tensor("b")),
        ["Linear"] = args => F.Linear(args.Tensor("x"), args.Tensor("weight"), args.OptionalTensor("bias")),
        ["Add"] = args => F.Add(args.Tensor("a"), args.Tensor("b")),
        ["Sub"] = args => F.Sub(args.Tensor("a"), args.Tensor("b")),
        ["Mul"] = args => F.Mul(args.Tensor("a"), args.Tensor("b")),
        ["Relu"] = args => F.Relu(args.Tensor("x")),
        ["Tanh"] = args => F.Tanh(args.Tensor("x")),
        ["Sigmoid"] = args => F.Sigmoid(args.Tensor("x")),
        ["LogSoftmax"] = args => F.LogSoftmax(args.Tensor("x")),
        ["CrossEntropy"] = args => F.CrossEntropy(args.Tensor("logits"), args.Labels("labels")),
        ["Sum"] = args => F.Sum(args.Tensor("x")),
        ["Mean"] = args => F.Mean(args.Tensor("x")),
    };

    public static Tensor Run(string op, OpCase testCase, IReadOnlyDictionary<string, Tensor>? replace = null) =>
        ByName[op](new Arguments(testCase, replace));

    /// <summary>The arguments of one call: the case's values, with some tensors swapped for perturbed copies.</summary>
    public sealed class Arguments(OpCase testCase, IReadOnlyDictionary<string, Tensor>? replace)
    {
        public Tensor Tensor(string name) =>
            replace is not null && replace.TryGetValue(name, out var tensor) ? tensor : testCase.Arg(name).ToTensor();

        public Tensor? OptionalTensor(string name) =>
            replace is not null && replace.TryGetValue(name, out var tensor) ? tensor : testCase.Arg(name).ToOptionalTensor();

        public Labels Labels(string name) => testCase.Arg(name).ToLabels();
    }
}
