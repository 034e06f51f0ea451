using AotNet;
using static AotNet.F;

// The smoke test compiles this file a second time into its own assembly, under another
// namespace, to compare the model built from the package with the same model built in one assembly.
#if LOCAL_COPY
namespace LocalCopy;
#else
namespace SmokeModules;
#endif

/// <summary>x + σ(gate(x)) ⊙ value(x) ⊙ scale, or without the residual: sizes and the residual come from the constructor.</summary>
public sealed partial class GatedBlock : Module
{
    public GatedBlock(int dim, ulong seed, bool residual = true)
    {
        Dim = dim;
        Residual = residual;
        Gate = new Linear(dim, dim, rng: new Rng(seed));
        Value = new Linear(dim, dim, bias: false, rng: new Rng(seed + 100));
        var scale = new Tensor(dim);
        Init.Uniform(scale, 0.5f, 1.5f, new Rng(seed + 200));
        Scale = new Parameter(scale);
    }

    public int Dim { get; }

    public bool Residual { get; }

    public Linear Gate { get; }

    public Linear Value { get; }

    [Shape(nameof(Dim))]
    public Parameter Scale { get; }

    [Differentiable]
    public Tensor Forward(Tensor x)
    {
        var gated = Sigmoid(Gate.Forward(x)) * Value.Forward(x) * Scale;
        return Residual ? x + gated : gated;
    }
}
