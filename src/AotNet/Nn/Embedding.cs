namespace AotNet;

/// <summary>
/// A lookup table of <c>numEmbeddings</c> vectors of size <c>embeddingDim</c>, laid out and
/// initialised as PyTorch's <c>nn.Embedding</c>: weight [num, dim] drawn from N(0, 1), with the
/// padding row (if any) zeroed and left out of every gradient.
/// </summary>
public sealed partial class Embedding : Module
{
    /// <summary>A table of <paramref name="numEmbeddings"/> rows of <paramref name="embeddingDim"/> values, drawn from <paramref name="rng"/> (or <see cref="Rng.Default"/>).</summary>
    /// <param name="numEmbeddings">The number of rows: indices run from 0 to this minus one.</param>
    /// <param name="embeddingDim">The size of each row.</param>
    /// <param name="paddingIndex">A row that stays zero and gets no gradient, such as a padding token's; negative counts from the end, as in PyTorch.</param>
    /// <param name="rng">Where the initial values come from.</param>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIndex = null, Rng? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        if (paddingIndex is int padding && (padding >= numEmbeddings || padding < -numEmbeddings))
        {
            throw new ArgumentOutOfRangeException(nameof(paddingIndex), padding, $"The padding index must be a row of the table, which has {numEmbeddings}.");
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIndex = paddingIndex;
        var weight = new Tensor(numEmbeddings, embeddingDim);
        Init.Normal(weight, 0f, 1f, rng);
        if (paddingIndex is int row)
        {
            weight.Span.Slice((row < 0 ? row + numEmbeddings : row) * embeddingDim, embeddingDim).Clear();
        }
        Weight = new Parameter(weight);
    }

    /// <summary>The number of rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>The size of each row.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The row that gets no gradient, or null.</summary>
    public int? PaddingIndex { get; }

    /// <summary>The table, [num, dim].</summary>
    [StateName("weight")]
    [Shape(nameof(NumEmbeddings), nameof(EmbeddingDim))]
    public Parameter Weight { get; }

    /// <summary>The rows <paramref name="input"/> lists, of any shape, giving <c>input.shape + [dim]</c>.</summary>
    [Differentiable]
    public Tensor Forward(Labels input) => F.Embedding(input, Weight, PaddingIndex);
}
