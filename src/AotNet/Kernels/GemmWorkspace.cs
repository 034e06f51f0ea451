using System.Runtime.InteropServices;

namespace AotNet.Kernels;

/// <summary>
/// One thread's packing buffers, 64-byte aligned and allocated on first use, so GEMM calls after
/// warm-up allocate nothing. The finalizer returns the memory when the thread (and so the
/// thread-static reference) goes away.
/// </summary>
sealed unsafe class GemmWorkspace
{
    [ThreadStatic]
    static GemmWorkspace? current;

    /// <summary>Room for one packed A block (Mc × Kc).</summary>
    public readonly float* PackedA;

    /// <summary>Room for one packed B block (Kc × Nc).</summary>
    public readonly float* PackedB;

    /// <summary>Scratch tile for edge tiles, written by the kernel then copied into C in part.</summary>
    public readonly float* EdgeTile;

    GemmWorkspace()
    {
        PackedA = Allocate(GemmBlocking.Kc * (GemmBlocking.McTarget + GemmBlocking.MaxMr));
        PackedB = Allocate(GemmBlocking.Kc * (GemmBlocking.NcTarget + GemmBlocking.MaxNr));
        EdgeTile = Allocate(GemmBlocking.MaxMr * GemmBlocking.MaxNr);
    }

    ~GemmWorkspace()
    {
        NativeMemory.AlignedFree(PackedA);
        NativeMemory.AlignedFree(PackedB);
        NativeMemory.AlignedFree(EdgeTile);
    }

    /// <summary>The calling thread's workspace.</summary>
    public static GemmWorkspace ForCurrentThread => current ??= new GemmWorkspace();

    static float* Allocate(int floats) => (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);
}
