namespace AotNet;

/// <summary>
/// A file opened for reading at chosen offsets. The safetensors reader asks for the 8-byte prefix,
/// then the header, and for tensor data only once the header has been checked, so an implementation
/// (or a test wrapping one) sees every byte the reader takes.
/// </summary>
interface IReadableFile : IDisposable
{
    /// <summary>The file's length in bytes when it was opened.</summary>
    long Length { get; }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>, or throws <see cref="InvalidDataException"/> if the file ends first.</summary>
    void ReadExactly(long offset, Span<byte> destination);
}

/// <summary>Opens files for the checkpoint loaders; tests substitute one to observe or supply the bytes.</summary>
interface IFileOpener
{
    /// <summary>Opens <paramref name="path"/>, refusing anything but a regular file before reading a byte.</summary>
    IReadableFile OpenRead(string path);
}
