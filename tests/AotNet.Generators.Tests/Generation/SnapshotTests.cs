using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Generation;

/// <summary>
/// Pins down the emitted source of a few models. When the generator changes on purpose, rerun
/// with AOTNET_ACCEPT_SNAPSHOTS=1 and review the diff of Snapshots/*.verified.cs.
/// </summary>
public class SnapshotTests
{
    [Fact]
    public void Mlp() => Snapshots.VerifyAll(GenerateClean(SnapshotSources.Mlp));

    [Fact]
    public void BroadcastChain() => Snapshots.VerifyAll(GenerateClean(SnapshotSources.BroadcastChain));

    [Fact]
    public void LeastSquares() => Snapshots.VerifyAll(GenerateClean(SnapshotSources.LeastSquares));

    [Fact]
    public void Submodule() => Snapshots.VerifyAll(GenerateClean(SnapshotSources.Submodule));

    [Fact]
    public void MiddleAxisSoftmax() => Snapshots.VerifyAll(GenerateClean(SnapshotSources.MiddleAxisSoftmax));

    [Fact]
    public void LogSoftmaxNll() => Snapshots.VerifyAll(GenerateClean(SnapshotSources.LogSoftmaxNll));

    /// <summary>Log-softmax then NLL is one fused cross-entropy call each way (the inference path and the step each run the forward once); no separate log-softmax or gather runs.</summary>
    [Fact]
    public void LogSoftmaxThenNllIsOneFusedPassEachWay()
    {
        string step = string.Concat(GenerateClean(SnapshotSources.LogSoftmaxNll).Where(f => f.Key.EndsWith(".Loss.g.cs", StringComparison.Ordinal)).Select(f => f.Value));
        Assert.Equal(2, Count(step, "CrossEntropy.Forward("));
        Assert.Equal(1, Count(step, "CrossEntropy.Backward("));
        Assert.Equal(0, Count(step, "LogSoftmaxRows("));
        Assert.Equal(0, Count(step, "CrossEntropy.Nll("));
    }

    /// <summary>
    /// Sigmoid then BCE: inference fuses both terms into one loop. The training step recomputes the
    /// sigmoid in each loop that reads it instead of storing it (a local where a loop reads it twice),
    /// so its forward is one loop too, and its backward (BCE's gradient times the sigmoid's) is one loop.
    /// </summary>
    [Fact]
    public void SigmoidThenBinaryCrossEntropyFuses()
    {
        const string source = """
            namespace Models;

            public sealed partial class Binary
            {
                [Differentiable]
                public Tensor Loss([RequiresGrad, Shape("N", 3)] Tensor x, [Shape("N", 3)] Tensor t) => BinaryCrossEntropy(Sigmoid(x), t);
            }
            """;
        string file = GenerateClean(source).Single(f => f.Key.EndsWith(".Loss.g.cs", StringComparison.Ordinal)).Value;
        int stepAt = file.IndexOf("LossStep(", StringComparison.Ordinal);
        string inference = file[..stepAt], step = file[stepAt..];
        Assert.Contains("2 elementwise ops, one loop", inference, StringComparison.Ordinal);
        // The forward loop, and the loop of ∂loss/∂x twice: once adding to the gradient, once overwriting it.
        // Each loop runs vectors, then the elements left over: one scalar tail per loop.
        Assert.Equal(3, Count(step, "for (; i < "));
        Assert.Equal(1, Count(step, "xGradValues[i] += "));
        Assert.Contains("2 elementwise ops, one loop", step, StringComparison.Ordinal);
        Assert.Contains("∂loss/∂x = ", step, StringComparison.Ordinal);
        Assert.Contains("6 elementwise ops, one loop", step, StringComparison.Ordinal);
    }

    /// <summary>
    /// Over [N, C, H] the class losses view the input as rows through one permute each way; log-softmax over
    /// axis 1 then NLL is still one fused cross-entropy pass forward and one backward, and class
    /// probabilities get a fused pass of their own. The plain [N, C] case has no permute.
    /// </summary>
    [Fact]
    public void ClassLossesOverExtraAxesStayOneFusedPassEachWay()
    {
        const string source = """
            namespace Models;

            public sealed partial class Pixels
            {
                [Differentiable]
                public Tensor Nll([RequiresGrad, Shape("N", 5, "H")] Tensor x, [Shape("N", "H")] Labels y) => NllLoss(LogSoftmax(x, 1), y);

                [Differentiable]
                public Tensor Soft([RequiresGrad, Shape("N", 5, "H")] Tensor x, [Shape("N", 5, "H")] Tensor t) => CrossEntropy(x, t);

                [Differentiable]
                public Tensor Rows([RequiresGrad, Shape("N", 5)] Tensor x, [Shape("N", 5)] Tensor t) => CrossEntropy(x, t);
            }
            """;
        var files = GenerateClean(source);
        string nll = files["Models.Pixels.Nll.g.cs"], soft = files["Models.Pixels.Soft.g.cs"], rows = files["Models.Pixels.Rows.g.cs"];
        string nllStep = nll[nll.IndexOf("NllStep(", StringComparison.Ordinal)..];
        Assert.Equal(1, Count(nllStep, "CrossEntropy.Forward("));
        Assert.Equal(1, Count(nllStep, "CrossEntropy.Backward("));
        Assert.Equal(0, Count(nll, "LogSoftmax"));
        Assert.Equal(0, Count(nll, "CrossEntropy.Nll("));
        Assert.Equal(2, Count(nllStep, "Permute.Apply("));
        string softStep = soft[soft.IndexOf("SoftStep(", StringComparison.Ordinal)..];
        Assert.Equal(1, Count(softStep, "CrossEntropy.ProbabilityForward("));
        Assert.Equal(1, Count(softStep, "CrossEntropy.ProbabilityBackward("));
        Assert.Equal(0, Count(rows, "Permute.Apply("));
        Assert.Equal(2, Count(rows, "CrossEntropy.ProbabilityForward("));
    }

    static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    [Fact]
    public void MlpEmitsForwardLossAndMembers() => Assert.Equal(
        ["Models.Mlp.Description.g.cs", "Models.Mlp.Forward.g.cs", "Models.Mlp.Loss.g.cs", "Models.Mlp.Members.g.cs"],
        GenerateClean(SnapshotSources.Mlp).Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void BroadcastChainFusesTheForwardIntoOneLoop()
    {
        string loss = GenerateClean(SnapshotSources.BroadcastChain)["Models.Chain.Loss.g.cs"];
        string compiled = loss[..loss.IndexOf("LossStep", StringComparison.Ordinal)];
        Assert.Single(AllIndexesOf(compiled, "for (int i = start;"));
        Assert.Contains("4 elementwise ops, one loop", compiled, StringComparison.Ordinal);
        // Its operands broadcast along rows and columns, so the loop stays scalar.
        Assert.DoesNotContain("Vector512", compiled, StringComparison.Ordinal);
    }

    [Fact]
    public void ElementwiseChain() => Snapshots.VerifyAll(GenerateClean(SnapshotSources.ElementwiseChain));

    [Fact]
    public void ElementwiseChainFusesIntoOneLoopForward()
    {
        var files = GenerateClean(SnapshotSources.ElementwiseChain);
        string forward = files["Models.Smooth.Forward.g.cs"];
        Assert.Single(AllIndexesOf(forward, "for (; i < "));
        Assert.Single(AllIndexesOf(forward, "Vector512.IsHardwareAccelerated"));
        Assert.Contains("17 elementwise ops, one loop", forward, StringComparison.Ordinal);
        // The training step recomputes the forward values its backward reads inside the backward
        // loop instead of storing them: one loop forward (for the loss), one loop backward, which
        // is written twice, to add to the gradient and to overwrite it.
        string loss = files["Models.Smooth.Loss.g.cs"];
        string step = loss[loss.IndexOf("float LossStep", StringComparison.Ordinal)..];
        Assert.Equal(3, AllIndexesOf(step, "for (; i < ").Count());
        Assert.Single(AllIndexesOf(step, "xGradValues[i] += "));
        Assert.Contains("//   where dE_ = ", step, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputIsDeterministic()
    {
        var first = GenerateClean(SnapshotSources.Mlp);
        var second = GenerateClean(SnapshotSources.Mlp);
        Assert.Equal(first, second);
    }

    [Fact]
    public void GeneratedFilesStartWithAutoGeneratedHeader()
    {
        foreach (var (hint, text) in GenerateClean(SnapshotSources.Submodule))
        {
            Assert.True(text.StartsWith("// <auto-generated/>\n", StringComparison.Ordinal), hint);
        }
    }

    /// <summary>Runs the generator and asserts it reports nothing and its output compiles without errors or warnings.</summary>
    internal static IReadOnlyDictionary<string, string> GenerateClean(string source)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Prelude + source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems.Select(d => d.ToString()));
        return run.Files;
    }

    static IEnumerable<int> AllIndexesOf(string text, string value)
    {
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            yield return at;
        }
    }
}
