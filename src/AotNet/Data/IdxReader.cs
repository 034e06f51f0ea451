using System.Buffers.Binary;

namespace AotNet;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, a type code, the
/// number of dimensions, each dimension as a big-endian 32-bit integer, then the data. Only
/// unsigned bytes (type code 0x08) are supported. Gzip-compressed files are recognised by their
/// content, not their name, and must be one gzip member whose CRC-32 and length trailer match
/// the data, with nothing after it.
/// </summary>
public static class IdxReader
{
    /// <summary>The type code of unsigned byte data.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>Reads the IDX file at <paramref name="path"/>, decompressing it first if it is gzip.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file of unsigned bytes; the message names the file and the fault.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[2];
        int peeked = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (peeked == 2 && start[0] == 0x1F && start[1] == 0x8B)
        {
            using var gzip = GzipMemberStream.Open(file, path);
            try
            {
                return Read(gzip, path);
            }
            catch (InvalidDataException error) when (error.Source == nameof(IdxReader))
            {
                // A damaged gzip member explains a short or malformed IDX inside it; report that first.
                gzip.Verify();
                throw;
            }
        }
        return Read(file, path);
    }

    /// <summary>Reads an uncompressed IDX array from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The stream is not a well-formed IDX array of unsigned bytes.</exception>
    public static IdxArray Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        Span<byte> header = stackalloc byte[4];
        int got = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw Fault($"{sourceName} is not an IDX file: it has {got} bytes, fewer than the 4-byte header.");
        }
        if (header[0] != 0 || header[1] != 0)
        {
            throw Fault($"{sourceName} is not an IDX file: it starts with 0x{header[0]:X2} 0x{header[1]:X2}, but IDX files start with two zero bytes.");
        }
        if (header[2] != UnsignedByte)
        {
            throw Fault($"{sourceName}: IDX type code 0x{header[2]:X2} ({TypeName(header[2])}) is not supported; only 0x08 (unsigned byte) is.");
        }
        int rank = header[3];
        if (rank == 0)
        {
            throw Fault($"{sourceName}: the IDX header declares 0 dimensions.");
        }

        var dimensions = new int[rank];
        Span<byte> word = stackalloc byte[4];
        long length = 1;
        for (int i = 0; i < rank; i++)
        {
            if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
            {
                throw Fault($"{sourceName} is truncated: the header declares {rank} dimensions but ends after {i}.");
            }
            uint dim = BinaryPrimitives.ReadUInt32BigEndian(word);
            length *= dim;
            if (dim > int.MaxValue || length > Array.MaxLength)
            {
                throw Fault($"{sourceName}: dimension {i} is {dim}, which makes the data larger than an array can hold.");
            }
            dimensions[i] = (int)dim;
        }

        byte[] data = ReadUpTo(stream, (int)length, out int read);
        if (read < length)
        {
            throw Fault($"{sourceName} is truncated: dimensions {Shapes.Format(dimensions)} need {length} bytes of data, but only {read} follow the header.");
        }
        long trailing = CountRemaining(stream);
        if (trailing > 0)
        {
            throw Fault($"{sourceName} has {trailing} bytes of trailing data after the {length} bytes its dimensions {Shapes.Format(dimensions)} declare.");
        }
        return new IdxArray(dimensions, data);
    }

    /// <summary>
    /// Reads up to <paramref name="length"/> bytes. The buffer grows as data arrives, so a
    /// corrupt header that claims gigabytes costs no more memory than the file really holds.
    /// </summary>
    static byte[] ReadUpTo(Stream stream, int length, out int read)
    {
        const int FirstChunk = 1 << 20;
        var buffer = new byte[Math.Min(length, FirstChunk)];
        read = 0;
        while (read < length)
        {
            if (read == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
            }
            int got = stream.Read(buffer, read, buffer.Length - read);
            if (got == 0)
            {
                break;
            }
            read += got;
        }
        return buffer;
    }

    static long CountRemaining(Stream stream)
    {
        Span<byte> sink = stackalloc byte[4096];
        long total = 0;
        int got;
        while ((got = stream.Read(sink)) > 0)
        {
            total += got;
        }
        return total;
    }

    static string TypeName(byte code) => code switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };

    static InvalidDataException Fault(string message, Exception? inner = null) =>
        new(message, inner) { Source = nameof(IdxReader) };
}
