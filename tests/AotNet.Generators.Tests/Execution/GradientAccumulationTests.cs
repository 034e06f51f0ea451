using System.Reflection;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Execution;

/// <summary>
/// A step's last argument, a <see cref="GradientWrite"/>: by default it overwrites every
/// gradient; <c>Accumulate(scale)</c> adds scale × the gradient. k micro-batches accumulated with
/// scale 1/k must give the gradient of one step on the whole batch.
/// </summary>
public class GradientAccumulationTests
{
    const string Source = """
        public sealed partial class Classifier : Module
        {
            internal readonly Linear fc1 = new(6, 8, rng: new Rng(11));
            internal readonly Linear fc2 = new(8, 4, rng: new Rng(12));

            [Differentiable]
            public Tensor Forward([Shape("N", 6)] Tensor x) => fc2.Forward(Relu(fc1.Forward(x)));

            [Differentiable]
            public Tensor Loss([Shape("N", 6)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);

            [Differentiable]
            public (Tensor Loss, Tensor Logits) Both([Shape("N", 6)] Tensor x, [Shape("N")] Labels y)
            {
                var logits = Forward(x);
                return (CrossEntropy(logits, y), logits);
            }
        }

        /// <summary>
        /// fc is read twice, Mix only through a narrow (its gradient is a join of pieces), idle
        /// never; Offset's gradient is also the gradient that flows on into Mix, so backward reads it.
        /// </summary>
        public sealed partial class Shared : Module
        {
            internal readonly Linear fc = new(6, 6, rng: new Rng(13));
            internal readonly Linear head = new(6, 4, rng: new Rng(14));
            internal readonly Linear idle = new(2, 2, rng: new Rng(15));
            [Shape(8)] public Parameter Mix { get; } = new(new Tensor([0.5f, -0.25f, 1f, 0.75f, -0.5f, 0.25f, 1.5f, -1f], 8));
            [Shape(6)] public Parameter Offset { get; } = new(new Tensor([0.1f, -0.2f, 0.3f, 0f, 0.2f, -0.1f], 6));

            [Differentiable]
            public Tensor Loss([Shape("N", 6)] Tensor x, [Shape("N")] Labels y)
            {
                var h = Tanh(fc.Forward(x));
                var g = Mul(Tanh(fc.Forward(h)), Add(Offset, Tanh(Narrow(Mix, 0, 1, 6))));
                return CrossEntropy(head.Forward(g), y);
            }
        }

        public sealed partial class InputGradient
        {
            [Differentiable]
            public Tensor Loss([RequiresGrad, Shape("N", 3)] Tensor x) => Sum(Tanh(x));
        }

        public static class Probe
        {
            /// <summary>Bytes the calling thread allocates over <paramref name="calls"/> accumulating steps, after one warm-up call.</summary>
            public static long AccumulatingAllocatedBy(Classifier model, Tensor x, Labels y, int calls)
            {
                model.LossStep(x, y, GradientWrite.Accumulate(0.25f));
                long before = System.GC.GetAllocatedBytesForCurrentThread();
                float sink = 0;
                for (int i = 0; i < calls; i++)
                {
                    sink += model.LossStep(x, y, GradientWrite.Accumulate(0.25f));
                    var (loss, logits) = model.BothStep(x, y, GradientWrite.Accumulate(0.25f));
                    sink += loss + logits[0];
                }
                long allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
                return float.IsNaN(sink) ? -1 : allocated;
            }
        }
        """;

    static readonly Lazy<Assembly> Built = new(() => InMemoryModels.Build(Source));

    const int Rows = 12;

    static (Tensor X, Labels Y) Batch()
    {
        var rng = new Rng(71);
        return (TensorData.Uniform(rng, Rows, 6), TensorData.Labels(rng, Rows, 4));
    }

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of the batch.</summary>
    static (Tensor X, Labels Y) Slice(Tensor x, Labels y, int start, int count) =>
        (new Tensor(x.Span.Slice(start * 6, count * 6).ToArray(), count, 6), new Labels(y.Span.Slice(start, count).ToArray()));

    static Dictionary<string, float[]> Gradients(Module model) =>
        model.NamedParameters().ToDictionary(p => p.Key, p => p.Value.Grad.Span.ToArray());

    static void Fill(Module model, float value)
    {
        foreach (var parameter in model.Parameters())
        {
            parameter.Grad.Span.Fill(value);
        }
    }

    /// <summary>Every gradient within <paramref name="tolerance"/> of the reference, relative to that tensor's largest magnitude.</summary>
    static void AssertClose(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, reference) in expected)
        {
            double scale = Math.Max(reference.Max(Math.Abs), 1e-12);
            double error = reference.Zip(actual[name], (e, a) => Math.Abs(e - a)).Max() / scale;
            Assert.True(error <= tolerance, $"{name}: relative error {error:G3}; expected [{string.Join(", ", reference)}], got [{string.Join(", ", actual[name])}]");
        }
    }

    /// <summary>
    /// The whole batch in one step, then the same batch as <paramref name="parts"/> micro-batches
    /// accumulated with scale 1/parts on a model of the same weights whose gradients start at
    /// <paramref name="stale"/>: the first micro-batch overwrites, or (with <paramref name="zeroFirst"/>) all add to zeros.
    /// </summary>
    static void MicroBatchesMatchTheWholeBatch(string type, string step, int parts, bool zeroFirst)
    {
        var (x, y) = Batch();
        Module whole = InMemoryModels.New(Built.Value, type);
        InMemoryModels.Call(whole, step, x, y);
        var expected = Gradients(whole);

        Module micro = InMemoryModels.New(Built.Value, type);
        Fill(micro, zeroFirst ? 0f : 1e3f);
        int size = Rows / parts;
        for (int k = 0; k < parts; k++)
        {
            var (xk, yk) = Slice(x, y, k * size, size);
            var write = k == 0 && !zeroFirst ? GradientWrite.Overwrite(1f / parts) : GradientWrite.Accumulate(1f / parts);
            object? returned = InMemoryModels.Call(micro, step, xk, yk, write);
            float loss = returned is float plain ? plain : ((ValueTuple<float, Tensor>)returned!).Item1;
            // The loss comes back unscaled: the micro-batch's own loss.
            float own = ((Tensor)InMemoryModels.Call(micro, "LossCompiled", xk, yk)!).Item();
            Assert.Equal(own, loss, 5);
        }
        AssertClose(expected, Gradients(micro));
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void MlpMicroBatchesAccumulatedWithScaleOneOverKEqualTheWholeBatch(int parts, bool zeroFirst) =>
        MicroBatchesMatchTheWholeBatch("Classifier", "LossStep", parts, zeroFirst);

    [Fact]
    public void TupleReturningStepAccumulatesLikeThePlainStep() => MicroBatchesMatchTheWholeBatch("Classifier", "BothStep", 3, zeroFirst: true);

    [Theory]
    [InlineData(3, false)]
    [InlineData(2, true)]
    public void ParametersReadTwiceOrThroughPiecesAccumulate(int parts, bool zeroFirst) =>
        MicroBatchesMatchTheWholeBatch("Shared", "LossStep", parts, zeroFirst);

    [Fact]
    public void AccumulatingLeavesTheGradientsOfUnreadParametersAloneAndOverwritingZeroesThem()
    {
        var (x, y) = Batch();
        Module model = InMemoryModels.New(Built.Value, "Shared");
        Fill(model, 7f);
        InMemoryModels.Call(model, "LossStep", x, y, GradientWrite.Accumulate(0.5f));
        var idle = model.NamedParameters().Where(p => p.Key.StartsWith("idle.", StringComparison.Ordinal)).Select(p => p.Value).ToList();
        Assert.Equal(2, idle.Count);
        Assert.All(idle, p => Assert.All(p.Grad.Span.ToArray(), g => Assert.Equal(7f, g)));

        InMemoryModels.Call(model, "LossStep", x, y);
        Assert.All(idle, p => Assert.All(p.Grad.Span.ToArray(), g => Assert.Equal(0f, g)));
    }

    [Fact]
    public void OverwriteReplacesStaleGradientsAndScalesThem()
    {
        var (x, y) = Batch();
        Module fresh = InMemoryModels.New(Built.Value, "Shared");
        InMemoryModels.Call(fresh, "LossStep", x, y);
        var expected = Gradients(fresh);

        Module stale = InMemoryModels.New(Built.Value, "Shared");
        Fill(stale, float.NaN);
        InMemoryModels.Call(stale, "LossStep", x, y);
        Assert.Equal(expected, Gradients(stale));

        Fill(stale, 1e3f);
        InMemoryModels.Call(stale, "LossStep", x, y, GradientWrite.Overwrite(0.5f));
        AssertClose(expected.ToDictionary(p => p.Key, p => p.Value.Select(g => g * 0.5f).ToArray()), Gradients(stale), 1e-6);
    }

    [Fact]
    public void InputGradientsAccumulateToo()
    {
        object model = InMemoryModels.New(Built.Value, "InputGradient");
        var x = new Tensor([-1f, 0f, 0.5f, 2f, -0.25f, 1f], 2, 3);
        var xGrad = new Tensor(2, 3);
        xGrad.Span.Fill(1f);
        float loss = (float)InMemoryModels.Call(model, "LossStep", x, xGrad, GradientWrite.Accumulate(2f))!;
        Assert.Equal(x.Span.ToArray().Sum(MathF.Tanh), loss, 5);
        var expected = x.Span.ToArray().Select(v => 1f + 2f * (1f - MathF.Tanh(v) * MathF.Tanh(v)));
        Assert.Equal(expected.Select(v => Math.Round(v, 5)), xGrad.Span.ToArray().Select(v => Math.Round(v, 5)));

        InMemoryModels.Call(model, "LossStep", x, xGrad);
        Assert.Equal(x.Span.ToArray().Select(v => Math.Round(1f - MathF.Tanh(v) * MathF.Tanh(v), 5)), xGrad.Span.ToArray().Select(v => Math.Round(v, 5)));
    }

    [Fact]
    public void AnAccumulatingStepAllocatesNothingAfterWarmUp()
    {
        object model = InMemoryModels.New(Built.Value, "Classifier");
        var (x, y) = Batch();
        var probe = Built.Value.GetType("Probe")!.GetMethod("AccumulatingAllocatedBy")!;
        // The fewest over several rounds, so a one-off allocation elsewhere in the process cannot fail it.
        long fewest = Enumerable.Range(0, 5).Min(_ => (long)probe.Invoke(null, [model, x, y, 20])!);
        Assert.Equal(0L, fewest);
    }
}
