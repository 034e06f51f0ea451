using AotNet;
using AotNet.Samples.FashionMnist;

namespace FashionMnist.Tests;

public sealed class PlainProgressTests
{
    static TrainingProgress At(int step, int steps = 937, int epoch = 1) =>
        new(epoch, 10, step, steps, step, 0.5f, 0.4321f, 12345.6, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(26));

    [Fact]
    public void ALineSaysWhereTheRunIsAndWhatIsLeft() =>
        Assert.Equal("epoch 1/10  step 282/937 (30%)  loss 0.4321  12346 samples/s  ETA 0:26", PlainProgress.Describe(At(282)));

    [Fact]
    public void WritesOneCompleteLineForEveryTenthOfAnEpoch()
    {
        var text = new StringWriter();
        var progress = new PlainProgress(text);
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            for (int step = 1; step <= 937; step++)
            {
                progress.Report(At(step, epoch: epoch));
            }
        }
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^epoch [12]/10  step \d+/937 \(\d+%\)  loss 0\.4321  12346 samples/s  ETA 0:26$", line));
        Assert.Contains("step 94/937 (10%)", lines[0], StringComparison.Ordinal);
        Assert.Contains("step 937/937 (100%)", lines[9], StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text.ToString(), StringComparison.Ordinal);
    }
}
