namespace AotNet.Kernels;

/// <summary>
/// A register-blocked GEMM tile: multiplies a packed A micro-panel (kc×Mr, column by column)
/// by a packed B micro-panel (kc×Nr, row by row) and writes the Mr×Nr result to C.
/// Implemented by structs so the blocked driver is specialised per kernel by the JIT.
/// </summary>
unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of C produced by one call.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of C produced by one call.</summary>
    static abstract int Nr { get; }

    /// <summary>
    /// C = epilogue(A·B) for one full tile. When <paramref name="loadC"/>, the old C is scaled
    /// by <paramref name="beta"/> and added; <paramref name="bias"/> (Nr entries, or null) is added
    /// to every row; <paramref name="relu"/> clamps at zero.
    /// </summary>
    static abstract void Run(nint kc, float* a, float* b, float* c, nint ldc, float beta, bool loadC, float* bias, bool relu);
}
