using static AotNet.F;

namespace AotNet.Samples.AotInference;

/// <summary>A small two-layer classifier: enough to exercise GEMM epilogues, fusion and the training step under NativeAOT.</summary>
public sealed partial class Classifier : Module
{
    readonly Linear hidden = new(64, 32);
    readonly Linear output = new(32, 4);

    [Differentiable]
    public Tensor Forward([Shape("N", 64)] Tensor x) => output.Forward(Tanh(hidden.Forward(x)));

    [Differentiable]
    public Tensor Loss([Shape("N", 64)] Tensor x, [Shape("N")] Labels y) => CrossEntropy(Forward(x), y);
}
