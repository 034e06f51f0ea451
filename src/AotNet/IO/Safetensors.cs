namespace AotNet;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an
/// 8-byte little-endian header length, a JSON header mapping each tensor's name to its dtype,
/// shape and byte range, then the raw little-endian data. Files written here load in PyTorch
/// with <c>safetensors.torch.load_file</c> and vice versa.
/// </summary>
/// <remarks>
/// AotNet writes and reads F32, I64, I32, U8 and BOOL exactly (<see cref="WriteTensors(string, IEnumerable{SafetensorsTensor}, IEnumerable{KeyValuePair{string, string}}?)"/>,
/// <see cref="SafetensorsFile.ReadInt64"/> and its siblings), and converts F16 and BF16 (exactly) and F64 (rounded)
/// to float32 on request; other dtypes are listed and their layout checked, but they are refused when decoded.
/// Reading checks the 8-byte prefix, then the header, before touching any tensor data, and reads
/// tensor data straight into its destination, so a file is never held in memory whole.
/// </remarks>
public static class Safetensors
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (and optional string <paramref name="metadata"/>) to
    /// <paramref name="path"/> atomically: the file is written beside the target under a
    /// temporary name, flushed to disk, then moved over it, so a crash leaves either the old
    /// file or the new one.
    /// </summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or one is named <c>__metadata__</c>.</exception>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/>, not the temporary file.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        WriteTensors(path, Float32(tensors), metadata);

    /// <summary>
    /// Writes tensors of any dtype AotNet writes (F32, I64, I32, U8, BOOL) to <paramref name="path"/>,
    /// atomically as <see cref="Write(string, IEnumerable{KeyValuePair{string, Tensor}}, IEnumerable{KeyValuePair{string, string}}?)"/> does.
    /// </summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or one is named <c>__metadata__</c>.</exception>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/>, not the temporary file.</exception>
    public static void WriteTensors(string path, IEnumerable<SafetensorsTensor> tensors, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        WriteTensors(path, tensors, metadata, PhysicalFileSystem.Instance);

    internal static void WriteTensors(string path, IEnumerable<SafetensorsTensor> tensors, IEnumerable<KeyValuePair<string, string>>? metadata, ISaveFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var sorted = SafetensorsWriter.Sorted(tensors);
        var pairs = metadata?.ToList();
        AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, sorted, pairs), fileSystem);
    }

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="stream"/> in safetensors layout.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or one is named <c>__metadata__</c>.</exception>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        WriteTensors(stream, Float32(tensors), metadata);

    /// <summary>Writes tensors of any dtype AotNet writes and <paramref name="metadata"/> to <paramref name="stream"/> in safetensors layout.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or one is named <c>__metadata__</c>.</exception>
    public static void WriteTensors(Stream stream, IEnumerable<SafetensorsTensor> tensors, IEnumerable<KeyValuePair<string, string>>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SafetensorsWriter.Write(stream, SafetensorsWriter.Sorted(tensors), metadata);
    }

    /// <summary>
    /// Reads and validates the file at <paramref name="path"/>. Nothing is returned unless the
    /// whole file is well formed: a sane header length within the file, valid UTF-8 JSON, every
    /// tensor with a known dtype, a shape and data offsets that agree, no repeated names, and
    /// tensors that tile the data section with no overlap, hole or trailing byte.
    /// </summary>
    /// <remarks>
    /// Only the prefix and the header are read here; the file stays open for the tensor data,
    /// which is read when asked for (dispose the result to close it).
    /// </remarks>
    /// <exception cref="InvalidDataException">The file is truncated or malformed, or is not a regular file (a directory, FIFO or device); the message names the file and the fault.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public static SafetensorsFile Read(string path) => Read(path, PhysicalFileSystem.Instance);

    internal static SafetensorsFile Read(string path, IFileOpener opener)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = opener.OpenRead(path);
        try
        {
            return SafetensorsParser.Parse(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Validates <paramref name="bytes"/> as <see cref="Read(string)"/> does; <paramref name="source"/> names them in error messages. The array is kept, not copied.</summary>
    /// <exception cref="InvalidDataException">The bytes are truncated or malformed.</exception>
    public static SafetensorsFile Parse(byte[] bytes, string source = "safetensors data")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(source);
        return SafetensorsParser.Parse(new ByteArrayFile(bytes, source), source);
    }

    static IEnumerable<SafetensorsTensor> Float32(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return tensors.Select(p => SafetensorsTensor.Float32(p.Key, p.Value));
    }
}
