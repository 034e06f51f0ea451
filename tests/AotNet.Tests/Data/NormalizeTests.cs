using AotNet.Tests.Support;

namespace AotNet.Tests.Data;

public class NormalizeTests
{
    /// <summary>Sample i is [i, 10 + 2·i, 7] with label i: feature 0 and 1 vary, feature 2 is constant.</summary>
    static TensorDataset ThreeFeatures(int count)
    {
        var inputs = new float[count * 3];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            inputs[3 * i] = i;
            inputs[3 * i + 1] = 10 + 2 * i;
            inputs[3 * i + 2] = 7;
            labels[i] = i;
        }
        return new TensorDataset(new Tensor(inputs, count, 3), new Labels(labels));
    }

    [Fact]
    public void ScalarNormalizeMatchesTheFormula()
    {
        var batch = Tensor.FromArray([0f, 0.5f, 1f, 0.25f], 2, 2);
        new Normalize(0.5f, 0.25f).Apply(batch);
        Assert.Equal([-2f, 0f, 2f, -1f], batch.Span.ToArray());
    }

    [Fact]
    public void PerFeatureNormalizeUsesEachColumnsStatistics()
    {
        var batch = Tensor.FromArray([1f, 10f, 3f, 30f], 2, 2);
        new Normalize([1f, 20f], [2f, 10f]).Apply(batch);
        Assert.Equal([0f, -1f, 1f, 1f], batch.Span.ToArray());
    }

    [Fact]
    public void FromDatasetMeasuresPopulationMeanAndStdPerFeature()
    {
        // Feature 0 is 0..3: mean 1.5, population variance 1.25. Feature 1 is 10,12,14,16.
        var normalize = Normalize.FromDataset(ThreeFeatures(4));
        Assert.Equal([1.5f, 13f, 7f], normalize.Mean.ToArray());
        Assert.Equal(MathF.Sqrt(1.25f), normalize.Std[0], 6);
        Assert.Equal(MathF.Sqrt(5f), normalize.Std[1], 6);
        Assert.Equal(1f, normalize.Std[2]);
    }

    [Fact]
    public void FromDatasetScalarMeasuresAllValuesTogether()
    {
        var dataset = new TensorDataset(Tensor.FromArray([1f, 3f, 5f, 7f], 2, 2), new Labels(0, 1));
        var normalize = Normalize.FromDataset(dataset, perFeature: false);
        Assert.True(normalize.IsScalar);
        Assert.Equal(4f, normalize.Mean[0]);
        Assert.Equal(MathF.Sqrt(5f), normalize.Std[0], 6);
    }

    [Fact]
    public void NormalizedDatasetHasZeroMeanAndUnitStd()
    {
        var dataset = SyntheticDataset.Create(500, 6, 3, seed: 4);
        var normalize = Normalize.FromDataset(dataset);
        var loader = new DataLoader(dataset, batchSize: 500, transform: normalize);
        foreach (var (x, _) in loader)
        {
            var again = Normalize.FromDataset(new TensorDataset(x, new Labels(new int[500])));
            foreach (float m in again.Mean)
            {
                Assert.Equal(0f, m, 4);
            }
            foreach (float s in again.Std)
            {
                Assert.Equal(1f, s, 4);
            }
        }
    }

    [Fact]
    public void LoaderAppliesTheTransformToEachBatchAndLeavesTheDatasetAlone()
    {
        var dataset = ThreeFeatures(5);
        var before = dataset.Inputs.Span.ToArray();
        var loader = new DataLoader(dataset, batchSize: 2, transform: new Normalize([0f, 10f, 7f], [1f, 2f, 1f]));
        var rows = new List<float[]>();
        foreach (var (x, y) in loader)
        {
            for (int row = 0; row < y.Length; row++)
            {
                rows.Add([x[row, 0], x[row, 1], x[row, 2]]);
                Assert.Equal(y[row], x[row, 0]);
                Assert.Equal(y[row], x[row, 1]);
                Assert.Equal(0f, x[row, 2]);
            }
        }
        Assert.Equal(5, rows.Count);
        Assert.Equal(before, dataset.Inputs.Span.ToArray());
    }

    [Fact]
    public void TransformedShuffledEpochsAreReproducibleBySeed()
    {
        var dataset = ThreeFeatures(40);
        var normalize = Normalize.FromDataset(dataset);
        var first = new DataLoader(dataset, 8, shuffle: true, generator: new Rng(11), transform: normalize);
        var second = new DataLoader(dataset, 8, shuffle: true, generator: new Rng(11), transform: normalize);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var a = first.SelectMany(b => b.X.Span.ToArray()).ToArray();
            var b = second.SelectMany(b => b.X.Span.ToArray()).ToArray();
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void TransformingBatchesAllocatesNothing()
    {
        var dataset = SyntheticDataset.Create(1000, 16, 4, seed: 2);
        var loader = new DataLoader(dataset, 64, shuffle: true, generator: new Rng(3), transform: Normalize.FromDataset(dataset));
        float checksum = 0;
        long allocated = SteadyAllocations.Fewest(() =>
        {
            foreach (var (x, _) in loader)
            {
                checksum += x[0];
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(float.IsFinite(checksum));
    }

    [Fact]
    public void MismatchedFeatureCountIsRefusedWithBothSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Normalize([0f, 0f], [1f, 1f]).Apply(new Tensor(4, 3)));
        Assert.Contains("2 features", error.Message);
        Assert.Contains("[4, 3] has 3 per sample", error.Message);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void BadStdIsRefused(float std)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Normalize(0f, std));
    }
}
