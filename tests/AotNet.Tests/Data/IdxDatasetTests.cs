using AotNet.Tests.Support;

namespace AotNet.Tests.Data;

public class IdxDatasetTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PixelsAreDividedBy255AndFlattened()
    {
        IdxWriter.Write(_dir.File("images.gz"), new IdxArray([2, 2, 2], [0, 51, 102, 255, 1, 2, 3, 4]));
        IdxWriter.Write(_dir.File("labels.gz"), new IdxArray([2], [9, 3]));
        var dataset = IdxDataset.Load(_dir.File("images.gz"), _dir.File("labels.gz"));
        Assert.Equal("[2, 4]", dataset.Inputs.ShapeText);
        Assert.Equal([0f, 0.2f, 0.4f, 1f, 1f / 255f, 2f / 255f, 3f / 255f, 4f / 255f], dataset.Inputs.ToArray());
        Assert.Equal([9, 3], dataset.Targets.Span.ToArray());
    }

    [Fact]
    public void CountMismatchNamesBothFiles()
    {
        IdxWriter.Write(_dir.File("images"), new IdxArray([3, 2], new byte[6]));
        IdxWriter.Write(_dir.File("labels"), new IdxArray([2], new byte[2]));
        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(_dir.File("images"), _dir.File("labels")));
        Assert.Contains("holds 3 images", error.Message);
        Assert.Contains("holds 2 labels", error.Message);
    }

    [Fact]
    public void LabelsOfRankTwoAreRefused()
    {
        IdxWriter.Write(_dir.File("images"), new IdxArray([2, 2], new byte[4]));
        IdxWriter.Write(_dir.File("labels"), new IdxArray([2, 1], new byte[2]));
        var error = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(_dir.File("images"), _dir.File("labels")));
        Assert.Contains("labels need 1 dimension", error.Message);
    }
}
