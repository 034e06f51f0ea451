using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AotNet.Kernels;

/// <summary>Which microkernel a GEMM runs; chosen once from the hardware, overridable in tests.</summary>
enum GemmKernelKind
{
    Scalar,
    Vector256,
    Vector512,
}

static class GemmKernelSelection
{
    /// <summary>The fastest kernel this machine runs natively (read-only, so the JIT folds the dispatch).</summary>
    public static readonly GemmKernelKind Best =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernelKind.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernelKind.Vector256
        : GemmKernelKind.Scalar;

    public static bool IsSupported(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => Best == GemmKernelKind.Vector512,
        GemmKernelKind.Vector256 => Best != GemmKernelKind.Scalar,
        _ => true,
    };

    public static (int Mr, int Nr) TileOf(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Vector512 => (GemmMicroKernel512.Mr, GemmMicroKernel512.Nr),
        GemmKernelKind.Vector256 => (GemmMicroKernel256.Mr, GemmMicroKernel256.Nr),
        _ => (GemmMicroKernelScalar.Mr, GemmMicroKernelScalar.Nr),
    };
}
