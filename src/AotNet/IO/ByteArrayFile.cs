namespace AotNet;

/// <summary>Bytes already in memory, read in place (<see cref="Safetensors.Parse"/> keeps the caller's array).</summary>
sealed class ByteArrayFile(byte[] bytes, string source) : IReadableFile
{
    public long Length => bytes.Length;

    public void ReadExactly(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset > bytes.Length - destination.Length)
        {
            throw SafetensorsParser.Fault(source, $"ends before byte {offset + destination.Length}");
        }
        bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
    }

    public void Dispose()
    {
    }
}
