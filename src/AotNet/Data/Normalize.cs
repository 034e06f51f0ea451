using System.Numerics.Tensors;

namespace AotNet;

/// <summary>
/// <c>(x - mean) / std</c> for flat feature vectors, like torchvision's
/// <c>transforms.Normalize</c>: one mean and std for every feature (scalar), or one per
/// feature. The division is the same float32 division as PyTorch's, so values match it.
/// </summary>
public sealed class Normalize : IBatchTransform
{
    readonly float[] _mean;
    readonly float[] _std;

    /// <summary>The same <paramref name="mean"/> and <paramref name="std"/> for every feature.</summary>
    public Normalize(float mean, float std)
        : this([mean], [std])
    {
    }

    /// <summary>
    /// One mean and std per feature; both arrays have one entry per feature of a sample (or a
    /// single entry, used for every feature). Each std must be positive and finite.
    /// </summary>
    public Normalize(float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
        {
            throw new ArgumentException($"Normalize needs as many means as stds, at least one; got {mean.Length} and {std.Length}.", nameof(std));
        }
        for (int i = 0; i < std.Length; i++)
        {
            if (!(std[i] > 0f) || float.IsInfinity(std[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(std), $"std[{i}] is {std[i]}; every std must be positive and finite.");
            }
            if (!float.IsFinite(mean[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(mean), $"mean[{i}] is {mean[i]}; every mean must be finite.");
            }
        }
        _mean = (float[])mean.Clone();
        _std = (float[])std.Clone();
    }

    /// <summary>The means: one, or one per feature.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>The standard deviations: one, or one per feature.</summary>
    public ReadOnlySpan<float> Std => _std;

    /// <summary>True when one mean and std apply to every feature.</summary>
    public bool IsScalar => _mean.Length == 1;

    /// <summary>
    /// Measures <paramref name="dataset"/>: per feature when <paramref name="perFeature"/>, else
    /// over all values. The std is the population std (divided by n, as NumPy's default), summed
    /// in double precision. A feature that never varies gets std 1, so it maps to 0 instead of
    /// NaN; MNIST-like images have such always-black border pixels.
    /// </summary>
    public static Normalize FromDataset(TensorDataset dataset, bool perFeature = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException("Cannot measure the mean and std of an empty dataset.", nameof(dataset));
        }
        int features = perFeature ? dataset.SampleLength : 1;
        ReadOnlySpan<float> values = dataset.Inputs.Span;
        long rows = values.Length / features;
        // Two passes (mean, then squared deviations) rather than E[x²] - E[x]², which cancels
        // badly and would leave a constant feature with a small non-zero std.
        var mean = new double[features];
        for (int start = 0; start < values.Length; start += features)
        {
            for (int f = 0; f < features; f++)
            {
                mean[f] += values[start + f];
            }
        }
        for (int f = 0; f < features; f++)
        {
            mean[f] /= rows;
        }
        var deviation = new double[features];
        for (int start = 0; start < values.Length; start += features)
        {
            for (int f = 0; f < features; f++)
            {
                double d = values[start + f] - mean[f];
                deviation[f] += d * d;
            }
        }
        var meanOut = new float[features];
        var std = new float[features];
        for (int f = 0; f < features; f++)
        {
            meanOut[f] = (float)mean[f];
            float s = (float)Math.Sqrt(deviation[f] / rows);
            std[f] = s > 0f ? s : 1f;
        }
        return new Normalize(meanOut, std);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Per-feature statistics do not match the batch's sample length.</exception>
    public void Apply(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<float> values = batch.Span;
        if (IsScalar)
        {
            TensorPrimitives.Subtract(values, _mean[0], values);
            TensorPrimitives.Divide(values, _std[0], values);
            return;
        }
        int features = _mean.Length;
        int sampleLength = batch.Rank == 0 || batch.Dim(0) == 0 ? 0 : batch.Length / batch.Dim(0);
        if (batch.Length > 0 && sampleLength != features)
        {
            throw new ArgumentException(
                $"Normalize has statistics for {features} features, but batch {batch.ShapeText} has {sampleLength} per sample.", nameof(batch));
        }
        for (int start = 0; start < values.Length; start += features)
        {
            var row = values.Slice(start, features);
            TensorPrimitives.Subtract(row, _mean, row);
            TensorPrimitives.Divide(row, _std, row);
        }
    }
}
