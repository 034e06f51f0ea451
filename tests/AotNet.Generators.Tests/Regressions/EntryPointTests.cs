using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Regressions;

/// <summary>
/// What the generated entry points do with an empty batch, with two threads, and with a NaN:
/// refuse the first, refuse a second concurrent step (inference may run concurrently), and, in
/// anomaly mode, name the first value that is not finite and its line.
/// </summary>
public class EntryPointTests
{
    /// <summary>A model whose parameter getter can hold a call inside the generated method: the seam for the concurrency tests.</summary>
    const string GatedModel = """
        public sealed partial class Model : Module
        {
            public static System.Threading.ManualResetEventSlim? Entered;
            public static System.Threading.ManualResetEventSlim? Release;
            readonly Parameter _w = new(new Tensor([0.5f, -0.25f, 1f, 0.75f, -1f, 0.1f], 3, 2));

            [Shape(3, 2)]
            internal Parameter W
            {
                get
                {
                    Entered?.Set();
                    Release?.Wait();
                    return _w;
                }
            }

            [Differentiable]
            public Tensor Forward([Shape("N", 3)] Tensor x) => Tanh(MatMul(x, W));

            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);

            public override void VisitMembers(IModuleVisitor visitor) => visitor.Parameter("W", _w);
        }
        """;

    static readonly Lazy<Assembly> Gated = new(() => InMemoryModels.Build(GatedModel));

    static void SetGate(System.Threading.ManualResetEventSlim? entered, System.Threading.ManualResetEventSlim? release)
    {
        var type = Gated.Value.GetType("Model")!;
        type.GetField("Entered")!.SetValue(null, entered);
        type.GetField("Release")!.SetValue(null, release);
    }

    static Tensor X(int rows) => new(Enumerable.Range(0, rows * 3).Select(i => 0.1f * (i % 7) - 0.3f).ToArray(), rows, 3);

    [Fact]
    public void AnEmptyBatchIsRefusedNamingTheSymbolAndTheInput()
    {
        object model = InMemoryModels.New(Gated.Value, "Model");
        var error = Assert.Throws<ArgumentException>(() => InMemoryModels.Call(model, "LossStep", new Tensor(0, 3), new Labels()));
        Assert.Contains("LossStep: N is 0 (from x)", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty batch", error.Message, StringComparison.Ordinal);
        // An empty batch through the inference path of a tensor-valued method is fine: nothing to compute.
        var logits = (Tensor)InMemoryModels.Call(model, "ForwardCompiled", new Tensor(0, 3))!;
        Assert.Equal([0, 2], logits.Shape.ToArray());
    }

    [Fact]
    public async Task ASecondStepWhileOneIsRunningThrowsAndTheFirstStillFinishesCorrectly()
    {
        object model = InMemoryModels.New(Gated.Value, "Model");
        var x = X(4);
        var y = new Labels(0, 1, 1, 0);
        float expected = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        using var entered = new System.Threading.ManualResetEventSlim();
        using var release = new System.Threading.ManualResetEventSlim();
        SetGate(entered, release);
        try
        {
            var first = Task.Run(() => (float)InMemoryModels.Call(model, "LossStep", x, y)!);
            Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the first step never reached the parameter");
            SetGate(null, null);
            var error = Assert.Throws<InvalidOperationException>(() => InMemoryModels.Call(model, "LossStep", x, y));
            Assert.Contains("LossStep is already running on this model", error.Message, StringComparison.Ordinal);
            release.Set();
            Assert.Equal(expected, await first);
        }
        finally
        {
            SetGate(null, null);
            release.Set();
        }
        // The guard is released: a later step runs.
        Assert.Equal(expected, (float)InMemoryModels.Call(model, "LossStep", x, y)!);
    }

    [Fact]
    public async Task InferenceWhileAnotherInferenceIsInsideTheMethodGetsTheRightAnswer()
    {
        object model = InMemoryModels.New(Gated.Value, "Model");
        var a = X(4);
        var b = new Tensor(a.Span.ToArray().Select(v => -2 * v).ToArray(), 4, 3);
        var expectedA = ((Tensor)InMemoryModels.Call(model, "ForwardCompiled", a)!).Span.ToArray();
        var expectedB = ((Tensor)InMemoryModels.Call(model, "ForwardCompiled", b)!).Span.ToArray();
        using var entered = new System.Threading.ManualResetEventSlim();
        using var release = new System.Threading.ManualResetEventSlim();
        SetGate(entered, release);
        try
        {
            var first = Task.Run(() => (Tensor)InMemoryModels.Call(model, "ForwardCompiled", a)!);
            Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the first call never reached the parameter");
            SetGate(null, null);
            var second = (Tensor)InMemoryModels.Call(model, "ForwardCompiled", b)!;
            release.Set();
            Assert.Equal(expectedB, second.Span.ToArray());
            Assert.Equal(expectedA, (await first).Span.ToArray());
        }
        finally
        {
            SetGate(null, null);
            release.Set();
        }
    }

    [Fact]
    public void AnomalyModeNamesTheFirstNonFiniteValueAndItsLine()
    {
        var assembly = InMemoryModels.Build("""
            public sealed partial class Model : Module
            {
                [Shape(3)] internal Parameter Scale { get; } = new(new Tensor([1f, float.NaN, 2f], 3));

                [Differentiable]
                public Tensor Loss([Shape("N", 3)] Tensor x)
                {
                    var h = Tanh(x);
                    var scaled = h * Scale;
                    return Mean(Sigmoid(scaled));
                }
            }
            """);
        object model = InMemoryModels.New(assembly, "Model");
        var x = X(2);
        // Off, the NaN flows through to the loss without a word, as in PyTorch.
        Assert.True(float.IsNaN((float)InMemoryModels.Call(model, "LossStep", x)!));
        using (AnomalyDetection.Enable())
        {
            var error = Assert.Throws<ArithmeticException>(() => InMemoryModels.Call(model, "LossStep", x));
            Assert.True(error.Message.Contains("'scaled' = (h ⊙ Scale) at Source0.cs:13", StringComparison.Ordinal), error.Message);
            Assert.True(error.Message.Contains("Element 1 of", StringComparison.Ordinal) && error.Message.EndsWith("is NaN.", StringComparison.Ordinal), error.Message);
            var inference = Assert.Throws<ArithmeticException>(() => InMemoryModels.Call(model, "LossCompiled", x));
            Assert.Contains("'scaled'", inference.Message, StringComparison.Ordinal);
        }
        Assert.False(AnomalyDetection.IsEnabled);
    }
}
