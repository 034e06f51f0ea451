using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AotNet.Kernels;

/// <summary>
/// 6×16 AVX2 tile for machines without a fast 512-bit path: 12 accumulators, 2 B vectors and a
/// broadcast fit the 16 ymm registers.
/// </summary>
unsafe struct GemmMicroKernel256 : IGemmMicroKernel
{
    public static int Mr => 6;
    public static int Nr => 16;

    // Hot from the first call: skip tier-0 code, which runs these loops many times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, float beta, bool loadC, float* bias, bool relu)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;

        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);

            var av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00); c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10); c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20); c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30); c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40); c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50); c51 = Vector256.FusedMultiplyAdd(av, b1, c51);

            a += 6;
            b += 16;
        }

        var epilogue = new Epilogue(beta, loadC, bias, relu);
        epilogue.Store(c, c00, c01); c += ldc;
        epilogue.Store(c, c10, c11); c += ldc;
        epilogue.Store(c, c20, c21); c += ldc;
        epilogue.Store(c, c30, c31); c += ldc;
        epilogue.Store(c, c40, c41); c += ldc;
        epilogue.Store(c, c50, c51);
    }

    /// <summary>
    /// beta·C, bias and ReLU applied to one 16-wide row while it is still in registers. Holds no
    /// vectors itself, so the accumulators are not spilled to make room.
    /// </summary>
    readonly struct Epilogue(float beta, bool loadC, float* bias, bool relu)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(float* row, Vector256<float> v0, Vector256<float> v1)
        {
            if (loadC)
            {
                v0 = Vector256.FusedMultiplyAdd(Vector256.Load(row), Vector256.Create(beta), v0);
                v1 = Vector256.FusedMultiplyAdd(Vector256.Load(row + 8), Vector256.Create(beta), v1);
            }
            if (bias != null)
            {
                v0 += Vector256.Load(bias);
                v1 += Vector256.Load(bias + 8);
            }
            if (relu)
            {
                v0 = Vector256.Max(v0, Vector256<float>.Zero);
                v1 = Vector256.Max(v1, Vector256<float>.Zero);
            }
            v0.Store(row);
            v1.Store(row + 8);
        }
    }
}
