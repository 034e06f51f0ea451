namespace AotNet;

/// <summary>Builds a <see cref="TensorDataset"/> from an IDX image file and an IDX label file, as MNIST-style datasets ship.</summary>
public static class IdxDataset
{
    /// <summary>
    /// Loads images [n, ...] as floats divided by 255, flattened to [n, features], and their
    /// labels [n]. Both files may be gzip-compressed. With <paramref name="classCount"/>, a label
    /// of that value or more is refused, naming the labels file and the row.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is malformed, the two files disagree on the number of samples, or a label is outside the classes.</exception>
    public static TensorDataset Load(string imagesPath, string labelsPath, int? classCount = null)
    {
        if (classCount is <= 0 or > 256)
        {
            // IDX labels are bytes, so more than 256 classes cannot be told apart.
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "The class count must be 1 to 256 when given.");
        }
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
        int features = count == 0 ? FeaturesOfNoImages(images.Dimensions[1..], imagesPath) : images.Data.Length / count;

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
            if (targets[i] >= classCount)
            {
                throw new InvalidDataException(
                    $"{labelsPath}: label {targets[i]} at row {i + 1} (item {i}) is outside the {classCount} classes 0 to {classCount - 1}.");
            }
        }
        return new TensorDataset(new Tensor(pixels, count, features), new Labels(targets));
    }

    /// <summary>The size of one image when there are none: the reader let the shape through because it holds no data.</summary>
    static int FeaturesOfNoImages(ReadOnlySpan<int> imageShape, string imagesPath)
    {
        long features = 1;
        foreach (int dim in imageShape)
        {
            features *= dim;
            if (features > Array.MaxLength)
            {
                throw new InvalidDataException(
                    $"{imagesPath} holds no images, but its image shape {Shapes.Format(imageShape)} would not fit in an array.");
            }
        }
        return (int)features;
    }
}
