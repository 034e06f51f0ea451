using System.Buffers.Binary;

namespace AotNet;

/// <summary>
/// The dtypes the safetensors format names, with their element sizes, and the conversion of the
/// floating-point ones to float32. Sizes are known for every dtype so a file's layout can be
/// checked in full even when some of its tensors cannot be converted.
/// </summary>
static class SafetensorsDType
{
    public const string F32 = "F32";
    public const string I64 = "I64";
    public const string I32 = "I32";
    public const string U8 = "U8";
    public const string Bool = "BOOL";

    /// <summary>The element size in bytes of <paramref name="dtype"/>, or 0 when the format does not define it.</summary>
    public static int SizeOf(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" => 8,
        _ => 0,
    };

    /// <summary>True for the dtypes AotNet converts to float32: F32 exactly, F16 and BF16 exactly, F64 rounded to nearest.</summary>
    public static bool IsConvertible(string dtype) => dtype is "F32" or "F64" or "F16" or "BF16";

    /// <summary>Decodes little-endian elements of <paramref name="dtype"/> into floats.</summary>
    public static void ToFloats(string dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case "F32":
                if (BitConverter.IsLittleEndian)
                {
                    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                    return;
                }
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * i));
                }
                return;
            case "F64":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source.Slice(8 * i));
                }
                return;
            case "F16":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source.Slice(2 * i));
                }
                return;
            case "BF16":
                // bfloat16 is the top half of a float32, so widening is a shift.
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i)) << 16);
                }
                return;
            default:
                throw new NotSupportedException($"dtype {dtype} cannot be converted to float32.");
        }
    }
}
