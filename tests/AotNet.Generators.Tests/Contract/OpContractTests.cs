using System.Reflection;
using AotNet.Generators.Ops;
using AotNet.Generators.Tests.Execution;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Contract;

/// <summary>
/// DESIGN §5, driven by the op table: every binding in <see cref="OpTable.Functions"/> and
/// <see cref="OpTable.Operators"/> needs a PyTorch fixture with cases and gradients (which
/// <see cref="FixtureGradientTests"/> and <see cref="FixtureForwardTests"/> then run) and a naive
/// reference; and the table binds exactly the runtime's public ops. A new binding fails here until it has them.
/// </summary>
public class OpContractTests
{
    /// <summary>Extra coverage: op name → the execution cases (see <see cref="ExecutionCases"/>) that grad-check it inside larger models.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> GradientChecks = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["MatMul"] = ["MatMul.Inputs", "MatMul.Parameter"],
        ["Linear"] = ["Linear.Bias", "Linear.NoBias", "Linear.Functional", "Linear.FunctionalNoBias", "Submodule", "Mlp"],
        ["Add"] = ["Add.Row", "Operators", "Mean.OfAdd"],
        ["Sub"] = ["Sub.Column", "Sub.Row", "Operators"],
        ["Mul"] = ["Mul.Outer", "Mul.SameShape", "Operators", "Operators.Scalars", "Operators.Parameters"],
        ["Div"] = ["Operators.Scalars", "Operators.Parameters"],
        ["Neg"] = ["Operators.Scalars", "Operators.Parameters"],
        ["Relu"] = ["Relu", "Mlp"],
        ["Tanh"] = ["Tanh", "Submodule"],
        ["Sigmoid"] = ["Sigmoid"],
        ["LogSoftmax"] = ["LogSoftmax", "Softmax.MiddleAxis"],
        ["Softmax"] = ["Softmax.MiddleAxis"],
        ["LogSumExp"] = ["Softmax.MiddleAxis"],
        ["NllLoss"] = ["NllLoss.AfterLogSoftmax"],
        ["CrossEntropy"] = ["CrossEntropy.Logits", "CrossEntropy.Classifier", "Submodule", "Mlp"],
        ["Sum"] = ["Sum"],
        ["Mean"] = ["Mean", "Mean.OfAdd"],
    };

    public static TheoryData<string> Bindings() => new(TableBinding.All.Select(b => b.Key));

    static TableBinding Binding(string key) => TableBinding.All.Single(b => b.Key == key);

    [Theory]
    [MemberData(nameof(Bindings))]
    public void BindingHasAPyTorchFixtureWithCasesAndGradients(string key)
    {
        var binding = Binding(key);
        string path = OpFixtures.PathOf(binding.Method);
        Assert.True(File.Exists(path), $"{key} has no PyTorch fixture at {path}; add it to tests/fixtures/make_fixtures.py.");
        var cases = OpFixtures.Load(binding.Method);
        Assert.True(cases.Count > 0, $"{path} has no cases");
        Assert.All(cases, c =>
        {
            Assert.True(c.GradWeight is not null, $"{c}: no gradWeight");
            Assert.Equal(c.Output.Shape, c.GradWeight.Shape);
            Assert.Equal(c.Output.Data.Length, c.GradWeight.Data.Length);
            var tensors = c.Args.Where(a => a.HasGradient).Select(a => a.Name).Order(StringComparer.Ordinal);
            Assert.NotEmpty(tensors);
            Assert.Equal(tensors, c.Grads.Keys.Order(StringComparer.Ordinal));
        });
        Assert.Equal(cases.Count, FixtureModels.All.Count(b => b.Binding == binding));
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public void BindingHasANaiveReference(string key)
    {
        var method = Binding(key).Method;
        // An elementwise op's generated form is its table entry's scalar expression, which shares
        // no code with the eager method; PyTorch's fixtures judge both. Kernels are shared, so
        // ops that reach one need a reference of their own.
        if (OpTable.Functions[method].Ops.All(op => op.IsElementwise) && !NaiveReference.Ops.ContainsKey(method))
        {
            return;
        }
        bool exempt = NaiveReference.Exempt.TryGetValue(method, out var reason);
        Assert.True(NaiveReference.Ops.ContainsKey(method) || (exempt && !string.IsNullOrWhiteSpace(reason)),
            $"{key} has no naive reference; add one to Support/NaiveReference.cs (or exempt it, with the reason).");
        Assert.False(NaiveReference.Ops.ContainsKey(method) && exempt, $"{method} is both referenced and exempt");
    }

    [Fact]
    public void NaiveReferenceListsOnlyBoundOps()
    {
        var methods = TableBinding.All.Select(b => b.Method).ToHashSet(StringComparer.Ordinal);
        Assert.All(NaiveReference.Ops.Keys.Concat(NaiveReference.Exempt.Keys), m => Assert.Contains(m, methods));
    }

    [Fact]
    public void TableBindsExactlyThePublicMethodsOfF()
    {
        var methods = typeof(F).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(m => m.Name).Distinct();
        Assert.Equal(methods.Order(StringComparer.Ordinal), OpTable.Functions.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TableBindsExactlyTheTensorOperators()
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["op_Addition"] = "+", ["op_Subtraction"] = "-", ["op_Multiply"] = "*", ["op_Division"] = "/", ["op_UnaryNegation"] = "unary -",
        };
        // Parameter's operators mirror Tensor's, so the generator reads both through the same bindings.
        var operators = typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Concat(typeof(Parameter).GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.IsSpecialName && m.Name.StartsWith("op_", StringComparison.Ordinal) && m.Name != "op_Implicit")
            .Select(m => tokens.TryGetValue(m.Name, out var token) ? token : m.Name)
            .Distinct();
        Assert.Equal(operators.Order(StringComparer.Ordinal), OpTable.Operators.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The table-driven checks (fixtures, finite differences, eager and naive agreement) cover
    /// every binding; the execution cases listed above are extra coverage inside larger models,
    /// so a binding need not be listed, but what is listed must exist.
    /// </summary>
    [Fact]
    public void ListedExecutionCasesExist() =>
        Assert.All(GradientChecks, pair => Assert.All(pair.Value, name => Assert.True(ExecutionCases.All.ContainsKey(name), $"{pair.Key} lists '{name}', which is not an execution case.")));

    [Fact]
    public void ExecutionChecksNameOnlyBoundOps() => Assert.Empty(GradientChecks.Keys.Except(OpTable.Functions.Keys));
}
