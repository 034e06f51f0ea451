using System.Globalization;

namespace AotNet;

/// <summary>
/// How a generated training step (<c>LossStep</c>) writes the gradients it computes: its last,
/// optional argument. By default it overwrites every gradient with ∂loss/∂p, and zeroes the
/// gradients of parameters the loss never reads. <see cref="Accumulate(float)"/> instead adds
/// <c>scale × ∂loss/∂p</c> to what each gradient already holds, for gradient accumulation over
/// micro-batches.
/// </summary>
/// <remarks>
/// <para>
/// The scale multiplies the backward pass's seed, so every gradient the step writes carries it,
/// and the step still returns the unscaled loss. Accumulating k micro-batches of a mean-reduced
/// loss with scale 1/k gives the gradient of one batch k times the size (what PyTorch users get
/// from <c>(loss / k).backward()</c>):
/// </para>
/// <code>
/// model.LossStep(x0, y0, GradientWrite.Overwrite(1f / k));        // starts the sum: no ZeroGrad needed
/// for (int i = 1; i &lt; k; i++)
///     model.LossStep(xs[i], ys[i], GradientWrite.Accumulate(1f / k));
/// optimizer.Step();
/// </code>
/// <para>
/// The mode applies to every gradient the step writes: parameters' <c>Grad</c>, and the buffers
/// of inputs marked <c>[RequiresGrad]</c>. Gradients of parameters the step never reads are
/// left as they are when accumulating. A struct of a float and a bool: passing it allocates
/// nothing.
/// </para>
/// </remarks>
public readonly struct GradientWrite : IEquatable<GradientWrite>
{
    // Zero means "the default scale, 1": default(GradientWrite) is Overwrite(1), and the
    // factories refuse a zero scale, so no other value can mean it.
    readonly float _scale;

    GradientWrite(bool accumulates, float scale)
    {
        if (scale == 0f || !float.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale,
                "The gradient scale must be finite and non-zero (1 / k in integers is 0 for k > 1: write 1f / k).");
        }
        Accumulates = accumulates;
        _scale = scale;
    }

    /// <summary>Overwrites each gradient with <c>scale × ∂loss/∂p</c> (and zeroes those of parameters the step never reads): the default.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is zero, NaN or infinite.</exception>
    public static GradientWrite Overwrite(float scale = 1f) => new(accumulates: false, scale);

    /// <summary>Adds <c>scale × ∂loss/∂p</c> to each gradient; gradients of parameters the step never reads stay as they are.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is zero, NaN or infinite.</exception>
    public static GradientWrite Accumulate(float scale = 1f) => new(accumulates: true, scale);

    /// <summary>True when the step adds to the gradients; false when it overwrites them.</summary>
    public bool Accumulates { get; }

    /// <summary>The factor on every gradient the step writes: the seed of its backward pass.</summary>
    public float Scale => _scale == 0f ? 1f : _scale;

    /// <summary>Whether both write the same way with the same scale; <c>default</c> equals <c>Overwrite(1f)</c>.</summary>
    public bool Equals(GradientWrite other) => Accumulates == other.Accumulates && Scale.Equals(other.Scale);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GradientWrite other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Accumulates, Scale);

    /// <summary>Whether both write the same way with the same scale.</summary>
    public static bool operator ==(GradientWrite left, GradientWrite right) => left.Equals(right);

    /// <summary>Whether they differ in mode or scale.</summary>
    public static bool operator !=(GradientWrite left, GradientWrite right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"{(Accumulates ? "Accumulate" : "Overwrite")}({Scale.ToString(CultureInfo.InvariantCulture)})";
}
