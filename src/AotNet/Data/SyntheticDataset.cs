namespace AotNet;

/// <summary>
/// Learnable stand-in data for samples and tests when a real dataset is not installed: Gaussian
/// blobs around one random prototype per class.
/// </summary>
public static class SyntheticDataset
{
    /// <summary>
    /// <paramref name="samples"/> samples of <paramref name="features"/> floats in
    /// <paramref name="classes"/> balanced classes. Each class has a prototype drawn from
    /// N(0, 2²) per feature; a sample is its class's prototype plus N(0, 1) noise per feature, so
    /// classes separate well once there are more than a handful of features. The same arguments
    /// always give the same data.
    /// </summary>
    public static TensorDataset Create(int samples, int features, int classes, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var rng = new Rng(seed);
        int inputLength = Shapes.CheckedLength([samples, features], nameof(samples));

        var prototypes = new float[Shapes.CheckedLength([classes, features], nameof(classes))];
        for (int i = 0; i < prototypes.Length; i++)
        {
            prototypes[i] = 2f * rng.Normal();
        }

        var labels = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            labels[i] = i % classes;
        }
        rng.Shuffle(labels.AsSpan());

        var inputs = new float[inputLength];
        for (int i = 0; i < samples; i++)
        {
            var prototype = prototypes.AsSpan(labels[i] * features, features);
            var row = inputs.AsSpan(i * features, features);
            for (int f = 0; f < features; f++)
            {
                row[f] = prototype[f] + rng.Normal();
            }
        }
        return new TensorDataset(new Tensor(inputs, samples, features), new Labels(labels));
    }
}
