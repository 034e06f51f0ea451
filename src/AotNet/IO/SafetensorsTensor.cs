using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AotNet;

/// <summary>
/// One tensor to write with <see cref="Safetensors.WriteTensors(string, IEnumerable{SafetensorsTensor}, IEnumerable{KeyValuePair{string, string}}?)"/>:
/// a name, a dtype, a shape and the values, which are referenced, not copied.
/// </summary>
public sealed class SafetensorsTensor
{
    readonly int[] _shape;
    readonly Action<Stream> _write;

    SafetensorsTensor(string name, string dtype, int[] shape, long elementCount, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        DType = dtype;
        _shape = shape;
        ElementCount = elementCount;
        _write = write;
    }

    /// <summary>The tensor's name in the file.</summary>
    public string Name { get; }

    /// <summary>The safetensors dtype: F32, I64, I32, U8 or BOOL.</summary>
    public string DType { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of elements, the product of <see cref="Shape"/>.</summary>
    public long ElementCount { get; }

    /// <summary>The size of the tensor's data in the file.</summary>
    public long ByteLength => ElementCount * SafetensorsDType.SizeOf(DType);

    /// <summary>A float32 tensor, written as F32.</summary>
    public static SafetensorsTensor Float32(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new(name, SafetensorsDType.F32, tensor.Shape.ToArray(), tensor.Length, stream => WriteLittleEndian<float, int>(stream, tensor.Span));
    }

    /// <summary>64-bit integers of shape <paramref name="shape"/>, written as I64 (PyTorch's <c>int64</c>).</summary>
    /// <exception cref="ArgumentException">The number of values is not the product of the shape.</exception>
    public static SafetensorsTensor Int64(string name, ReadOnlyMemory<long> values, params int[] shape) =>
        new(name, SafetensorsDType.I64, CheckShape(shape, values.Length), values.Length, stream => WriteLittleEndian<long, long>(stream, values.Span));

    /// <summary>32-bit integers of shape <paramref name="shape"/>, written as I32.</summary>
    /// <exception cref="ArgumentException">The number of values is not the product of the shape.</exception>
    public static SafetensorsTensor Int32(string name, ReadOnlyMemory<int> values, params int[] shape) =>
        new(name, SafetensorsDType.I32, CheckShape(shape, values.Length), values.Length, stream => WriteLittleEndian<int, int>(stream, values.Span));

    /// <summary>Bytes of shape <paramref name="shape"/>, written as U8.</summary>
    /// <exception cref="ArgumentException">The number of values is not the product of the shape.</exception>
    public static SafetensorsTensor UInt8(string name, ReadOnlyMemory<byte> values, params int[] shape) =>
        new(name, SafetensorsDType.U8, CheckShape(shape, values.Length), values.Length, stream => stream.Write(values.Span));

    /// <summary>Booleans of shape <paramref name="shape"/>, written as BOOL (one byte each, 0 or 1).</summary>
    /// <exception cref="ArgumentException">The number of values is not the product of the shape.</exception>
    public static SafetensorsTensor Bool(string name, ReadOnlyMemory<bool> values, params int[] shape) =>
        new(name, SafetensorsDType.Bool, CheckShape(shape, values.Length), values.Length, stream =>
        {
            // Normalise: a bool's byte is 1 for true in .NET, but only 0 and 1 are valid in the file.
            Span<byte> chunk = stackalloc byte[1024];
            var span = values.Span;
            for (int start = 0; start < span.Length; start += chunk.Length)
            {
                int count = Math.Min(chunk.Length, span.Length - start);
                for (int i = 0; i < count; i++)
                {
                    chunk[i] = span[start + i] ? (byte)1 : (byte)0;
                }
                stream.Write(chunk[..count]);
            }
        });

    internal void WriteData(Stream stream) => _write(stream);

    static int[] CheckShape(int[] shape, int count)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long product = 1;
        foreach (int dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            product = Math.Min(product * dim, long.MaxValue / int.MaxValue);
        }
        if (product != count)
        {
            throw new ArgumentException($"Shape {Shapes.Format(shape)} holds {product} elements, but {count} values were given.", nameof(shape));
        }
        return (int[])shape.Clone();
    }

    /// <summary>Writes <paramref name="values"/> as little-endian bytes; <typeparamref name="TBits"/> is the integer of the same size, for byte swapping.</summary>
    static void WriteLittleEndian<T, TBits>(Stream stream, ReadOnlySpan<T> values)
        where T : unmanaged
        where TBits : unmanaged
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        var chunk = new TBits[4096];
        var bits = MemoryMarshal.Cast<T, TBits>(values);
        for (int start = 0; start < bits.Length; start += chunk.Length)
        {
            int count = Math.Min(chunk.Length, bits.Length - start);
            var part = chunk.AsSpan(0, count);
            bits.Slice(start, count).CopyTo(part);
            if (typeof(TBits) == typeof(long))
            {
                var longs = MemoryMarshal.Cast<TBits, long>(part);
                BinaryPrimitives.ReverseEndianness(longs, longs);
            }
            else
            {
                var ints = MemoryMarshal.Cast<TBits, int>(part);
                BinaryPrimitives.ReverseEndianness(ints, ints);
            }
            stream.Write(MemoryMarshal.AsBytes(part));
        }
    }
}
