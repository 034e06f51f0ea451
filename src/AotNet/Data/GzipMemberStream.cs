using System.Buffers.Binary;
using System.IO.Compression;

namespace AotNet;

/// <summary>
/// Decompresses a gzip file (RFC 1952) that must hold exactly one member, and verifies it: at the
/// end of the data the member's CRC-32 and length trailer must match what was decompressed, and
/// nothing may follow it. <see cref="GZipStream"/> alone accepts a file whose trailer is cut
/// off, ignores bytes after the member, and reports a bad checksum as an unsupported
/// compression method. A second member is refused too: IDX files ship as one, and a file made
/// by concatenation is more likely an accident than intended.
/// </summary>
/// <remarks>Every fault is an <see cref="InvalidDataException"/> whose message names the file.</remarks>
sealed class GzipMemberStream : Stream
{
    // Bytes handed to the inflater one at a time at the end of the file: the trailer and some slack.
    const int ByteWiseTail = 64;

    readonly Stream _file;
    readonly string _name;
    readonly long _fileLength;
    readonly InflateInput _input;
    readonly DeflateStream _deflate;
    uint _crc;
    long _length;
    bool _verified;

    GzipMemberStream(Stream file, string name, long dataStart)
    {
        _file = file;
        _name = name;
        _fileLength = file.Length;
        _input = new InflateInput(file, Math.Max(dataStart, _fileLength - ByteWiseTail));
        _deflate = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>Reads the gzip header of the seekable <paramref name="file"/>, positioned at its start.</summary>
    public static GzipMemberStream Open(Stream file, string name)
    {
        long dataStart = GzipHeader.Skip(file, name);
        return new GzipMemberStream(file, name, dataStart);
    }

    /// <summary>Decompresses and discards the rest, so a damaged member throws its own fault.</summary>
    public void Verify()
    {
        Span<byte> sink = stackalloc byte[4096];
        while (Read(sink) > 0)
        {
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_verified || buffer.IsEmpty)
        {
            return 0;
        }
        int got;
        try
        {
            got = _deflate.Read(buffer);
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{_name}: the compressed data is corrupt or cut short ({error.Message}).", error);
        }
        if (got > 0)
        {
            _crc = Crc32.Append(_crc, buffer[..got]);
            _length += got;
            return got;
        }
        CheckTrailer();
        _verified = true;
        return 0;
    }

    void CheckTrailer()
    {
        if (_input.RanOut)
        {
            throw new InvalidDataException(
                $"{_name} is cut short: the file ends inside the compressed data, before its last block and its CRC-32 and length trailer.");
        }
        long end = FindEnd();
        long available = _fileLength - end;
        if (available < 8)
        {
            throw new InvalidDataException(
                $"{_name} is cut short: the gzip trailer (CRC-32 and length) has {available} of its 8 bytes, so the data cannot be verified.");
        }
        Span<byte> trailer = stackalloc byte[8];
        ReadAt(end, trailer);
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint storedLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (storedCrc != _crc)
        {
            throw new InvalidDataException(
                $"{_name} is corrupt: the CRC-32 of the decompressed data is 0x{_crc:X8}, but the gzip trailer records 0x{storedCrc:X8}.");
        }
        if (storedLength != (uint)_length)
        {
            throw new InvalidDataException(
                $"{_name} is corrupt: the data decompresses to {_length} bytes, but the gzip trailer records a length of {storedLength} (mod 2^32).");
        }
        long rest = available - 8;
        if (rest > 0)
        {
            Span<byte> next = stackalloc byte[2];
            bool member = false;
            if (rest >= 2)
            {
                ReadAt(end + 8, next);
                member = next[0] == 0x1F && next[1] == 0x8B;
            }
            throw new InvalidDataException(member
                ? $"{_name} holds a second gzip member after the first; an IDX file must be a single gzip member (decompress and recompress it as one)."
                : $"{_name}: {rest} bytes follow the end of the gzip member; a gzip IDX file must end with its trailer.");
        }
    }

    /// <summary>
    /// Where the deflate data ended: inside the last read the inflater was given. Read one byte at
    /// a time, that is just after it; read as a chunk (the data ended well before the end of the
    /// file), it is where a trailer matching the data starts.
    /// </summary>
    long FindEnd()
    {
        long start = _input.LastReadStart, stop = _input.LastReadEnd;
        if (start < 0 || stop - start == 1)
        {
            return stop;
        }
        var window = new byte[(int)(Math.Min(_fileLength, stop + 8) - start)];
        ReadAt(start, window);
        Span<byte> expected = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], (uint)_length);
        for (int at = 1; at + 8 <= window.Length; at++)
        {
            if (window.AsSpan(at, 8).SequenceEqual(expected))
            {
                return start + at;
            }
        }
        throw new InvalidDataException(
            $"{_name} is corrupt: its compressed data ends more than {ByteWiseTail} bytes before the end of the file, and no CRC-32 and length trailer matching the data follows it.");
    }

    void ReadAt(long position, Span<byte> into)
    {
        _file.Position = position;
        _file.ReadExactly(into);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _deflate.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
