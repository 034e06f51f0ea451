using AotNet.Tests.Support;

namespace AotNet.Tests.Data;

public class DataLoaderTests
{
    /// <summary>Sample i has features [i, 10·i + 1] and label i, so every batch row can be traced back.</summary>
    static TensorDataset Traceable(int count)
    {
        var inputs = new float[count * 2];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            inputs[2 * i] = i;
            inputs[2 * i + 1] = 10 * i + 1;
            labels[i] = i;
        }
        return new TensorDataset(new Tensor(inputs, count, 2), new Labels(labels));
    }

    static List<int[]> Epoch(DataLoader loader)
    {
        var batches = new List<int[]>();
        foreach (var (x, y) in loader)
        {
            for (int row = 0; row < y.Length; row++)
            {
                Assert.Equal(y[row], x[row, 0]);
                Assert.Equal(10 * y[row] + 1, x[row, 1]);
            }
            batches.Add(y.Span.ToArray());
        }
        return batches;
    }

    [Fact]
    public void WithoutShuffleBatchesFollowTheDatasetOrder()
    {
        var batches = Epoch(new DataLoader(Traceable(7), batchSize: 3));
        Assert.Equal([[0, 1, 2], [3, 4, 5], [6]], batches);
    }

    [Fact]
    public void DropLastSkipsTheShortBatch()
    {
        var loader = new DataLoader(Traceable(7), batchSize: 3, dropLast: true);
        Assert.Equal(2, loader.Count);
        Assert.Equal([[0, 1, 2], [3, 4, 5]], Epoch(loader));
    }

    [Theory]
    [InlineData(10, 5, false, 2)]
    [InlineData(10, 3, false, 4)]
    [InlineData(10, 3, true, 3)]
    [InlineData(2, 3, false, 1)]
    [InlineData(2, 3, true, 0)]
    [InlineData(0, 3, false, 0)]
    public void CountIsBatchesPerEpoch(int samples, int batchSize, bool dropLast, int expected)
    {
        var loader = new DataLoader(Traceable(samples), batchSize, dropLast: dropLast);
        Assert.Equal(expected, loader.Count);
        Assert.Equal(expected, Epoch(loader).Count);
    }

    [Fact]
    public void ShuffledEpochCoversEverySampleExactlyOnce()
    {
        var loader = new DataLoader(Traceable(103), batchSize: 10, shuffle: true, generator: new Rng(1));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = Epoch(loader).SelectMany(b => b).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, 103).ToArray(), seen);
        }
    }

    [Fact]
    public void SameSeedGivesSameOrderEveryEpoch()
    {
        var first = new DataLoader(Traceable(50), batchSize: 8, shuffle: true, generator: new Rng(7));
        var second = new DataLoader(Traceable(50), batchSize: 8, shuffle: true, generator: new Rng(7));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            Assert.Equal(Epoch(first), Epoch(second));
        }
    }

    [Fact]
    public void EachEpochIsReshuffled()
    {
        var loader = new DataLoader(Traceable(50), batchSize: 50, shuffle: true, generator: new Rng(7));
        var one = Epoch(loader)[0];
        var two = Epoch(loader)[0];
        Assert.NotEqual(Enumerable.Range(0, 50).ToArray(), one);
        Assert.NotEqual(one, two);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentOrders()
    {
        var a = Epoch(new DataLoader(Traceable(50), batchSize: 50, shuffle: true, generator: new Rng(1)));
        var b = Epoch(new DataLoader(Traceable(50), batchSize: 50, shuffle: true, generator: new Rng(2)));
        Assert.NotEqual(a[0], b[0]);
    }

    [Fact]
    public void BatchBuffersAreReusedAcrossBatchesAndEpochs()
    {
        var loader = new DataLoader(Traceable(10), batchSize: 4);
        var tensors = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var labels = new HashSet<Labels>(ReferenceEqualityComparer.Instance);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            foreach (var batch in loader)
            {
                tensors.Add(batch.X);
                labels.Add(batch.Y);
            }
        }
        // One buffer for the full batches, one for the last batch of 2.
        Assert.Equal(2, tensors.Count);
        Assert.Equal(2, labels.Count);
    }

    [Fact]
    public void IteratingAnEpochAllocatesNothing()
    {
        var loader = new DataLoader(Traceable(1000), batchSize: 64, shuffle: true, generator: new Rng(3));
        float checksum = 0;
        foreach (var (x, _) in loader)
        {
            checksum += x[0];
        }
        long allocated = SteadyAllocations.Fewest(() =>
        {
            foreach (var (x, y) in loader)
            {
                checksum += x[0] + y[0];
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(checksum > 0);
    }

    [Fact]
    public void HigherRankSamplesKeepTheirShape()
    {
        var dataset = new TensorDataset(new Tensor(6, 1, 2, 2), new Labels(new int[6]));
        foreach (var (x, _) in new DataLoader(dataset, batchSize: 4, dropLast: true))
        {
            Assert.Equal("[4, 1, 2, 2]", x.ShapeText);
        }
    }

    [Fact]
    public void StartingAnotherEpochInvalidatesTheOldOne()
    {
        var loader = new DataLoader(Traceable(10), batchSize: 2);
        var stale = loader.GetEnumerator();
        Assert.True(stale.MoveNext());
        _ = loader.GetEnumerator();
        Assert.Throws<InvalidOperationException>(() => stale.MoveNext());
    }

    [Fact]
    public void WorksWithLinqThroughIEnumerable()
    {
        var loader = new DataLoader(Traceable(10), batchSize: 4);
        Assert.Equal([4, 4, 2], loader.Select(b => b.Count).ToArray());
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Traceable(3), batchSize: 0));
        Assert.Throws<ArgumentNullException>(() => new DataLoader(null!, batchSize: 1));
        var error = Assert.Throws<ArgumentException>(() => new TensorDataset(new Tensor(3, 2), new Labels(1, 2)));
        Assert.Contains("[3, 2]", error.Message);
        Assert.Contains("[2]", error.Message);
    }
}
