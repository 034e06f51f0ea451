namespace AotNet.Tests.Ops;

/// <summary>The eager indexing ops at their edges: Python's clamping, torch's piece counts, and indices out of range.</summary>
public class IndexingTests
{
    static Tensor Range(params int[] shape) => new(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(i => (float)i).ToArray(), shape);

    [Fact]
    public void SliceClampsLikePython()
    {
        var x = Range(2, 5);
        Assert.Equal([1f, 3f, 6f, 8f], F.Slice(x, 1, 1, 100, 2).ToArray());
        Assert.Equal([3f, 4f, 8f, 9f], x.Slice(-1, -2).ToArray());
        Assert.Equal([2, 0], F.Slice(x, 1, -100, -5).Shape.ToArray());
        Assert.Equal([2, 0], F.Slice(x, 1, 4, 2).Shape.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>("step", () => F.Slice(x, 1, 0, 5, 0));
    }

    [Fact]
    public void SplitAndChunkFollowTorch()
    {
        var x = Range(5, 2);
        Assert.Equal([2, 2, 1], F.Split(x, 2).Select(p => p.Dim(0)).ToArray());
        Assert.Equal([2, 2, 1], F.Chunk(x, 4).Select(p => p.Dim(0)).ToArray());
        Assert.Equal([1, 4], x.Split([1, 4]).Select(p => p.Dim(0)).ToArray());
        Assert.Equal([8f, 9f], F.Split(x, 2)[2].ToArray());
        Assert.Throws<ArgumentException>("sizes", () => F.Split(x, [1, 3]));
        Assert.Throws<ArgumentOutOfRangeException>("chunks", () => F.Chunk(x, 0));
        Assert.Throws<ArgumentOutOfRangeException>("splitSize", () => F.Split(x, 0, 1));
    }

    [Fact]
    public void GatherAndIndexSelectPickAndRefuseIndicesOutOfRange()
    {
        var x = Range(2, 3);
        var index = new Labels([2, 0, 1, 1], [2, 2]);
        Assert.Equal(2, index.Rank);
        Assert.Equal([2f, 0f, 4f, 4f], F.Gather(x, 1, index).ToArray());
        Assert.Equal([3f, 4f, 5f, 3f, 4f, 5f], x.IndexSelect(0, new Labels(1, 1)).ToArray());

        var e = Assert.Throws<ArgumentOutOfRangeException>("index", () => F.Gather(x, 1, new Labels([0, 3], [2, 1])));
        Assert.Contains("index 3 at position 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("index", () => F.Gather(x, 0, new Labels([-1, 0], [1, 2])));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => F.IndexSelect(x, 1, new Labels(0, 3)));
        Assert.Throws<ArgumentException>("index", () => F.Gather(x, 1, new Labels(0, 1)));
        Assert.Throws<ArgumentException>("index", () => F.IndexSelect(x, 1, new Labels([0, 1], [1, 2])));
    }
}
