namespace AotNet;

/// <summary>Builds a <see cref="TensorDataset"/> from an IDX image file and an IDX label file, as MNIST-style datasets ship.</summary>
public static class IdxDataset
{
    /// <summary>
    /// Loads images [n, ...] as floats divided by 255, flattened to [n, features], and their
    /// labels [n]. Both files may be gzip-compressed.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is malformed, or the two files disagree on the number of samples.</exception>
    public static TensorDataset Load(string imagesPath, string labelsPath)
    {
        var images = IdxReader.Read(imagesPath);
        var labels = IdxReader.Read(labelsPath);
        if (images.Rank < 2)
        {
            throw new InvalidDataException($"{imagesPath}: images need at least 2 dimensions [n, ...]; got {Shapes.Format(images.Dimensions)}.");
        }
        if (labels.Rank != 1)
        {
            throw new InvalidDataException($"{labelsPath}: labels need 1 dimension [n]; got {Shapes.Format(labels.Dimensions)}.");
        }
        int count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
        {
            throw new InvalidDataException(
                $"{imagesPath} holds {count} images but {labelsPath} holds {labels.Dimensions[0]} labels.");
        }
        int features = count == 0 ? Shapes.CheckedLength(images.Dimensions[1..], nameof(imagesPath)) : images.Data.Length / count;

        var pixels = new float[images.Data.Length];
        // The same float32 division as torchvision's ToTensor, so values match PyTorch bit for bit.
        Span<float> scaled = stackalloc float[256];
        for (int v = 0; v < 256; v++)
        {
            scaled[v] = v / 255f;
        }
        var source = images.Data;
        for (int i = 0; i < source.Length; i++)
        {
            pixels[i] = scaled[source[i]];
        }
        var targets = new int[count];
        for (int i = 0; i < count; i++)
        {
            targets[i] = labels.Data[i];
        }
        return new TensorDataset(new Tensor(pixels, count, features), new Labels(targets));
    }
}
