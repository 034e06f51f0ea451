namespace AotNet.Tests.IO;

/// <summary>
/// Serves files from memory through the loaders' file seam and records every read, so a test
/// can check which bytes a load touched and in what order.
/// </summary>
sealed class InMemoryFiles : IFileOpener
{
    readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    /// <summary>Every read of the last opened file, as (offset, length), in order.</summary>
    public List<(long Offset, int Length)> Reads { get; } = [];

    public void Put(string path, byte[] bytes) => _files[path] = bytes;

    public IReadableFile OpenRead(string path)
    {
        Reads.Clear();
        return _files.TryGetValue(path, out var bytes) ? new Observed(bytes, this) : throw new FileNotFoundException($"No file {path}.", path);
    }

    /// <summary>One past the furthest byte read so far.</summary>
    public long FurthestRead => Reads.Count == 0 ? 0 : Reads.Max(r => r.Offset + r.Length);

    sealed class Observed(byte[] bytes, InMemoryFiles owner) : IReadableFile
    {
        public long Length => bytes.Length;

        public void ReadExactly(long offset, Span<byte> destination)
        {
            owner.Reads.Add((offset, destination.Length));
            if (offset < 0 || offset + destination.Length > bytes.Length)
            {
                throw new InvalidDataException($"read past the end: {offset} + {destination.Length} > {bytes.Length}");
            }
            bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
        }

        public void Dispose()
        {
        }
    }
}
