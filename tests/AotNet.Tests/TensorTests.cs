namespace AotNet.Tests;

public class TensorTests
{
    [Fact]
    public void ReshapeSharesStorageAndKeepsRowMajorOrder()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var r = t.Reshape(3, 2);
        r[2, 1] = 60;
        Assert.Equal(60f, t[1, 2]);
        Assert.Equal("[3, 2]", r.ShapeText);
    }

    [Fact]
    public void ReshapeToAnotherLengthNamesBothShapes()
    {
        var t = new Tensor(2, 3);
        var error = Assert.Throws<ArgumentException>(() => t.Reshape(4, 2));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[4, 2]", error.Message);
    }
}
