using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Execution;

/// <summary>
/// A [Differentiable] method may return a tuple, such as the loss and the logits, so accuracy
/// needs no second forward. The step returns the loss with the other elements; callees'
/// tuples can be deconstructed or read by element.
/// </summary>
public class TupleReturnTests
{
    const string Source = """
        public sealed partial class Model : Module
        {
            internal readonly Linear fc = new(3, 4, rng: new Rng(3));

            [Differentiable]
            public Tensor Forward([Shape("N", 3)] Tensor x) => fc.Forward(x);

            [Differentiable]
            public (Tensor Loss, Tensor Logits) Both([Shape("N", 3)] Tensor x, [Shape("N")] Labels y)
            {
                var logits = Forward(x);
                return (CrossEntropy(logits, y), logits);
            }

            [Differentiable]
            public Tensor Loss([Shape("N", 3)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);

            [Differentiable]
            public Tensor ThroughDeconstruction([Shape("N", 3)] Tensor x, [Shape("N")] Labels y)
            {
                var (loss, _) = Both(x, y);
                return loss;
            }

            [Differentiable]
            public Tensor ThroughElement([Shape("N", 3)] Tensor x, [Shape("N")] Labels y) => Both(x, y).Loss;

            [Differentiable]
            public (Tensor, Tensor) Unnamed([Shape("N", 3)] Tensor x) => (Tanh(x), Sigmoid(x));
        }

        public static class Probe
        {
            /// <summary>Bytes the calling thread allocates over <paramref name="calls"/> steps, after one warm-up call.</summary>
            public static long AllocatedBy(Model model, Tensor x, Labels y, int calls)
            {
                model.BothStep(x, y);
                long before = System.GC.GetAllocatedBytesForCurrentThread();
                float sink = 0;
                for (int i = 0; i < calls; i++)
                {
                    var (loss, logits) = model.BothStep(x, y);
                    sink += loss + logits[0];
                }
                long allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
                return float.IsNaN(sink) ? -1 : allocated;
            }

            public static long PlainAllocatedBy(Model model, Tensor x, Labels y, int calls)
            {
                model.LossStep(x, y);
                long before = System.GC.GetAllocatedBytesForCurrentThread();
                float sink = 0;
                for (int i = 0; i < calls; i++)
                {
                    sink += model.LossStep(x, y);
                }
                long allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
                return float.IsNaN(sink) ? -1 : allocated;
            }
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    static (Tensor X, Labels Y) Batch(int n) =>
        (new Tensor(Enumerable.Range(0, n * 3).Select(i => 0.37f * ((i * 7) % 11) - 1.5f).ToArray(), n, 3), new Labels(Enumerable.Range(0, n).Select(i => i % 4).ToArray()));

    [Theory]
    [InlineData(4)]
    [InlineData(64)]
    public void TheStepReturnsTheLossAndTheLogitsAndTrainsLikeThePlainLoss(int n)
    {
        Module model = InMemoryModels.New(Built.Value, "Model");
        var (x, y) = Batch(n);
        float plain = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        var expected = model.NamedParameters().Select(p => p.Value.Grad.Span.ToArray()).ToList();
        var logitsExpected = ((Tensor)InMemoryModels.Call(model, "ForwardCompiled", x)!).Span.ToArray();

        var (loss, logits) = ((float, Tensor))InMemoryModels.Call(model, "BothStep", x, y)!;

        Assert.Equal(plain, loss);
        Assert.Equal([n, 4], logits.Shape.ToArray());
        Assert.Equal(logitsExpected, logits.Span.ToArray());
        Assert.Equal(expected, model.NamedParameters().Select(p => p.Value.Grad.Span.ToArray()).ToList());
        var (eagerLoss, eagerLogits) = ((Tensor, Tensor))InMemoryModels.Call(model, "Both", x, y)!;
        Assert.Equal(eagerLoss[0], loss, 5);
        var (compiledLoss, compiledLogits) = ((Tensor, Tensor))InMemoryModels.Call(model, "BothCompiled", x, y)!;
        Assert.Equal(loss, compiledLoss[0], 6);
        Assert.Equal(logitsExpected, compiledLogits.Span.ToArray());
        Assert.Equal(eagerLogits.Span.ToArray().Select(v => Math.Round(v, 5)), logits.Span.ToArray().Select(v => Math.Round(v, 5)));
    }

    [Fact]
    public void ACalleesTupleCanBeDeconstructedOrReadByElement()
    {
        object model = InMemoryModels.New(Built.Value, "Model");
        var (x, y) = Batch(5);
        float plain = (float)InMemoryModels.Call(model, "LossStep", x, y)!;
        Assert.Equal(plain, (float)InMemoryModels.Call(model, "ThroughDeconstructionStep", x, y)!);
        Assert.Equal(plain, (float)InMemoryModels.Call(model, "ThroughElementStep", x, y)!);
    }

    [Fact]
    public void UnnamedElementsComeBackInOrder()
    {
        object model = InMemoryModels.New(Built.Value, "Model");
        var (x, _) = Batch(2);
        var (tanh, sigmoid) = ((Tensor, Tensor))InMemoryModels.Call(model, "UnnamedCompiled", x)!;
        Assert.Equal(F.Tanh(x).Span.ToArray().Select(v => Math.Round(v, 6)), tanh.Span.ToArray().Select(v => Math.Round(v, 6)));
        Assert.Equal(F.Sigmoid(x).Span.ToArray().Select(v => Math.Round(v, 6)), sigmoid.Span.ToArray().Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void TheStepAllocatesNothingAfterWarmUp()
    {
        object model = InMemoryModels.New(Built.Value, "Model");
        var (x, y) = Batch(32);
        var probe = Built.Value.GetType("Probe")!.GetMethod("AllocatedBy")!;
        // The fewest over several rounds, so a one-off allocation elsewhere in the process cannot fail it.
        long fewest = Enumerable.Range(0, 5).Min(_ => (long)probe.Invoke(null, [model, x, y, 20])!);
        long plain = Enumerable.Range(0, 5).Min(_ => (long)Built.Value.GetType("Probe")!.GetMethod("PlainAllocatedBy")!.Invoke(null, [model, x, y, 20])!);
        Assert.Equal((0L, 0L), (fewest, plain));
    }
}
