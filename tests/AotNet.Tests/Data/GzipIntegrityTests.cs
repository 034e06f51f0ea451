using System.IO.Compression;
using AotNet.Tests.Support;

namespace AotNet.Tests.Data;

/// <summary>
/// A gzip IDX file loads only when its member's CRC-32 and length trailer match the data and
/// nothing follows it; every refusal names the file and says what is wrong.
/// </summary>
public class GzipIntegrityTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static readonly byte[] Labels = Enumerable.Range(0, 300).Select(i => (byte)(i % 10)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(9)]
    public void FileWithItsEndCutOffIsRefused(int cut)
    {
        byte[] bytes = Compressed(CompressionLevel.Optimal);
        string path = Write("cut.gz", bytes[..^cut]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("cut short", error.Message);
    }

    [Fact]
    public void CorruptedDataWithoutItsTrailerIsRefused()
    {
        // Stored (uncompressed) deflate blocks: a flipped byte still decodes, to a different label.
        byte[] bytes = Compressed(CompressionLevel.NoCompression);
        bytes[^20] ^= 0x03;
        string path = Write("corrupt-untrailed.gz", bytes[..^8]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("cut short", error.Message);
    }

    [Fact]
    public void CorruptedDataIsReportedAsAChecksumMismatch()
    {
        byte[] bytes = Compressed(CompressionLevel.NoCompression);
        bytes[^20] ^= 0x03;
        string path = Write("corrupt.gz", bytes);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("CRC-32", error.Message);
        Assert.DoesNotContain("compression method", error.Message);
    }

    [Fact]
    public void WrongLengthInTheTrailerIsRefused()
    {
        byte[] bytes = Compressed(CompressionLevel.Optimal);
        bytes[^4] ^= 0x01;
        string path = Write("length.gz", bytes);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("length", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    public void BytesAfterTheMemberAreRefused(int extra)
    {
        byte[] bytes = [.. Compressed(CompressionLevel.Optimal), .. Enumerable.Repeat((byte)0x5A, extra)];
        string path = Write("garbage.gz", bytes);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains($"{extra} bytes follow", error.Message);
    }

    [Fact]
    public void ASecondMemberIsRefused()
    {
        byte[] bytes = [.. Compressed(CompressionLevel.Optimal), .. Compressed(CompressionLevel.Fastest)];
        string path = Write("two-members.gz", bytes);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("second gzip member", error.Message);
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.SmallestSize)]
    public void IntactFilesStillLoad(CompressionLevel level)
    {
        string path = Write("intact.gz", Compressed(level));

        var array = IdxReader.Read(path);

        Assert.Equal(Labels, array.Data);
    }

    [Fact]
    public void HeaderWithOptionalFieldsIsRead()
    {
        // FEXTRA, FNAME, FCOMMENT and FHCRC, as gzip(1) and other tools may write them.
        byte[] deflated = Deflated();
        byte[] member = Compressed(CompressionLevel.Optimal);
        byte[] header = [0x1F, 0x8B, 8, 0x1E, 0, 0, 0, 0, 0, 3, 2, 0, 0xAB, 0xCD, (byte)'n', 0, (byte)'c', 0];
        uint headerCrc = Crc32.Append(0, header);
        string path = Write("fields.gz", [.. header, (byte)headerCrc, (byte)(headerCrc >> 8), .. deflated, .. member[^8..]]);

        Assert.Equal(Labels, IdxReader.Read(path).Data);

        byte[] bytes = File.ReadAllBytes(path);
        bytes[18] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("header CRC", Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)).Message);
    }

    [Fact]
    public void UnknownCompressionMethodIsNamed()
    {
        byte[] bytes = Compressed(CompressionLevel.Optimal);
        bytes[2] = 7;
        string path = Write("method.gz", bytes);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("compression method 7", error.Message);
    }

    static byte[] Compressed(CompressionLevel level)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, level, leaveOpen: true))
        {
            IdxWriter.Write(gzip, new IdxArray([Labels.Length], Labels));
        }
        return memory.ToArray();
    }

    static byte[] Deflated()
    {
        using var memory = new MemoryStream();
        using (var deflate = new DeflateStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            IdxWriter.Write(deflate, new IdxArray([Labels.Length], Labels));
        }
        return memory.ToArray();
    }

    string Write(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
