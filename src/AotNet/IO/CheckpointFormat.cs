namespace AotNet;

/// <summary>
/// The layout of an AotNet checkpoint file, version 1. All integers and floats are little-endian.
/// <code>
/// offset 0   8 bytes   magic "AOTNETCK"
///        8   uint32    version (1)
///       12   uint64    total file length in bytes, checksum included
///       20   uint32    parameter count
///       24   per parameter:
///                uint32 name length, then the name in UTF-8
///                uint32 rank, then rank × int32 dimensions
///                product(dimensions) × float32, row-major
///  end - 4   uint32    CRC-32 of every byte before it
/// </code>
/// </summary>
static class CheckpointFormat
{
    public static ReadOnlySpan<byte> Magic => "AOTNETCK"u8;

    public const uint Version = 1;

    /// <summary>Magic, version, length and count.</summary>
    public const int HeaderSize = 8 + 4 + 8 + 4;

    public const int ChecksumSize = 4;

    /// <summary>A rank no real parameter reaches; a larger one means a malformed file.</summary>
    public const int MaxRank = 32;
}
