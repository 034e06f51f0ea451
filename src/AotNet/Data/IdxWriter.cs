using System.Buffers.Binary;
using System.IO.Compression;

namespace AotNet;

/// <summary>Writes IDX files of unsigned bytes, the inverse of <see cref="IdxReader"/>.</summary>
public static class IdxWriter
{
    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/>, gzip-compressed when the path ends in <c>.gz</c>.</summary>
    public static void Write(string path, IdxArray array)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(array);
        using var file = File.Create(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(file, CompressionLevel.Optimal);
            Write(gzip, array);
        }
        else
        {
            Write(file, array);
        }
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="stream"/>, uncompressed.</summary>
    public static void Write(Stream stream, IdxArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        Span<byte> header = stackalloc byte[4];
        header[0] = 0;
        header[1] = 0;
        header[2] = IdxReader.UnsignedByte;
        header[3] = (byte)array.Rank;
        stream.Write(header);
        foreach (int dim in array.Dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(header, dim);
            stream.Write(header);
        }
        stream.Write(array.Data);
    }
}
