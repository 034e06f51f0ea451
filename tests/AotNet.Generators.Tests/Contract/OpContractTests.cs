using System.Reflection;
using AotNet.Generators.Tests.Execution;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// DESIGN §5: every public op of AotNet.F has a generated-path gradient check (the execution
/// cases listed here) and a PyTorch fixture with gradients. A new op fails this test until both exist.
/// </summary>
public class OpContractTests
{
    /// <summary>Op name → the execution cases (see <see cref="ExecutionCases"/>) that grad-check its generated form.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> GradientChecks = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["MatMul"] = ["MatMul.Inputs", "MatMul.Parameter"],
        ["Linear"] = ["Linear.Bias", "Linear.NoBias", "Linear.Functional", "Linear.FunctionalNoBias", "Submodule", "Mlp"],
        ["Add"] = ["Add.Row", "Operators", "Mean.OfAdd"],
        ["Sub"] = ["Sub.Column", "Sub.Row", "Operators"],
        ["Mul"] = ["Mul.Outer", "Mul.SameShape", "Operators"],
        ["Relu"] = ["Relu", "Mlp"],
        ["Tanh"] = ["Tanh", "Submodule"],
        ["Sigmoid"] = ["Sigmoid"],
        ["LogSoftmax"] = ["LogSoftmax"],
        ["CrossEntropy"] = ["CrossEntropy.Logits", "CrossEntropy.Classifier", "Submodule", "Mlp"],
        ["Sum"] = ["Sum"],
        ["Mean"] = ["Mean", "Mean.OfAdd"],
    };

    public static TheoryData<string> PublicOps()
    {
        var data = new TheoryData<string>();
        foreach (var op in OpNames())
        {
            data.Add(op);
        }
        return data;
    }

    static IEnumerable<string> OpNames() => typeof(F)
        .GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
        .Select(m => m.Name)
        .Distinct()
        .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(PublicOps))]
    public void OpHasAGeneratedGradientCheck(string op)
    {
        Assert.True(GradientChecks.TryGetValue(op, out var cases), $"F.{op} has no generated-path gradient check; add a model and an ExecutionCases entry, then list it here.");
        Assert.NotEmpty(cases);
        Assert.All(cases, name => Assert.True(ExecutionCases.All.ContainsKey(name), $"F.{op} lists '{name}', which is not an execution case."));
    }

    [Theory]
    [MemberData(nameof(PublicOps))]
    public void OpHasAPyTorchFixtureWithGradients(string op)
    {
        Assert.True(File.Exists(OpFixtures.PathOf(op)), $"F.{op} has no PyTorch fixture at {OpFixtures.PathOf(op)}; add it to tests/fixtures/make_fixtures.py.");
        var cases = OpFixtures.Load(op);
        Assert.NotEmpty(cases);
        Assert.All(cases, c => Assert.NotEmpty(c.Grads));
    }

    [Fact]
    public void TensorOperatorsAreGradChecked()
    {
        var operators = typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.IsSpecialName && m.Name.StartsWith("op_", StringComparison.Ordinal)).Select(m => m.Name);
        Assert.Equal(["op_Addition", "op_Multiply", "op_Subtraction"], operators.Order(StringComparer.Ordinal));
        Assert.True(ExecutionCases.All.ContainsKey("Operators"));
    }

    [Fact]
    public void TableListsNoOpTheRuntimeLacks() => Assert.Empty(GradientChecks.Keys.Except(OpNames()));
}
