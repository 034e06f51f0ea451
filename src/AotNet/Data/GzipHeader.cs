namespace AotNet;

/// <summary>Reads past a gzip member's header (RFC 1952 §2.3), checking each field it can.</summary>
static class GzipHeader
{
    const byte Deflate = 8;
    const byte HeaderCrc = 0x02, Extra = 0x04, Name = 0x08, Comment = 0x10, Reserved = 0xE0;

    /// <summary>Reads the header at the start of the seekable <paramref name="file"/> and returns where the deflate data starts.</summary>
    public static long Skip(Stream file, string name)
    {
        Span<byte> fixedPart = stackalloc byte[10];
        if (file.ReadAtLeast(fixedPart, 10, throwOnEndOfStream: false) < 10)
        {
            throw Fault(name, "is cut short inside its 10-byte gzip header");
        }
        if (fixedPart[0] != 0x1F || fixedPart[1] != 0x8B)
        {
            throw Fault(name, $"is not gzip: it starts with 0x{fixedPart[0]:X2} 0x{fixedPart[1]:X2}, not 0x1F 0x8B");
        }
        if (fixedPart[2] != Deflate)
        {
            throw Fault(name, $"uses gzip compression method {fixedPart[2]}; only 8 (deflate) exists");
        }
        byte flags = fixedPart[3];
        if ((flags & Reserved) != 0)
        {
            throw Fault(name, $"sets reserved gzip header flags (0x{flags & Reserved:X2}); it is corrupt or from a newer gzip format");
        }
        if ((flags & Extra) != 0)
        {
            Span<byte> size = stackalloc byte[2];
            ReadExactly(file, size, name, "extra field length");
            Skip(file, size[0] | size[1] << 8, name);
        }
        if ((flags & Name) != 0)
        {
            SkipZeroTerminated(file, name, "file name");
        }
        if ((flags & Comment) != 0)
        {
            SkipZeroTerminated(file, name, "comment");
        }
        if ((flags & HeaderCrc) != 0)
        {
            long end = file.Position;
            var header = new byte[end];
            file.Position = 0;
            file.ReadExactly(header);
            Span<byte> stored = stackalloc byte[2];
            ReadExactly(file, stored, name, "header CRC");
            uint crc = Crc32.Append(0, header) & 0xFFFF;
            if (crc != (uint)(stored[0] | stored[1] << 8))
            {
                throw Fault(name, $"has a gzip header CRC of 0x{stored[0] | stored[1] << 8:X4}, but the header's bytes give 0x{crc:X4}; the header is corrupt");
            }
        }
        return file.Position;
    }

    static void Skip(Stream file, int count, string name)
    {
        if (file.Position + count > file.Length)
        {
            throw Fault(name, "is cut short inside the extra field of its gzip header");
        }
        file.Position += count;
    }

    static void SkipZeroTerminated(Stream file, string name, string what)
    {
        int b;
        while ((b = file.ReadByte()) > 0)
        {
        }
        if (b < 0)
        {
            throw Fault(name, $"is cut short inside the {what} of its gzip header");
        }
    }

    static void ReadExactly(Stream file, Span<byte> into, string name, string what)
    {
        if (file.ReadAtLeast(into, into.Length, throwOnEndOfStream: false) < into.Length)
        {
            throw Fault(name, $"is cut short inside the {what} of its gzip header");
        }
    }

    static InvalidDataException Fault(string name, string what) => new($"{name} {what}.");
}
