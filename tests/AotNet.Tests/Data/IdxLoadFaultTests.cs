using AotNet.Tests.Support;

namespace AotNet.Tests.Data;

/// <summary>IDX datasets refuse labels outside their classes and name the file in every fault.</summary>
public class IdxLoadFaultTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FashionMnistRefusesALabelOutsideItsTenClasses()
    {
        foreach (var split in new[] { "train", "t10k" })
        {
            IdxWriter.Write(_dir.File($"{split}-images-idx3-ubyte.gz"), new IdxArray([3, 28, 28], new byte[3 * 784]));
            IdxWriter.Write(_dir.File($"{split}-labels-idx1-ubyte.gz"), new IdxArray([3], [4, 9, 200]));
        }

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadTest(_dir.Path));

        Assert.Contains(_dir.File("t10k-labels-idx1-ubyte.gz"), error.Message);
        Assert.Contains("label 200", error.Message);
        Assert.Contains("row 3", error.Message);
    }

    [Fact]
    public void ClassCountIsAnOptionOfAnyIdxDataset()
    {
        string images = _dir.File("images.idx");
        string labels = _dir.File("labels.idx.gz");
        IdxWriter.Write(images, new IdxArray([2, 1], [0, 255]));
        IdxWriter.Write(labels, new IdxArray([2], [2, 1]));

        Assert.Equal(2, IdxDataset.Load(images, labels).Count);
        Assert.Equal(2, IdxDataset.Load(images, labels, classCount: 3).Count);
        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(images, labels, classCount: 2));
        Assert.Equal($"{labels}: label 2 at row 1 (item 0) is outside the 2 classes 0 to 1.", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxDataset.Load(images, labels, classCount: 0));
    }

    [Fact]
    public void ZeroImagesWithOversizedDimensionsNameTheFile()
    {
        string images = _dir.File("images.idx");
        string labels = _dir.File("labels.idx");
        // No images, so the data is empty, but one image would not fit in an array.
        File.WriteAllBytes(images, [0, 0, 8, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]);
        IdxWriter.Write(labels, new IdxArray([0], []));

        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(images, labels));

        Assert.Contains(images, error.Message);
    }
}
