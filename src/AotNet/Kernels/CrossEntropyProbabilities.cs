namespace AotNet.Kernels;

/// <summary>
/// Cross-entropy against class probabilities, as PyTorch's <c>F.cross_entropy</c> with a float target:
/// for a row r with target t (smoothed: <c>t' = (1 − ε)·t + ε/C</c>) and weights w (all 1 when empty),
/// <c>loss_r = −Σ_c w_c·t'_c·logp[r, c]</c>. The mean divides by the number of rows.
/// </summary>
public static partial class CrossEntropy
{
    /// <summary>
    /// Writes the row log-softmax of <paramref name="logits"/> to <paramref name="logProbabilities"/> and returns the
    /// reduced loss against <paramref name="target"/> [rows, cols]; with <see cref="LossReduction.None"/> it writes one loss per row to
    /// <paramref name="losses"/> and returns 0.
    /// </summary>
    public static float ProbabilityForward(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, ReadOnlySpan<float> weight, Span<float> logProbabilities,
        Span<float> losses, int rows, int cols, float labelSmoothing, LossReduction reduction)
    {
        RequireTarget(target, weight, rows, cols);
        if (reduction == LossReduction.None && losses.Length < rows)
        {
            throw new ArgumentException($"losses holds {losses.Length} elements, but there are {rows} rows.", nameof(losses));
        }
        Softmax.LogSoftmaxRows(logits, logProbabilities, rows, cols);
        double total = 0, uniform = (double)labelSmoothing / cols;
        for (int r = 0; r < rows; r++)
        {
            var row = logProbabilities.Slice(r * cols, cols);
            var t = target.Slice(r * cols, cols);
            double loss = 0;
            for (int c = 0; c < cols; c++)
            {
                double smoothed = ((1 - labelSmoothing) * (double)t[c]) + uniform;
                loss -= (weight.IsEmpty ? 1 : weight[c]) * smoothed * row[c];
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
            _ => rows == 0 ? float.NaN : (float)(total / rows),
        };
    }

    /// <summary>
    /// The gradient of <see cref="ProbabilityForward"/> with respect to the logits, in one sweep over the saved
    /// log-probabilities: <c>s_r·(p_c·Σ_k w_k·t'_k − w_c·t'_c)</c>, where s_r is the loss gradient
    /// (one per row for <see cref="LossReduction.None"/>), divided by the rows for the mean.
    /// </summary>
    public static void ProbabilityBackward(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<float> target, ReadOnlySpan<float> weight, ReadOnlySpan<float> lossGradient,
        Span<float> logitsGradient, int rows, int cols, float labelSmoothing, LossReduction reduction)
    {
        RequireTarget(target, weight, rows, cols);
        Softmax.RequireLength(logitsGradient.Length, rows, cols, nameof(logitsGradient));
        if (reduction == LossReduction.None && lossGradient.Length < rows)
        {
            throw new ArgumentException($"lossGradient holds {lossGradient.Length} elements, but there are {rows} rows.", nameof(lossGradient));
        }
        double scale = reduction switch
        {
            LossReduction.None => 0,
            LossReduction.Sum => lossGradient[0],
            _ => rows == 0 ? 0 : (double)lossGradient[0] / rows,
        };
        double uniform = (double)labelSmoothing / cols;
        for (int r = 0; r < rows; r++)
        {
            var t = target.Slice(r * cols, cols);
            var dx = logitsGradient.Slice(r * cols, cols);
            double s = reduction == LossReduction.None ? lossGradient[r] : scale;
            double mass = 0;
            for (int c = 0; c < cols; c++)
            {
                mass += (weight.IsEmpty ? 1 : weight[c]) * (((1 - labelSmoothing) * (double)t[c]) + uniform);
            }
            for (int c = 0; c < cols; c++)
            {
                double p = Math.Exp(logProbabilities[(r * cols) + c]);
                double wt = (weight.IsEmpty ? 1 : weight[c]) * (((1 - labelSmoothing) * (double)t[c]) + uniform);
                dx[c] = (float)(s * ((p * mass) - wt));
            }
        }
    }

    static void RequireTarget(ReadOnlySpan<float> target, ReadOnlySpan<float> weight, int rows, int cols)
    {
        if (target.Length < rows * cols)
        {
            throw new ArgumentException($"Cross-entropy: the class probabilities target holds {target.Length} values for {rows} rows of {cols} classes.", nameof(target));
        }
        if (!weight.IsEmpty && weight.Length != cols)
        {
            throw new ArgumentException($"Cross-entropy: the class weights hold {weight.Length} values for {cols} classes.", nameof(weight));
        }
    }
}
