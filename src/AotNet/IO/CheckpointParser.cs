using System.Buffers.Binary;
using System.Text;

namespace AotNet;

/// <summary>
/// Validates a whole checkpoint file held in memory and lists its entries. Framing (magic,
/// version, length) is checked first so the common faults get specific messages; the checksum
/// then rules out corruption; every read is still bounds-checked, so no file can crash or hang it.
/// </summary>
static class CheckpointParser
{
    public static IReadOnlyList<CheckpointEntry> Parse(byte[] bytes, string path)
    {
        var magic = CheckpointFormat.Magic;
        if (bytes.Length >= magic.Length && !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
        {
            throw new InvalidDataException($"{path} is not an AotNet checkpoint: it does not start with \"AOTNETCK\".");
        }
        int minimum = CheckpointFormat.HeaderSize + CheckpointFormat.ChecksumSize;
        if (bytes.Length < minimum)
        {
            throw new InvalidDataException($"{path} is truncated: it has {bytes.Length} bytes, fewer than the {minimum} of an empty checkpoint.");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != CheckpointFormat.Version)
        {
            throw new InvalidDataException($"{path} is checkpoint format version {version}; this build reads version {CheckpointFormat.Version}.");
        }
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12));
        if (declared > (ulong)bytes.Length)
        {
            throw new InvalidDataException($"{path} is truncated: its header declares {declared} bytes, but the file has {bytes.Length}.");
        }
        if (declared < (ulong)bytes.Length)
        {
            throw new InvalidDataException($"{path} has {(ulong)bytes.Length - declared} bytes of trailing data after the {declared} its header declares.");
        }
        int bodyLength = bytes.Length - CheckpointFormat.ChecksumSize;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bodyLength));
        uint computed = Crc32.Compute(bytes.AsSpan(0, bodyLength));
        if (stored != computed)
        {
            throw new InvalidDataException($"{path} is corrupt: its CRC-32 is 0x{computed:X8}, but the file records 0x{stored:X8}.");
        }
        return ParseEntries(bytes.AsSpan(0, bodyLength), path);
    }

    /// <summary>Copies little-endian float32 bytes into <paramref name="destination"/>.</summary>
    public static void CopyFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * i, 4));
        }
    }

    static List<CheckpointEntry> ParseEntries(ReadOnlySpan<byte> body, string path)
    {
        var reader = new Reader(body, path);
        reader.Skip(CheckpointFormat.HeaderSize - 4);
        uint count = reader.UInt32("the parameter count");
        var entries = new List<CheckpointEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (uint i = 0; i < count; i++)
        {
            int nameLength = reader.Length($"the name length of parameter {i}");
            string name = reader.Utf8(nameLength, $"the name of parameter {i}");
            if (!names.Add(name))
            {
                throw reader.Malformed($"parameter '{name}' appears twice");
            }
            uint rank = reader.UInt32($"the rank of '{name}'");
            if (rank > CheckpointFormat.MaxRank)
            {
                throw reader.Malformed($"'{name}' has rank {rank}, more than {CheckpointFormat.MaxRank}");
            }
            var shape = new int[rank];
            long elements = 1;
            for (int d = 0; d < shape.Length; d++)
            {
                shape[d] = reader.Length($"dimension {d} of '{name}'");
                elements *= shape[d];
                if (elements * 4 > body.Length)
                {
                    throw reader.Malformed($"'{name}' declares shape dimensions whose data cannot fit in the file");
                }
            }
            int dataLength = (int)(elements * 4);
            int offset = reader.Take(dataLength, $"the data of '{name}' {Shapes.Format(shape)}");
            entries.Add(new CheckpointEntry(name, shape, offset, dataLength));
        }
        if (reader.Remaining != 0)
        {
            throw reader.Malformed($"{reader.Remaining} bytes follow the last parameter");
        }
        return entries;
    }

    /// <summary>A bounds-checked little-endian cursor whose errors say what it was reading.</summary>
    ref struct Reader(ReadOnlySpan<byte> body, string path)
    {
        readonly ReadOnlySpan<byte> _body = body;
        int _position;

        public readonly int Remaining => _body.Length - _position;

        public void Skip(int count) => Take(count, "the header");

        public int Take(int count, string what)
        {
            if (count < 0 || count > Remaining)
            {
                throw Malformed($"{what} needs {count} bytes at offset {_position}, but only {Remaining} remain");
            }
            int start = _position;
            _position += count;
            return start;
        }

        public uint UInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(_body.Slice(Take(4, what), 4));

        /// <summary>A uint32 that counts something, so must fit an int.</summary>
        public int Length(string what)
        {
            uint value = UInt32(what);
            if (value > int.MaxValue)
            {
                throw Malformed($"{what} is {value}, too large");
            }
            return (int)value;
        }

        public string Utf8(int length, string what)
        {
            var bytes = _body.Slice(Take(length, what), length);
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Malformed($"{what} is not valid UTF-8");
            }
        }

        public readonly InvalidDataException Malformed(string detail) =>
            new($"{path} is malformed although its checksum matches: {detail}.");
    }
}
