using AotNet.Tests.Support;

namespace AotNet.Tests.Data;

public class FashionMnistTests
{
    [Fact]
    public void LoadsTheFourStandardFilesFromADirectory()
    {
        using var dir = new TempDirectory();
        WriteSplit(dir, "train", 3);
        WriteSplit(dir, "t10k", 2);
        Assert.True(FashionMnist.IsAvailable(dir.Path));
        var train = FashionMnist.LoadTrain(dir.Path);
        var test = FashionMnist.LoadTest(dir.Path);
        Assert.Equal("[3, 784]", train.Inputs.ShapeText);
        Assert.Equal("[2, 784]", test.Inputs.ShapeText);
        Assert.Equal([0, 1, 2], train.Targets.Span.ToArray());
        Assert.Equal(1f, train.Inputs[1, 5]);
    }

    [Fact]
    public void MissingFilesNameTheDirectoryAndPackage()
    {
        using var dir = new TempDirectory();
        Assert.False(FashionMnist.IsAvailable(dir.Path));
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadTest(dir.Path));
        Assert.Contains(dir.Path, error.Message);
        Assert.Contains("t10k-images-idx3-ubyte", error.Message);
        Assert.Contains("dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public void InstalledTestSetHasTheStandardShape()
    {
        // The Debian package may be absent (as in a bare CI image); then the loader must say so.
        if (!FashionMnist.IsAvailable())
        {
            Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadTest());
            return;
        }
        var test = FashionMnist.LoadTest();
        Assert.Equal("[10000, 784]", test.Inputs.ShapeText);
        Assert.Equal(10000, test.Targets.Length);
        var counts = new int[FashionMnist.Classes];
        foreach (int label in test.Targets.Span)
        {
            counts[label]++;
        }
        Assert.All(counts, c => Assert.Equal(1000, c));
        Assert.Equal(0f, test.Inputs.Span.ToArray().Min());
        Assert.Equal(1f, test.Inputs.Span.ToArray().Max());
    }

    static void WriteSplit(TempDirectory dir, string split, int count)
    {
        var pixels = new byte[count * 28 * 28];
        for (int i = 0; i < count; i++)
        {
            pixels[i * 784 + 5] = (byte)(255 * i);
        }
        IdxWriter.Write(dir.File($"{split}-images-idx3-ubyte.gz"), new IdxArray([count, 28, 28], pixels));
        IdxWriter.Write(dir.File($"{split}-labels-idx1-ubyte"), new IdxArray([count], Enumerable.Range(0, count).Select(i => (byte)i).ToArray()));
    }
}
