namespace AotNet.Kernels;

/// <summary>
/// Softmax cross-entropy on integer labels, mean over rows. The forward pass saves the
/// log-softmax, so the backward pass is one sweep with no second max or sum.
/// </summary>
public static partial class CrossEntropy
{
    /// <summary>Writes the row log-softmax of <paramref name="logits"/> to <paramref name="logProbabilities"/> and returns the mean of <c>-logProbabilities[r, label[r]]</c>.</summary>
    public static float Forward(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> logProbabilities, int rows, int cols)
    {
        RequireLabels(labels, rows, cols);
        Softmax.LogSoftmaxRows(logits, logProbabilities, rows, cols);
        return NllForward(logProbabilities, labels, rows, cols);
    }

    /// <summary><c>dlogits = dloss/rows · (softmax - onehot(label))</c>, from the saved log-softmax.</summary>
    public static void Backward(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<int> labels, float lossGradient, Span<float> logitsGradient, int rows, int cols)
    {
        RequireLabels(labels, rows, cols);
        Softmax.RequireLength(logitsGradient.Length, rows, cols, nameof(logitsGradient));
        float scale = rows == 0 ? 0f : lossGradient / rows;
        for (int r = 0; r < rows; r++)
        {
            int offset = r * cols;
            for (int c = 0; c < cols; c++)
            {
                logitsGradient[offset + c] = scale * MathF.Exp(logProbabilities[offset + c]);
            }
            logitsGradient[offset + labels[r]] -= scale;
        }
    }

    /// <summary>The mean of <c>-logProbabilities[r, label[r]]</c>: negative log-likelihood of log-probabilities already computed.</summary>
    public static float NllForward(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<int> labels, int rows, int cols)
    {
        RequireLabels(labels, rows, cols);
        Softmax.RequireLength(logProbabilities.Length, rows, cols, nameof(logProbabilities));
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            total -= logProbabilities[r * cols + labels[r]];
        }
        return rows == 0 ? float.NaN : (float)(total / rows);
    }

    /// <summary>The gradient of <see cref="NllForward"/>: <c>-dloss/rows</c> at each row's label, zero elsewhere.</summary>
    public static void NllBackward(ReadOnlySpan<int> labels, float lossGradient, Span<float> logProbabilitiesGradient, int rows, int cols)
    {
        RequireLabels(labels, rows, cols);
        Softmax.RequireLength(logProbabilitiesGradient.Length, rows, cols, nameof(logProbabilitiesGradient));
        logProbabilitiesGradient[..(rows * cols)].Clear();
        float scale = rows == 0 ? 0f : lossGradient / rows;
        for (int r = 0; r < rows; r++)
        {
            logProbabilitiesGradient[r * cols + labels[r]] = -scale;
        }
    }

    static void RequireLabels(ReadOnlySpan<int> labels, int rows, int cols)
    {
        if (labels.Length < rows)
        {
            throw new ArgumentException($"Cross-entropy needs {rows} labels, one per row; got {labels.Length}.", nameof(labels));
        }
        for (int r = 0; r < rows; r++)
        {
            if ((uint)labels[r] >= (uint)cols)
            {
                throw new ArgumentException(
                    $"Cross-entropy: label {labels[r]} at row {r} is outside the {cols} classes [0, {cols - 1}].", nameof(labels));
            }
        }
    }
}
