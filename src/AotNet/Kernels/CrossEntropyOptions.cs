namespace AotNet.Kernels;

/// <summary>How a loss combines its per-element values, as PyTorch's <c>reduction</c> argument.</summary>
public enum LossReduction
{
    /// <summary>One loss per element (per row for the class losses).</summary>
    None,

    /// <summary>The mean; for the class losses, the weighted mean over the rows not ignored.</summary>
    Mean,

    /// <summary>The sum.</summary>
    Sum,
}

/// <summary>
/// Cross-entropy and negative log-likelihood with PyTorch's options: class weights, an ignored
/// label, label smoothing and a reduction. For a row r with label y (not ignored), weights w
/// (all 1 when empty) and C classes: <c>nll_r = −w[y]·logp[r, y]</c>,
/// <c>smooth_r = −Σ_c w[c]·logp[r, c]</c>, and the loss is <c>(1 − ε)·nll_r + ε/C·smooth_r</c>.
/// The mean divides by <c>W = Σ_r w[y_r]</c> over the rows not ignored, as PyTorch does.
/// </summary>
public static partial class CrossEntropy
{
    /// <summary>
    /// Writes the row log-softmax of <paramref name="logits"/> to <paramref name="logProbabilities"/> and
    /// returns the reduced loss; with <see cref="LossReduction.None"/> it writes one loss per row to
    /// <paramref name="losses"/> and returns 0.
    /// </summary>
    public static float Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, ReadOnlySpan<float> weight, Span<float> logProbabilities, Span<float> losses,
        int rows, int cols, int ignoreIndex, float labelSmoothing, LossReduction reduction)
    {
        RequireOptions(labels, weight, rows, cols, ignoreIndex);
        Softmax.LogSoftmaxRows(logits, logProbabilities, rows, cols);
        return Nll(logProbabilities, labels, weight, losses, rows, cols, ignoreIndex, labelSmoothing, reduction);
    }

    /// <summary>The loss of log-probabilities already computed; <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, Span{float}, Span{float}, int, int, int, float, LossReduction)"/> without the log-softmax.</summary>
    public static float Nll(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<int> labels, ReadOnlySpan<float> weight, Span<float> losses,
        int rows, int cols, int ignoreIndex, float labelSmoothing, LossReduction reduction)
    {
        RequireOptions(labels, weight, rows, cols, ignoreIndex);
        Softmax.RequireLength(logProbabilities.Length, rows, cols, nameof(logProbabilities));
        if (reduction == LossReduction.None && losses.Length < rows)
        {
            throw new ArgumentException($"losses holds {losses.Length} elements, but there are {rows} rows.", nameof(losses));
        }
        double total = 0, weights = 0;
        for (int r = 0; r < rows; r++)
        {
            int label = labels[r];
            double loss = 0;
            if (label != ignoreIndex)
            {
                var row = logProbabilities.Slice(r * cols, cols);
                double w = weight.IsEmpty ? 1 : weight[label];
                loss = -w * row[label] * (1 - labelSmoothing);
                if (labelSmoothing != 0)
                {
                    double smooth = 0;
                    for (int c = 0; c < cols; c++)
                    {
                        smooth -= (weight.IsEmpty ? 1 : weight[c]) * row[c];
                    }
                    loss += smooth * labelSmoothing / cols;
                }
                weights += w;
            }
            if (reduction == LossReduction.None)
            {
                losses[r] = (float)loss;
            }
            total += loss;
        }
        return reduction switch
        {
            LossReduction.None => 0f,
            LossReduction.Sum => (float)total,
            _ => (float)(total / weights),
        };
    }

    /// <summary>
    /// The gradient of <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, Span{float}, Span{float}, int, int, int, float, LossReduction)"/>
    /// with respect to the logits, in one sweep over the saved log-probabilities:
    /// <c>s_r·((1 − ε)·w[y]·(p − onehot(y)) + ε/C·(p·Σw − w))</c>, where s_r is the loss gradient
    /// (one per row for <see cref="LossReduction.None"/>), divided by W for the mean.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<int> labels, ReadOnlySpan<float> weight, ReadOnlySpan<float> lossGradient,
        Span<float> logitsGradient, int rows, int cols, int ignoreIndex, float labelSmoothing, LossReduction reduction)
    {
        RequireOptions(labels, weight, rows, cols, ignoreIndex);
        Softmax.RequireLength(logitsGradient.Length, rows, cols, nameof(logitsGradient));
        double scale = RowScale(labels, weight, lossGradient, rows, ignoreIndex, reduction);
        double allWeights = 0;
        for (int c = 0; c < cols; c++)
        {
            allWeights += weight.IsEmpty ? 1 : weight[c];
        }
        for (int r = 0; r < rows; r++)
        {
            var dx = logitsGradient.Slice(r * cols, cols);
            int label = labels[r];
            if (label == ignoreIndex)
            {
                dx.Clear();
                continue;
            }
            double s = reduction == LossReduction.None ? lossGradient[r] : scale;
            double hard = s * (1 - labelSmoothing) * (weight.IsEmpty ? 1 : weight[label]), soft = s * labelSmoothing / cols;
            for (int c = 0; c < cols; c++)
            {
                double p = Math.Exp(logProbabilities[(r * cols) + c]);
                dx[c] = (float)((hard * p) + (soft * ((p * allWeights) - (weight.IsEmpty ? 1 : weight[c]))));
            }
            dx[label] -= (float)hard;
        }
    }

    /// <summary>The gradient of <see cref="Nll"/> (without smoothing) with respect to the log-probabilities: <c>−s_r·w[y]</c> at each row's label, zero elsewhere.</summary>
    public static void NllBackward(ReadOnlySpan<int> labels, ReadOnlySpan<float> weight, ReadOnlySpan<float> lossGradient, Span<float> inputGradient,
        int rows, int cols, int ignoreIndex, LossReduction reduction)
    {
        RequireOptions(labels, weight, rows, cols, ignoreIndex);
        Softmax.RequireLength(inputGradient.Length, rows, cols, nameof(inputGradient));
        inputGradient[..(rows * cols)].Clear();
        double scale = RowScale(labels, weight, lossGradient, rows, ignoreIndex, reduction);
        for (int r = 0; r < rows; r++)
        {
            int label = labels[r];
            if (label != ignoreIndex)
            {
                double s = reduction == LossReduction.None ? lossGradient[r] : scale;
                inputGradient[(r * cols) + label] = (float)(-s * (weight.IsEmpty ? 1 : weight[label]));
            }
        }
    }

    /// <summary>The loss gradient each row's loss receives: g for the sum, g / W for the mean.</summary>
    static double RowScale(ReadOnlySpan<int> labels, ReadOnlySpan<float> weight, ReadOnlySpan<float> lossGradient, int rows, int ignoreIndex, LossReduction reduction)
    {
        if (reduction == LossReduction.None)
        {
            if (lossGradient.Length < rows)
            {
                throw new ArgumentException($"lossGradient holds {lossGradient.Length} elements, but there are {rows} rows.", nameof(lossGradient));
            }
            return 0;
        }
        if (reduction == LossReduction.Sum)
        {
            return lossGradient[0];
        }
        double weights = 0;
        for (int r = 0; r < rows; r++)
        {
            if (labels[r] != ignoreIndex)
            {
                weights += weight.IsEmpty ? 1 : weight[labels[r]];
            }
        }
        return lossGradient[0] / weights;
    }

    static void RequireOptions(ReadOnlySpan<int> labels, ReadOnlySpan<float> weight, int rows, int cols, int ignoreIndex)
    {
        if (labels.Length < rows)
        {
            throw new ArgumentException($"Cross-entropy needs {rows} labels, one per row; got {labels.Length}.", nameof(labels));
        }
        if (!weight.IsEmpty && weight.Length != cols)
        {
            throw new ArgumentException($"Cross-entropy: the class weights hold {weight.Length} values for {cols} classes.", nameof(weight));
        }
        for (int r = 0; r < rows; r++)
        {
            if (labels[r] != ignoreIndex && (uint)labels[r] >= (uint)cols)
            {
                throw new ArgumentException(
                    $"Cross-entropy: label {labels[r]} at row {r} is outside the {cols} classes [0, {cols - 1}] and is not the ignored label {ignoreIndex}.", nameof(labels));
            }
        }
    }
}
