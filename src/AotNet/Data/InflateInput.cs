namespace AotNet;

/// <summary>
/// Hands a seekable file's compressed bytes to a <see cref="System.IO.Compression.DeflateStream"/>
/// and remembers what it handed over, so the caller can tell where the deflate data ended: the
/// inflater stops inside the last read it was given. Near the end of the file, where a
/// well-formed member's trailer sits, bytes go one at a time, so that end is known exactly.
/// </summary>
sealed class InflateInput(Stream file, long byteWiseFrom) : Stream
{
    const int Chunk = 1 << 16;

    /// <summary>Where the last read handed over started in the file, or -1 before any.</summary>
    public long LastReadStart { get; private set; } = -1;

    /// <summary>The file position just past the last byte handed over.</summary>
    public long LastReadEnd => file.Position;

    /// <summary>True once a read found no bytes left: the inflater wanted more than the file holds.</summary>
    public bool RanOut { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long position = file.Position;
        int allowed = position >= byteWiseFrom ? 1 : (int)Math.Min(Chunk, byteWiseFrom - position);
        int got = file.Read(buffer[..Math.Min(buffer.Length, allowed)]);
        if (got == 0)
        {
            RanOut = true;
        }
        else
        {
            LastReadStart = position;
        }
        return got;
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
