namespace AotNet.Tests.Kernels;

/// <summary>The permute kernel against index arithmetic written out in the test.</summary>
public class PermuteTests
{
    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 1, 0 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 0, 1 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 0, 2, 1 })]
    [InlineData(new[] { 2, 1, 3, 2 }, new[] { 3, 1, 0, 2 })]
    [InlineData(new[] { 5 }, new[] { 0 })]
    public void MatchesTheDefinition(int[] shape, int[] axes)
    {
        int length = shape.Aggregate(1, (a, b) => a * b);
        var x = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
        var y = new float[length];

        AotNet.Kernels.Permute.Apply(x, shape, axes, y);

        var outShape = axes.Select(a => shape[a]).ToArray();
        for (int o = 0; o < length; o++)
        {
            // Output coordinates, then the input offset they name.
            var coordinate = new int[shape.Length];
            int rest = o;
            for (int k = outShape.Length - 1; k >= 0; k--)
            {
                coordinate[k] = rest % outShape[k];
                rest /= outShape[k];
            }
            var inputCoordinate = new int[shape.Length];
            for (int k = 0; k < axes.Length; k++)
            {
                inputCoordinate[axes[k]] = coordinate[k];
            }
            int offset = 0;
            for (int axis = 0; axis < shape.Length; axis++)
            {
                offset = offset * shape[axis] + inputCoordinate[axis];
            }
            Assert.Equal(x[offset], y[o]);
        }
    }

    [Fact]
    public void ABadPermutationIsRefusedNamingTheArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => F.Permute(new Tensor(2, 3), 0, 0));
        Assert.Equal("dims", error.ParamName);
        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReshapeInfersOneSizeAndRefusesTwoUnknowns()
    {
        var x = new Tensor(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        Assert.Equal([2, 12], x.Reshape(2, -1).Shape.ToArray());
        Assert.Same(x.Storage, x.View(-1).Storage);
        Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1));
        Assert.Throws<ArgumentException>(() => x.Reshape(5, -1));
        Assert.Equal([2, 12], x.Flatten().Shape.ToArray());
        Assert.Equal([2, 3, 1, 4], x.Unsqueeze(2).Shape.ToArray());
        Assert.Equal([2, 3, 4], x.Unsqueeze(-1).Squeeze(-1).Shape.ToArray());
    }
}
