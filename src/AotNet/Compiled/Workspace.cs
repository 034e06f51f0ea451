namespace AotNet.Compiled;

/// <summary>
/// The buffers of one generated method, planned at build time. Each slot grows to the largest
/// size asked of it and is then reused, so after the first call with a batch size the
/// generated code allocates nothing. Not thread-safe: one workspace serves one caller at a time.
/// </summary>
public sealed class Workspace
{
    readonly float[][] _slots;

    /// <summary>A workspace with <paramref name="slotCount"/> empty slots.</summary>
    public Workspace(int slotCount)
    {
        _slots = new float[slotCount][];
        for (int i = 0; i < slotCount; i++)
        {
            _slots[i] = [];
        }
    }

    /// <summary>The first <paramref name="length"/> floats of slot <paramref name="slot"/>, growing it if needed. Contents are left over from earlier use.</summary>
    public Span<float> Slot(int slot, int length)
    {
        ref float[] buffer = ref _slots[slot];
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }
        return buffer.AsSpan(0, length);
    }

    /// <summary>The total floats held, for tests and diagnostics.</summary>
    public long AllocatedFloats
    {
        get
        {
            long total = 0;
            foreach (var slot in _slots)
            {
                total += slot.Length;
            }
            return total;
        }
    }
}
