namespace AotNet.Kernels;

/// <summary>Cache-blocking sizes, chosen for a 48 KB L1 and 1 MB L2 per core.</summary>
static class GemmBlocking
{
    /// <summary>Largest depth of one k block: a Kc×Nr panel of packed B (48 KB for Nr = 48) is read from L1 and L2.</summary>
    public const int Kc = 256;

    /// <summary>Target height of one packed A block (Mc·Kc floats, 256 KB, held in L2).</summary>
    public const int McTarget = 256;

    /// <summary>Target width of one packed B block (Kc·Nc floats, up to 1 MB; only its Kc×Nr panels need to stay close).</summary>
    public const int NcTarget = 1024;

    /// <summary>Upper bounds over all microkernels, used to size the per-thread buffers.</summary>
    public const int MaxMr = 16;

    /// <inheritdoc cref="MaxMr"/>
    public const int MaxNr = 64;

    /// <summary>
    /// The k-block depth for a given k: blocks of equal depth (a multiple of 8, for the packing
    /// transposes), since a thin last block would pay a full pass over C for little work.
    /// </summary>
    public static int DepthStep(int k)
    {
        int blocks = (k + Kc - 1) / Kc;
        int step = (k + blocks - 1) / blocks;
        return Math.Min(Kc, (step + 7) & ~7);
    }

    /// <summary>Block width for a kernel: a multiple of Nr, so only the last panel of C can be partial.</summary>
    public static int Nc(int nr) => Math.Max(nr, NcTarget / nr * nr);

    /// <summary>Block height for a kernel: a multiple of Mr, for the same reason.</summary>
    public static int Mc(int mr) => Math.Max(mr, McTarget / mr * mr);
}
