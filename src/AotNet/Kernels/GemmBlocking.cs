namespace AotNet.Kernels;

/// <summary>Cache-blocking sizes, chosen for a 48 KB L1 and 1 MB L2 per core.</summary>
static class GemmBlocking
{
    /// <summary>
    /// Depth of one k block. The A micro-panel (Kc·Mr floats, 8 KB) then stays in L1 while the
    /// kernel sweeps across the packed B block.
    /// </summary>
    public const int Kc = 256;

    /// <summary>Target width of one packed B block (Kc·Nc floats, about 0.6 MB, held in L2).</summary>
    public const int NcTarget = 576;

    /// <summary>Upper bounds over all microkernels, used to size the per-thread buffers.</summary>
    public const int MaxMr = 16;

    /// <inheritdoc cref="MaxMr"/>
    public const int MaxNr = 64;

    /// <summary>Block width for a kernel: a multiple of Nr, so only the last panel of C can be partial.</summary>
    public static int Nc(int nr) => Math.Max(nr, NcTarget / nr * nr);
}
