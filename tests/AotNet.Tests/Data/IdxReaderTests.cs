using System.IO.Compression;
using AotNet.Tests.Support;

namespace AotNet.Tests.Data;

public class IdxReaderTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static IdxArray Sample() => new([2, 3, 4], Enumerable.Range(0, 24).Select(i => (byte)(i * 11)).ToArray());

    [Theory]
    [InlineData("images.idx")]
    [InlineData("images.idx.gz")]
    public void RoundTripKeepsDimensionsAndBytes(string name)
    {
        string path = _dir.File(name);
        IdxWriter.Write(path, Sample());
        var read = IdxReader.Read(path);
        Assert.Equal([2, 3, 4], read.Dimensions.ToArray());
        Assert.Equal(Sample().Data, read.Data);
    }

    [Fact]
    public void GzipIsRecognisedByContentNotName()
    {
        string path = _dir.File("compressed-without-extension");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            IdxWriter.Write(gzip, Sample());
        }
        Assert.Equal(Sample().Data, IdxReader.Read(path).Data);
    }

    [Fact]
    public void HeaderIsBigEndianWithTypeCode8()
    {
        string path = _dir.File("labels.idx");
        IdxWriter.Write(path, new IdxArray([3], [7, 8, 9]));
        Assert.Equal(new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void EmptyFile() =>
        AssertFault([], "has 0 bytes, fewer than the 4-byte header");

    [Fact]
    public void BadMagic() =>
        AssertFault([0x12, 0x34, 8, 1, 0, 0, 0, 0], "is not an IDX file: it starts with 0x12 0x34");

    [Fact]
    public void UnsupportedTypeCode() =>
        AssertFault([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0], "type code 0x0D (float32) is not supported");

    [Fact]
    public void ZeroDimensions() =>
        AssertFault([0, 0, 8, 0], "declares 0 dimensions");

    [Fact]
    public void TruncatedDimensions() =>
        AssertFault([0, 0, 8, 3, 0, 0, 0, 2, 0, 0], "is truncated: the header declares 3 dimensions but ends after 1");

    [Fact]
    public void TruncatedData() =>
        AssertFault([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4], "is truncated: dimensions [2, 3] need 6 bytes of data, but only 4 follow");

    [Fact]
    public void TrailingData() =>
        AssertFault([0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3, 4, 5], "has 3 bytes of trailing data after the 2 bytes");

    [Fact]
    public void HugeDimensionsInATinyFileFailWithoutHugeAllocation() =>
        AssertFault([0, 0, 8, 2, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 1], "larger than an array can hold");

    [Fact]
    public void ClaimedSizeBeyondTheFileIsReportedAsTruncation() =>
        AssertFault([0, 0, 8, 1, 0x10, 0, 0, 0, 1, 2], "need 268435456 bytes of data, but only 2 follow");

    [Fact]
    public void TruncatedGzipFileNamesTheFile()
    {
        string full = _dir.File("full.gz");
        IdxWriter.Write(full, new IdxArray([1000], Enumerable.Range(0, 1000).Select(i => (byte)(i * 7919 % 251)).ToArray()));
        byte[] bytes = File.ReadAllBytes(full);
        string cut = _dir.File("cut.gz");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(cut));
        Assert.Contains(cut, error.Message);
        Assert.True(error.Message.Contains("truncated") || error.Message.Contains("cut short"), error.Message);
    }

    [Fact]
    public void TrailingDataInsideGzipIsReported()
    {
        string path = _dir.File("trailing.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write([0, 0, 8, 1, 0, 0, 0, 1, 42, 43]);
        }
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains("1 bytes of trailing data", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void MissingFileThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => IdxReader.Read(_dir.File("absent.idx")));

    void AssertFault(byte[] content, string expected)
    {
        string path = _dir.File("bad.idx");
        File.WriteAllBytes(path, content);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }
}
