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

    /// <summary>
    /// The first <paramref name="length"/> elements of slot <paramref name="slot"/> seen as
    /// <typeparamref name="T"/> (masks, indices), with the slot grown to its planned
    /// <paramref name="floats"/> first, so values of every type can share one slot over a step.
    /// </summary>
    public Span<T> Slot<T>(int slot, int floats, int length)
        where T : unmanaged
    {
        var raw = System.Runtime.InteropServices.MemoryMarshal.Cast<float, T>(Slot(slot, floats));
        if (raw.Length < length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Slot {slot} holds {raw.Length} elements of {typeof(T).Name}, fewer than the {length} asked for.");
        }
        return raw[..length];
    }

    /// <summary>
    /// Takes the workspace cached in <paramref name="cache"/>, or makes a new one when another call
    /// holds it, so generated inference can run on several threads at once. One caller at a time
    /// allocates nothing after warm-up; concurrent callers each get a workspace of their own.
    /// </summary>
    public static Workspace Take(ref Workspace? cache, int slotCount) =>
        Interlocked.Exchange(ref cache, null) ?? new Workspace(slotCount);

    /// <summary>Puts <paramref name="workspace"/> back in <paramref name="cache"/>, unless another call already did.</summary>
    public static void Return(ref Workspace? cache, Workspace workspace) =>
        Interlocked.CompareExchange(ref cache, workspace, null);

    /// <summary>
    /// The tensor kept in <paramref name="cache"/> when it has <paramref name="shape"/>, else a new
    /// one kept there: a training step hands back its other results in it, so it allocates
    /// nothing per call. Its contents are valid until the next call of the step.
    /// </summary>
    public static Tensor Result(ref Tensor? cache, params ReadOnlySpan<int> shape)
    {
        if (cache is null || !cache.Shape.SequenceEqual(shape))
        {
            cache = new Tensor(shape.ToArray());
        }
        return cache;
    }

    /// <summary>The labels kept in <paramref name="cache"/> when they have <paramref name="shape"/>, else new ones kept there, as <see cref="Result(ref Tensor?, ReadOnlySpan{int})"/> for integer results.</summary>
    public static Labels Result(ref Labels? cache, params ReadOnlySpan<int> shape)
    {
        if (cache is null || !cache.Shape.SequenceEqual(shape))
        {
            var dims = shape.ToArray();
            cache = new Labels(new int[Shapes.CheckedLength(dims, nameof(shape))], dims);
        }
        return cache;
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
