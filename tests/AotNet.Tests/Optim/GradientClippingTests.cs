using AotNet.Tests.Support;
using Xunit.Abstractions;

namespace AotNet.Tests.Optim;

public class GradientClippingTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases() => new(ClippingFixture.Load().Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesClipGradNorm(string name)
    {
        var test = ClippingFixture.Load().Cases.Single(c => c.Name == name);
        var parameters = test.Grads.Select(g => new Parameter(new Tensor(g.Shape))).ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            test.Grads[i].Data.CopyTo(parameters[i].Grad.Span);
        }
        float total = GradientClipping.ClipByGlobalNorm(parameters, test.MaxNorm, test.Norm);
        double worst = Math.Abs(total - test.TotalNorm) / Math.Max(1, Math.Abs(test.TotalNorm));
        Assert.True(worst <= 1e-6, $"{name}: total norm {total:R}, PyTorch {test.TotalNorm:R}.");
        for (int i = 0; i < parameters.Length; i++)
        {
            worst = Math.Max(worst, Support.Close.Assert(test.Clipped[i], parameters[i].Grad.Span, 1e-6, $"{name} grad {i}"));
        }
        output.WriteLine($"{name}: largest scaled deviation {worst:E2}");
    }

    [Fact]
    public void FixtureHasAClippedAndAnUnclippedCase()
    {
        var cases = ClippingFixture.Load().Cases;
        Assert.Contains(cases, c => c.TotalNorm > c.MaxNorm);
        Assert.Contains(cases, c => c.TotalNorm < c.MaxNorm && c.Clipped.SelectMany(x => x).SequenceEqual(c.Grads.SelectMany(g => g.Data)));
        Assert.Contains(cases, c => float.IsPositiveInfinity(c.Norm));
    }

    [Fact]
    public void ListAndReadOnlyListGiveTheSameResultWithoutAllocating()
    {
        var layer = new Linear(16, 8, rng: new Rng(3));
        var list = new List<Parameter>(layer.Parameters());
        IReadOnlyList<Parameter> readOnly = layer.Parameters();
        layer.Weight.Grad.Span.Fill(1f);
        GradientClipping.ClipByGlobalNorm(list, 1f);
        GradientClipping.ClipByGlobalNorm(readOnly, 1f);
        float fromList = 0, fromReadOnly = 0;
        long allocated = SteadyAllocations.Fewest(() =>
        {
            fromList = GradientClipping.ClipByGlobalNorm(list, 10f);
            fromReadOnly = GradientClipping.ClipByGlobalNorm(readOnly, 10f);
        });
        Assert.Equal(0, allocated);
        Assert.Equal(1f, fromList, 5);
        Assert.Equal(fromList, fromReadOnly);
    }

    [Fact]
    public void UnsupportedNormTypeIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm([new Parameter(new Tensor(1))], 1f, normType: 0f));
    }
}
