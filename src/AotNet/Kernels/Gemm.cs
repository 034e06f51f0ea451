namespace AotNet.Kernels;

/// <summary>
/// Single-precision matrix multiply over row-major, contiguous matrices:
/// <c>C = op(A)·op(B) + beta·C + bias</c>, then an optional activation.
/// </summary>
/// <remarks>
/// Packed and register-blocked (see <see cref="GemmDriver{TKernel}"/>), with AVX-512, AVX2 and
/// scalar microkernels, and split across <see cref="WorkerPool"/> when the problem is large
/// enough to pay for the hand-off; a few rows of C (batch-1 inference) go through
/// <see cref="GemmSmallRows"/> instead. Allocates nothing after the first call on a thread.
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>
    /// Below this many multiply-adds (m·n·k) one thread is faster than handing half to a worker.
    /// </summary>
    const long ParallelThreshold = 64 * 64 * 64;

    /// <summary>From this many multiply-adds on, the work is cut finer than one chunk per thread.</summary>
    const long LargeProblem = 384L * 384 * 384;

    /// <summary>
    /// Computes <c>C[m,n] = act(op(A)·op(B) + beta·C + bias)</c>. A is stored as [m,k], or as
    /// [k,m] when <paramref name="transposeA"/>; B is stored as [k,n], or as [n,k] when
    /// <paramref name="transposeB"/>. <paramref name="bias"/>, when not empty, has n entries
    /// added to every row. With <paramref name="beta"/> = 0 the old contents of C are ignored,
    /// even NaN.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, bool transposeA,
        ReadOnlySpan<float> b, bool transposeB,
        Span<float> c, int m, int n, int k,
        float beta = 0f, ReadOnlySpan<float> bias = default, Activation activation = Activation.None)
        => Multiply(GemmKernelSelection.Best, a, transposeA, b, transposeB, c, m, n, k, beta, bias, activation);

    /// <summary>The same, with the microkernel named, so tests can reach every code path on one machine.</summary>
    internal static void Multiply(
        GemmKernelKind kernel,
        ReadOnlySpan<float> a, bool transposeA,
        ReadOnlySpan<float> b, bool transposeB,
        Span<float> c, int m, int n, int k,
        float beta, ReadOnlySpan<float> bias, Activation activation)
    {
        GemmArguments.Validate(a, b, c, m, n, k, bias);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (m <= GemmSmallRows.MaxRows && !transposeA && k > 0)
        {
            GemmSmallRows.Multiply(a, b, transposeB, c, m, n, k, beta, bias, activation == Activation.Relu);
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* pBias = bias)
        {
            var problem = new GemmProblem
            {
                A = pa,
                B = pb,
                C = pc,
                Bias = pBias,
                M = m,
                N = n,
                K = k,
                TransposeA = transposeA,
                TransposeB = transposeB,
                Beta = beta,
                Relu = activation == Activation.Relu,
                Kernel = kernel,
                // Each thread packs all of the operand it does not split, so split the side
                // whose other operand is smaller: columns when m ≤ n (A is then the smaller copy).
                SplitColumns = m <= n,
            };

            if (k == 0)
            {
                GemmEpilogue.ApplyWithoutProduct(problem);
                return;
            }

            WorkerPool.Run(&RunChunk, &problem, ChunksFor(problem));
        }
    }

    /// <summary>
    /// One chunk per thread for mid-sized problems, more for large ones, so a thread the OS delays
    /// leaves work the others can take. Every chunk packs its own copy of the unsplit operand,
    /// which large problems amortise and small ones would not.
    /// </summary>
    static int ChunksFor(in GemmProblem problem)
    {
        long multiplyAdds = (long)problem.M * problem.N * problem.K;
        if (multiplyAdds < ParallelThreshold)
        {
            return 1;
        }
        var (mr, nr) = GemmKernelSelection.TileOf(problem.Kernel);
        int units = problem.SplitColumns ? DivideRoundingUp(problem.N, nr) : DivideRoundingUp(problem.M, mr);
        int perThread = multiplyAdds >= LargeProblem ? 4 : 1;
        return Math.Min(units, Math.Min(WorkerPool.ThreadCount * perThread, WorkerPool.MaxChunks));
    }

    /// <summary>One chunk: an equal count of whole Mr- or Nr-wide strips of C.</summary>
    static void RunChunk(void* state, int chunk, int chunks)
    {
        ref readonly GemmProblem problem = ref *(GemmProblem*)state;
        var (mr, nr) = GemmKernelSelection.TileOf(problem.Kernel);
        int rowStart = 0, rowEnd = problem.M, colStart = 0, colEnd = problem.N;
        if (problem.SplitColumns)
        {
            (colStart, colEnd) = Share(problem.N, nr, chunk, chunks);
        }
        else
        {
            (rowStart, rowEnd) = Share(problem.M, mr, chunk, chunks);
        }
        if (rowStart >= rowEnd || colStart >= colEnd)
        {
            return;
        }

        var workspace = GemmWorkspace.ForCurrentThread;
        switch (problem.Kernel)
        {
            case GemmKernelKind.Vector512:
                GemmDriver<GemmMicroKernel512>.Compute(problem, rowStart, rowEnd, colStart, colEnd, workspace);
                break;
            case GemmKernelKind.Vector256:
                GemmDriver<GemmMicroKernel256>.Compute(problem, rowStart, rowEnd, colStart, colEnd, workspace);
                break;
            default:
                GemmDriver<GemmMicroKernelScalar>.Compute(problem, rowStart, rowEnd, colStart, colEnd, workspace);
                break;
        }
    }

    static (int Start, int End) Share(int length, int unit, int chunk, int chunks)
    {
        int units = DivideRoundingUp(length, unit);
        int start = units * chunk / chunks * unit;
        int end = units * (chunk + 1) / chunks * unit;
        return (Math.Min(start, length), Math.Min(end, length));
    }

    static int DivideRoundingUp(int value, int divisor) => (value + divisor - 1) / divisor;
}
