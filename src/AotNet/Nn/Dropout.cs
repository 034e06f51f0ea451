namespace AotNet;

/// <summary>
/// Zeroes each element with probability <c>p</c> while training and scales the rest by
/// 1 / (1 − p), as PyTorch's <c>nn.Dropout</c>; after <see cref="Module.Eval"/> it passes its input
/// through. Masks come from <see cref="Rng.Default"/>: seed it with <see cref="Rng.ManualSeed"/>
/// for a run that repeats. A training step keeps its mask for its backward, so forward and
/// backward drop the same elements.
/// </summary>
public sealed partial class Dropout : Layer
{
    /// <summary>A layer that drops elements with probability <paramref name="p"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not between 0 and 1.</exception>
    public Dropout(float p = 0.5f)
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "p is the probability of dropping an element, between 0 and 1.");
        }
        P = p;
    }

    /// <summary>The probability of dropping an element.</summary>
    public float P { get; }

    /// <summary><paramref name="x"/> with elements dropped while training, or <paramref name="x"/> itself.</summary>
    [Differentiable]
    public override Tensor Forward(Tensor x) => Training ? F.Dropout(x, P) : x;
}
