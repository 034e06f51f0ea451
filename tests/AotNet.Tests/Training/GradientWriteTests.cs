namespace AotNet.Tests.Training;

public class GradientWriteTests
{
    [Fact]
    public void TheDefaultOverwritesWithScaleOne()
    {
        GradientWrite write = default;
        Assert.False(write.Accumulates);
        Assert.Equal(1f, write.Scale);
        Assert.Equal(GradientWrite.Overwrite(), write);
        Assert.Equal("Overwrite(1)", write.ToString());
    }

    [Fact]
    public void AccumulateKeepsItsScale()
    {
        var write = GradientWrite.Accumulate(0.25f);
        Assert.True(write.Accumulates);
        Assert.Equal(0.25f, write.Scale);
        Assert.NotEqual(GradientWrite.Overwrite(0.25f), write);
        Assert.Equal("Accumulate(0.25)", write.ToString());
        Assert.Equal(-2f, GradientWrite.Overwrite(-2f).Scale);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void ZeroOrNonFiniteScalesAreRefused(float scale)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GradientWrite.Accumulate(scale));
        Assert.Equal("scale", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>("scale", () => GradientWrite.Overwrite(scale));
    }
}
