using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AotNet.Kernels;

/// <summary>
/// 8×48 AVX-512 tile: 24 accumulators plus 3 B vectors fit the 32 zmm registers, and each
/// k step issues 24 FMAs against 3 vector loads and 8 broadcasts, so the FMA ports stay the limit.
/// </summary>
unsafe struct GemmMicroKernel512 : IGemmMicroKernel
{
    public static int Mr => 8;
    public static int Nr => 48;

    // Hot from the first call: skip tier-0 code, which runs these loops many times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, float beta, bool loadC, float* bias, bool relu)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default;
        Vector512<float> c50 = default, c51 = default, c52 = default;
        Vector512<float> c60 = default, c61 = default, c62 = default;
        Vector512<float> c70 = default, c71 = default, c72 = default;

        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var b2 = Vector512.Load(b + 32);

            var av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00); c01 = Vector512.FusedMultiplyAdd(av, b1, c01); c02 = Vector512.FusedMultiplyAdd(av, b2, c02);
            av = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10); c11 = Vector512.FusedMultiplyAdd(av, b1, c11); c12 = Vector512.FusedMultiplyAdd(av, b2, c12);
            av = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20); c21 = Vector512.FusedMultiplyAdd(av, b1, c21); c22 = Vector512.FusedMultiplyAdd(av, b2, c22);
            av = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30); c31 = Vector512.FusedMultiplyAdd(av, b1, c31); c32 = Vector512.FusedMultiplyAdd(av, b2, c32);
            av = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40); c41 = Vector512.FusedMultiplyAdd(av, b1, c41); c42 = Vector512.FusedMultiplyAdd(av, b2, c42);
            av = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50); c51 = Vector512.FusedMultiplyAdd(av, b1, c51); c52 = Vector512.FusedMultiplyAdd(av, b2, c52);
            av = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(av, b0, c60); c61 = Vector512.FusedMultiplyAdd(av, b1, c61); c62 = Vector512.FusedMultiplyAdd(av, b2, c62);
            av = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(av, b0, c70); c71 = Vector512.FusedMultiplyAdd(av, b1, c71); c72 = Vector512.FusedMultiplyAdd(av, b2, c72);

            a += 8;
            b += 48;
        }

        var epilogue = new Epilogue(beta, loadC, bias, relu);
        epilogue.Store(c, c00, c01, c02); c += ldc;
        epilogue.Store(c, c10, c11, c12); c += ldc;
        epilogue.Store(c, c20, c21, c22); c += ldc;
        epilogue.Store(c, c30, c31, c32); c += ldc;
        epilogue.Store(c, c40, c41, c42); c += ldc;
        epilogue.Store(c, c50, c51, c52); c += ldc;
        epilogue.Store(c, c60, c61, c62); c += ldc;
        epilogue.Store(c, c70, c71, c72);
    }

    /// <summary>
    /// beta·C, bias and ReLU applied to one 48-wide row while it is still in registers. Holds no
    /// vectors itself: with 24 accumulators live, any extra register makes the JIT spill them all.
    /// </summary>
    readonly struct Epilogue(float beta, bool loadC, float* bias, bool relu)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(float* row, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2)
        {
            if (loadC)
            {
                v0 = Vector512.FusedMultiplyAdd(Vector512.Load(row), Vector512.Create(beta), v0);
                v1 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 16), Vector512.Create(beta), v1);
                v2 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 32), Vector512.Create(beta), v2);
            }
            if (bias != null)
            {
                v0 += Vector512.Load(bias);
                v1 += Vector512.Load(bias + 16);
                v2 += Vector512.Load(bias + 32);
            }
            if (relu)
            {
                v0 = Vector512.Max(v0, Vector512<float>.Zero);
                v1 = Vector512.Max(v1, Vector512<float>.Zero);
                v2 = Vector512.Max(v2, Vector512<float>.Zero);
            }
            v0.Store(row);
            v1.Store(row + 16);
            v2.Store(row + 32);
        }
    }
}
