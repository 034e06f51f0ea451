using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AotNet.Kernels;

/// <summary>
/// Copies a strip of A or B into the order the microkernel reads it: for each of kc steps, a run
/// of <c>width</c> consecutive floats (Mr for A, Nr for B), zero-padded past the matrix edge so the
/// kernel never needs a partial-tile path. Every transpose combination reduces to one of two source
/// orders, so A and B share these two routines.
/// </summary>
static unsafe class GemmPacking
{
    /// <summary>
    /// Source element (w, p) sits at <c>source[p*ld + w]</c>: each k step is already a contiguous run
    /// (B as stored, or Aᵀ as stored), so packing is a plain copy.
    /// </summary>
    // Hot from the first call: skip tier-0 code, which runs these loops many times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackRuns(float* source, nint ld, int count, int kc, int width, float* destination)
    {
        for (int p = 0; p < kc; p++)
        {
            float* from = source + p * ld;
            float* to = destination + p * width;
            int w = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; w + 16 <= count; w += 16)
                {
                    Vector512.Load(from + w).Store(to + w);
                }
            }
            for (; w + 8 <= count; w += 8)
            {
                Vector256.Load(from + w).Store(to + w);
            }
            for (; w < count; w++)
            {
                to[w] = from[w];
            }
            for (; w < width; w++)
            {
                to[w] = 0f;
            }
        }
    }

    /// <summary>
    /// Source element (w, p) sits at <c>source[w*ld + p]</c>: k runs along rows (A as stored, or Bᵀ as
    /// stored), so packing is a transpose, done 8×8 blocks at a time in registers.
    /// </summary>
    // Hot from the first call: skip tier-0 code, which runs these loops many times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTransposed(float* source, nint ld, int count, int kc, int width, float* destination)
    {
        int w = 0;
        if (Avx.IsSupported)
        {
            for (; w + 8 <= count; w += 8)
            {
                float* from = source + w * ld;
                float* to = destination + w;
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                {
                    Transpose8x8(from + p, ld, to + p * width, width);
                }
                for (; p < kc; p++)
                {
                    for (int r = 0; r < 8; r++)
                    {
                        to[p * width + r] = from[r * ld + p];
                    }
                }
            }
        }
        for (; w < count; w++)
        {
            float* from = source + w * ld;
            float* to = destination + w;
            for (int p = 0; p < kc; p++)
            {
                to[p * width] = from[p];
            }
        }
        ZeroPadding(count, kc, width, destination);
    }

    static void ZeroPadding(int count, int kc, int width, float* destination)
    {
        if (count == width)
        {
            return;
        }
        for (int p = 0; p < kc; p++)
        {
            for (int w = count; w < width; w++)
            {
                destination[p * width + w] = 0f;
            }
        }
    }

    /// <summary>Reads 8 rows of 8 floats and writes them as 8 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose8x8(float* source, nint ld, float* destination, nint destinationLd)
    {
        var r0 = Avx.LoadVector256(source);
        var r1 = Avx.LoadVector256(source + ld);
        var r2 = Avx.LoadVector256(source + 2 * ld);
        var r3 = Avx.LoadVector256(source + 3 * ld);
        var r4 = Avx.LoadVector256(source + 4 * ld);
        var r5 = Avx.LoadVector256(source + 5 * ld);
        var r6 = Avx.LoadVector256(source + 6 * ld);
        var r7 = Avx.LoadVector256(source + 7 * ld);

        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + destinationLd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + 2 * destinationLd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + 3 * destinationLd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + 4 * destinationLd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + 5 * destinationLd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + 6 * destinationLd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + 7 * destinationLd, Avx.Permute2x128(s3, s7, 0x31));
    }
}
