using AotNet.Kernels;

namespace AotNet.Tests.Support;

/// <summary>
/// A fact about one GEMM microkernel, skipped (and reported as skipped) on a machine whose CPU
/// cannot run it. Returning early instead would report a pass for a kernel that never ran.
/// </summary>
sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute(GemmKernelKind kernel)
    {
        if (!GemmKernelSelection.IsSupported(kernel))
        {
            Skip = kernel switch
            {
                GemmKernelKind.Vector512 => "This CPU (or the runtime's settings) has no accelerated AVX-512F; the Vector512 kernel cannot run here.",
                GemmKernelKind.Vector256 => "This CPU (or the runtime's settings) has no accelerated AVX2 with FMA; the Vector256 kernel cannot run here.",
                _ => $"This machine cannot run the {kernel} kernel.",
            };
        }
    }
}
