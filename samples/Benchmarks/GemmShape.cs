namespace AotNet.Benchmarks;

/// <summary>One GEMM to time: C[m,n] = op(A)·op(B).</summary>
sealed record GemmShape(string Name, int M, int N, int K, bool TransposeA, bool TransposeB)
{
    public double Flops => 2.0 * M * N * K;

    public static IEnumerable<GemmShape> Square(IEnumerable<int> sizes) =>
        sizes.Select(s => new GemmShape($"{s}³", s, s, s, false, false));

    /// <summary>
    /// The first layer of the W1 MLP at batch 64, as forward and the two backward products:
    /// X[64,784]·W[784,256]; dX = dY[64,256]·W[784,256]ᵀ; dW = X[64,784]ᵀ·dY[64,256].
    /// </summary>
    public static IEnumerable<GemmShape> W1() =>
    [
        new("W1 fwd A·B 64x784·784x256", 64, 256, 784, false, false),
        new("W1 bwd A·Bᵀ 64x256·(784x256)ᵀ", 64, 784, 256, false, true),
        new("W1 bwd Aᵀ·B (64x784)ᵀ·64x256", 784, 256, 64, true, false),
        new("W1 fwd A·Bᵀ 64x784·(256x784)ᵀ", 64, 256, 784, false, true),
    ];
}
