namespace AotNet.Tests.IO;

/// <summary>A loader can replay an interrupted epoch from a saved generator state and batch index.</summary>
public class DataLoaderResumeTests
{
    static TensorDataset Dataset(int count) =>
        new(Tensor.FromArray(Enumerable.Range(0, count).Select(i => (float)i).ToArray(), count, 1), new Labels(Enumerable.Range(0, count).ToArray()));

    static List<int[]> Labels(DataLoader.Enumerator batches)
    {
        var result = new List<int[]>();
        foreach (var batch in batches)
        {
            result.Add(batch.Y.Span.ToArray());
        }
        return result;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    public void AResumedEpochYieldsTheRemainingBatchesAndLaterEpochsMatch(int batchIndex)
    {
        var original = new DataLoader(Dataset(26), batchSize: 4, shuffle: true, generator: new Rng(5));
        Labels(original.GetEnumerator());
        var epoch = original.GetEnumerator();
        var saved = original.EpochStartState;
        var all = Labels(epoch);
        var next = Labels(original.GetEnumerator());

        var resumed = new DataLoader(Dataset(26), batchSize: 4, shuffle: true, generator: new Rng(999));
        var rest = Labels(resumed.ResumeEpoch(saved, batchIndex));
        Assert.Equal(all.Skip(batchIndex), rest);
        Assert.Equal(next, Labels(resumed.GetEnumerator()));
    }

    [Fact]
    public void BatchIndexCountsBatchesTakenIncludingSkippedOnes()
    {
        var loader = new DataLoader(Dataset(10), batchSize: 4, shuffle: true, dropLast: true, generator: new Rng(1));
        var batches = loader.ResumeEpoch(loader.EpochStartState, 1);
        Assert.Equal(1, batches.BatchIndex);
        Assert.True(batches.MoveNext());
        Assert.Equal(2, batches.BatchIndex);
        Assert.False(batches.MoveNext());
        Assert.Equal(2, batches.BatchIndex);
    }

    [Fact]
    public void EpochStartStateIsTheStateBeforeTheShuffle()
    {
        var generator = new Rng(3);
        var loader = new DataLoader(Dataset(8), batchSize: 2, shuffle: true, generator: generator);
        var before = generator.State;
        Assert.Equal(before, loader.EpochStartState);
        _ = loader.GetEnumerator();
        Assert.Equal(before, loader.EpochStartState);
        Assert.NotEqual(before, generator.State);
        Assert.Same(generator, loader.Generator);
    }

    [Fact]
    public void ABatchIndexPastTheEpochIsRefused()
    {
        var loader = new DataLoader(Dataset(8), batchSize: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.ResumeEpoch(loader.EpochStartState, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.ResumeEpoch(loader.EpochStartState, -1));
    }
}
