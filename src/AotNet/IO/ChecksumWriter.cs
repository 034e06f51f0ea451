using System.Buffers.Binary;

namespace AotNet;

/// <summary>Writes little-endian values to a stream while keeping the CRC-32 of everything written.</summary>
sealed class ChecksumWriter(Stream stream)
{
    readonly byte[] _chunk = new byte[1 << 14];
    uint _state = Crc32.Start;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        _state = Crc32.Append(_state, bytes);
    }

    public void WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteUInt64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        Write(bytes);
    }

    /// <summary>Floats go out in chunks, converted element by element so the file is little-endian on any machine.</summary>
    public void WriteFloats(ReadOnlySpan<float> values)
    {
        int perChunk = _chunk.Length / 4;
        for (int start = 0; start < values.Length; start += perChunk)
        {
            var part = values.Slice(start, Math.Min(perChunk, values.Length - start));
            for (int i = 0; i < part.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(_chunk.AsSpan(4 * i), part[i]);
            }
            Write(_chunk.AsSpan(0, 4 * part.Length));
        }
    }

    /// <summary>Appends the checksum of everything written so far; it is not itself checksummed.</summary>
    public void WriteChecksum()
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Crc32.Finish(_state));
        stream.Write(bytes);
    }
}
