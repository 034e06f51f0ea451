namespace AotNet.Kernels;

/// <summary>
/// One GEMM call with its operands pinned, as a plain struct so worker threads can read it through
/// a pointer while the calling thread keeps the spans pinned and waits.
/// </summary>
unsafe struct GemmProblem
{
    public float* A;
    public float* B;
    public float* C;

    /// <summary>n bias entries, or null.</summary>
    public float* Bias;

    public int M;
    public int N;
    public int K;
    public bool TransposeA;
    public bool TransposeB;
    public float Beta;
    public bool Relu;

    public GemmKernelKind Kernel;

    /// <summary>Whether threads split the columns of C (else the rows).</summary>
    public bool SplitColumns;

    /// <summary>Distance in A between consecutive rows of op(A), and between consecutive k steps.</summary>
    public readonly nint ARowStride => TransposeA ? 1 : K;

    /// <inheritdoc cref="ARowStride"/>
    public readonly nint ADepthStride => TransposeA ? M : 1;
}
