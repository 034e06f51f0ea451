namespace AotNet;

/// <summary>
/// CRC-32 as zip, gzip and PNG define it (reflected polynomial 0xEDB88320), so a checkpoint's
/// checksum can be verified with any standard tool. It catches every single-bit error and
/// every burst of up to 32 bits.
/// </summary>
static class Crc32
{
    static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>The running state before any data.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>Advances a running state over <paramref name="data"/>.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        var table = Table;
        foreach (byte b in data)
        {
            state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        }
        return state;
    }

    /// <summary>The checksum of a running state.</summary>
    public static uint Finish(uint state) => ~state;

    static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
