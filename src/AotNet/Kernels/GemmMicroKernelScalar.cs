using System.Runtime.CompilerServices;

namespace AotNet.Kernels;

/// <summary>4×4 tile in plain floats, for hardware without accelerated vectors.</summary>
unsafe struct GemmMicroKernelScalar : IGemmMicroKernel
{
    public static int Mr => 4;
    public static int Nr => 4;

    // Hot from the first call: skip tier-0 code, which runs these loops many times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, float beta, bool loadC, float* bias, bool relu)
    {
        float* acc = stackalloc float[16];
        for (int i = 0; i < 16; i++)
        {
            acc[i] = 0f;
        }
        for (nint p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            for (int i = 0; i < 4; i++)
            {
                float av = a[i];
                acc[i * 4] += av * b0;
                acc[i * 4 + 1] += av * b1;
                acc[i * 4 + 2] += av * b2;
                acc[i * 4 + 3] += av * b3;
            }
            a += 4;
            b += 4;
        }
        GemmEpilogue.StoreTile(acc, 4, c, ldc, 4, 4, beta, loadC, bias, relu);
    }
}
