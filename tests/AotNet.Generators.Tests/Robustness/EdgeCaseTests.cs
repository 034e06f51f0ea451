using AotNet.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace AotNet.Generators.Tests.Robustness;

/// <summary>
/// Unusual but valid models: each must generate code that compiles without a warning, and the
/// generator must never throw (which would surface only as warning CS8785 and no output).
/// <see cref="EdgeCaseExecutionTests"/> runs each of them.
/// </summary>
public class EdgeCaseTests
{
    public static TheoryData<string, string> Models => new()
    {
        { "an input named like a generated local", """
            public sealed partial class Model : Module
            {
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor i, [Shape("N", 4)] Tensor workspace) => Sum(Tanh(i * workspace));
                public override void VisitMembers(IModuleVisitor visitor) { }
            }
            """ },
        { "returning an input unchanged", """
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Forward([Shape("N", 4)] Tensor x) => x;
            }
            """ },
        { "a scalar parameter as the whole loss", """
            public sealed partial class Model : Module
            {
                [Shape] public Parameter Bias { get; } = new(new Tensor());

                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x) => Bias;
            }
            """ },
        { "an input that the result ignores", """
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Loss([Shape("N", 4)] Tensor x, [RequiresGrad, Shape("N", 4)] Tensor unused) => Mean(Relu(x));
            }
            """ },
        { "a layer whose output the loss ignores", """
            public sealed partial class Model : Module
            {
                readonly Linear used = new(3, 2, rng: new Rng(1));
                readonly Linear unused = new(3, 2, rng: new Rng(2));

                [Differentiable]
                public Tensor Loss([RequiresGrad, Shape("N", 3)] Tensor x)
                {
                    var ignored = unused.Forward(x);
                    return Sum(Tanh(used.Forward(x)));
                }
            }
            """ },
        { "a layer the method never reads", """
            public sealed partial class Model : Module
            {
                readonly Linear used = new(3, 2, rng: new Rng(1));
                readonly Linear unused = new(3, 2, rng: new Rng(2));

                [Differentiable]
                public Tensor Loss([RequiresGrad, Shape("N", 3)] Tensor x) => Sum(Tanh(used.Forward(x)));
            }
            """ },
        { "the same value used many times", """
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Loss([RequiresGrad, Shape("N", 3)] Tensor x)
                {
                    var y = x * x;
                    y = y + x;
                    return Sum(y * y + Sigmoid(y) - x);
                }
            }
            """ },
        { "log-softmax of a vector and a rank-3 broadcast", """
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Loss([RequiresGrad, Shape(2, 3, 4)] Tensor x, [RequiresGrad, Shape(3, 1)] Tensor s, [RequiresGrad, Shape(5)] Tensor v)
                    => Sum(LogSoftmax(x * s)) + Mean(LogSoftmax(v));
            }
            """ },
        { "a generic containing type and a nested model", """
            public static partial class Outer<T>
            {
                public sealed partial class Model
                {
                    [Differentiable]
                    public Tensor Loss([Shape("B", 2)] Tensor x, [Shape("B")] Labels y) => CrossEntropy(x, y);
                }
            }
            """ },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void GeneratesCodeThatCompilesCleanly(string description, string source)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + source);

        Assert.True(run.GeneratorDiagnostics.IsEmpty, $"{description}: {string.Join("; ", run.GeneratorDiagnostics)}");
        Assert.Contains(run.Files.Keys, hint => !hint.EndsWith(".Members.g.cs", StringComparison.Ordinal));
        var problems = run.CompilationProblems.Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, $"{description}:\n{string.Join("\n", problems)}");
    }
}
