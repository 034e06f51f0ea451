namespace AotNet;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an
/// 8-byte little-endian header length, a JSON header mapping each tensor's name to its dtype,
/// shape and byte range, then the raw little-endian data. Files written here load in PyTorch
/// with <c>safetensors.torch.load_file</c> and vice versa.
/// </summary>
/// <remarks>
/// AotNet writes F32 only. It reads F32, and converts F16 and BF16 (exactly) and F64 (rounded)
/// to float32 on request; other dtypes are listed but refused when decoded. Files are read
/// whole into memory, so one file is limited to about 2 GB.
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
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IEnumerable<KeyValuePair<string, string>>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var materialised = tensors.ToList();
        var pairs = metadata?.ToList();
        AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, materialised, pairs));
    }

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="stream"/> in safetensors layout.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or one is named <c>__metadata__</c>.</exception>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IEnumerable<KeyValuePair<string, string>>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SafetensorsWriter.Write(stream, tensors, metadata);
    }

    /// <summary>
    /// Reads and validates the file at <paramref name="path"/>. Nothing is returned unless the
    /// whole file is well formed: a sane header length within the file, valid UTF-8 JSON, every
    /// tensor with a known dtype, a shape and data offsets that agree, no repeated names, and
    /// tensors that tile the data section with no overlap, hole or trailing byte.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is truncated or malformed; the message names the file and the fault.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static SafetensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long length = new FileInfo(path).Length;
        if (length > Array.MaxLength)
        {
            throw new InvalidDataException($"{path} is {length} bytes; AotNet reads safetensors files of up to {Array.MaxLength} bytes.");
        }
        return SafetensorsParser.Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Validates <paramref name="bytes"/> as <see cref="Read"/> does; <paramref name="source"/> names them in error messages. The array is kept, not copied.</summary>
    /// <exception cref="InvalidDataException">The bytes are truncated or malformed.</exception>
    public static SafetensorsFile Parse(byte[] bytes, string source = "safetensors data")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(source);
        return SafetensorsParser.Parse(bytes, source);
    }
}
