using AotNet.Generators.Graph;

namespace AotNet.Generators.Tests.Passes;

public class DimAlgebraTests
{
    static readonly Dim H = Dim.Named("H"), W = Dim.Named("W"), C = Dim.Named("C"), N = Dim.Named("N");

    [Fact]
    public void AConvolutionOutputSizeNormalisesToItsSimplestForm()
    {
        // (H + 2·2 − 5) / 1 + 1: a 5×5 kernel with padding 2 and stride 1 keeps the size.
        var output = (H + Dim.Of(2) * Dim.Of(2) - Dim.Of(5)) / Dim.Of(1) + Dim.Of(1);
        Assert.Equal(H, output);
        Assert.Equal("H", output.Code);
    }

    [Fact]
    public void AStridedConvolutionKeepsItsQuotient()
    {
        var output = (H + Dim.Of(2) - Dim.Of(3)) / Dim.Of(2) + Dim.Of(1);
        Assert.Equal("((H - 1) / 2) + 1", output.Code);
        Assert.Equal(output, (H - Dim.Of(1)) / Dim.Of(2) + Dim.One);
        Assert.NotEqual(output, H / Dim.Of(2));
    }

    [Fact]
    public void FlatteningMultipliesInAnyOrder()
    {
        Assert.Equal(C * H * W, W * (H * C));
        Assert.Equal("C * H * W", (W * H * C).Code);
        Assert.Equal("N * 256", (Dim.Of(256) * N).Code);
    }

    [Fact]
    public void SumsCollectLikeTermsAndCancel()
    {
        Assert.Equal(Dim.Of(2) * N, N + N);
        Assert.Equal(Dim.Zero, N - N);
        Assert.Equal("N * T + 3", (N * Dim.Named("T") + Dim.Of(1) + Dim.Of(2)).Code);
        Assert.Equal(Dim.Of(7), Dim.Of(15) / Dim.Of(2));
        Assert.Equal(N * Dim.Of(3), (N * Dim.Of(6)) / Dim.Of(2));
        // A reshape's −1 divides the element count by the sizes it knows.
        Assert.Equal(Dim.Of(784), (N * Dim.Of(784)) / N);
        Assert.Equal(C * H, (Dim.Of(2) * N * C * H) / (Dim.Of(2) * N));
        Assert.Equal("((N * 5) / M)", ((N * Dim.Of(5)) / Dim.Named("M")).Code);
    }

    [Fact]
    public void ConstantsAndSymbolsReportWhatTheyAre()
    {
        Assert.True(Dim.Of(4).IsConstant);
        Assert.Equal(4, Dim.Of(4).Value);
        Assert.Equal("N", N.Symbol);
        Assert.Null((N * C).Symbol);
        Assert.Equal(["C", "N"], (N * C + Dim.One).Symbols.Order(StringComparer.Ordinal));
    }
}
