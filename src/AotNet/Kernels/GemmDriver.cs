using System.Runtime.CompilerServices;

namespace AotNet.Kernels;

/// <summary>
/// The BLIS loop nest around a microkernel, over one rectangle of C (a thread's share): column
/// blocks of Nc, then k blocks of Kc (packing B once per block), then row blocks of Mc (packing A
/// once per block), then Nr-column panels, then Mr-row panels. The Kc×Nr panel of B stays in L1
/// while the kernel walks down the packed A block, which sits in L2; A is the narrower panel,
/// so streaming it costs the least bandwidth.
/// </summary>
static unsafe class GemmDriver<TKernel> where TKernel : struct, IGemmMicroKernel
{
    // Hot from the first call: skip tier-0 code, which runs these loops many times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(in GemmProblem problem, int rowStart, int rowEnd, int colStart, int colEnd, GemmWorkspace workspace)
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        int blockWidth = GemmBlocking.Nc(nr);
        int blockHeight = GemmBlocking.Mc(mr);
        int k = problem.K;
        nint ldc = problem.N;

        for (int jc = colStart; jc < colEnd; jc += blockWidth)
        {
            int nc = Math.Min(blockWidth, colEnd - jc);
            int depthStep = GemmBlocking.DepthStep(k);
            for (int pc = 0; pc < k; pc += depthStep)
            {
                int kc = Math.Min(depthStep, k - pc);
                bool firstBlock = pc == 0;
                bool lastBlock = pc + kc == k;

                // Later k blocks add onto the partial sums already in C.
                float beta = firstBlock ? problem.Beta : 1f;
                bool loadC = !firstBlock || problem.Beta != 0f;
                bool relu = lastBlock && problem.Relu;
                float* bias = lastBlock ? problem.Bias : null;

                for (int jr = 0; jr < nc; jr += nr)
                {
                    PackB(problem, pc, kc, jc + jr, Math.Min(nr, nc - jr), workspace.PackedB + (nint)jr * kc);
                }

                for (int ic = rowStart; ic < rowEnd; ic += blockHeight)
                {
                    int mc = Math.Min(blockHeight, rowEnd - ic);
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        PackA(problem, pc, kc, ic + ir, Math.Min(mr, mc - ir), workspace.PackedA + (nint)ir * kc);
                    }

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        int column = jc + jr;
                        float* packedB = workspace.PackedB + (nint)jr * kc;
                        float* tileBias = bias == null ? null : bias + column;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            float* packedA = workspace.PackedA + (nint)ir * kc;
                            float* cTile = problem.C + (ic + ir) * ldc + column;
                            if (rows == mr && cols == nr)
                            {
                                TKernel.Run(kc, packedA, packedB, cTile, ldc, beta, loadC, tileBias, relu);
                            }
                            else
                            {
                                TKernel.Run(kc, packedA, packedB, workspace.EdgeTile, nr, 0f, false, null, false);
                                GemmEpilogue.StoreTile(workspace.EdgeTile, nr, cTile, ldc, rows, cols, beta, loadC, tileBias, relu);
                            }
                        }
                    }
                }
            }
        }
    }

    static void PackA(in GemmProblem problem, int pc, int kc, int row, int rows, float* destination)
    {
        if (problem.TransposeA)
        {
            // Aᵀ stored [k, m]: each k step is a contiguous run of rows.
            GemmPacking.PackRuns(problem.A + (nint)pc * problem.M + row, problem.M, rows, kc, TKernel.Mr, destination);
        }
        else
        {
            GemmPacking.PackTransposed(problem.A + (nint)row * problem.K + pc, problem.K, rows, kc, TKernel.Mr, destination);
        }
    }

    static void PackB(in GemmProblem problem, int pc, int kc, int column, int columns, float* destination)
    {
        if (problem.TransposeB)
        {
            // Bᵀ stored [n, k]: k runs along rows, so the panel is a transpose.
            GemmPacking.PackTransposed(problem.B + (nint)column * problem.K + pc, problem.K, columns, kc, TKernel.Nr, destination);
        }
        else
        {
            GemmPacking.PackRuns(problem.B + (nint)pc * problem.N + column, problem.N, columns, kc, TKernel.Nr, destination);
        }
    }
}
