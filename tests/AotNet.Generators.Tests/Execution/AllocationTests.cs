using AotNet.Generators.Tests.Models;
using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Execution;

/// <summary>(c) After warm-up a generated training step allocates nothing: its workspace was planned and kept.</summary>
public class AllocationTests
{
    [Fact]
    public void MlpLossStepAllocatesNothingAfterWarmUp()
    {
        var rng = new Rng(301);
        var model = new Mlp();
        var (x, y) = (TensorData.Uniform(rng, 64, 784), TensorData.Labels(rng, 64, 10));
        float warm = 0;
        for (int i = 0; i < 3; i++)
        {
            warm = model.LossStep(x, y);
        }
        float loss = 0;
        long allocated = FewestBytes(() =>
        {
            loss = 0;
            for (int i = 0; i < 5; i++)
            {
                loss += model.LossStep(x, y);
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal(5 * warm, loss, 3);
    }

    [Fact]
    public void StepWithInputGradientAllocatesNothingAfterWarmUp()
    {
        var test = ExecutionCases.All["Operators"]();
        test.Step();
        test.Step();
        float total = 0;
        long allocated = FewestBytes(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                total += test.Step();
            }
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(0f, total);
    }

    [Fact]
    public void StepWithSplitLoopsAllocatesNothingAfterWarmUp()
    {
        // 2,047 × 61 elements: every fused loop of the step is long enough to be split across cores.
        var rng = new Rng(303);
        var (model, x, y) = (new WideChainModel(), TensorData.Uniform(rng, 2047, 61), TensorData.Uniform(rng, 2047, 61));
        var xGrad = TensorData.GradFor(x);
        model.LossStep(x, y, xGrad);
        model.ShiftedLossStep(x, xGrad);
        long allocated = FewestBytes(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                model.LossStep(x, y, xGrad);
                model.ShiftedLossStep(x, xGrad);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void CompiledInferenceAllocatesOnlyItsResult()
    {
        var model = new Mlp();
        var x = TensorData.Uniform(new Rng(302), 64, 784);
        model.ForwardCompiled(x);
        Tensor? result = null;
        long allocated = FewestBytes(() => result = model.ForwardCompiled(x));
        // The result tensor: 640 floats plus object and shape headers; no activations.
        Assert.InRange(allocated, 640 * sizeof(float), 640 * sizeof(float) + 256);
        Assert.Equal(new[] { 64, 10 }, result!.Shape.ToArray());
    }

    /// <summary>
    /// The fewest bytes <paramref name="action"/> allocated on this thread over a few rounds: a
    /// one-off allocation by the runtime (JIT tiering) cannot fail the test, while an allocation
    /// the generated code makes on every call shows in every round.
    /// </summary>
    static long FewestBytes(Action action)
    {
        long fewest = long.MaxValue;
        for (int round = 0; round < 4; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
