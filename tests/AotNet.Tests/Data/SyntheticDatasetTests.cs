namespace AotNet.Tests.Data;

public class SyntheticDatasetTests
{
    [Fact]
    public void HasTheRequestedShapeAndBalancedClasses()
    {
        var data = SyntheticDataset.Create(samples: 100, features: 12, classes: 4, seed: 1);
        Assert.Equal("[100, 12]", data.Inputs.ShapeText);
        Assert.Equal(100, data.Targets.Length);
        var counts = new int[4];
        foreach (int label in data.Targets.Span)
        {
            counts[label]++;
        }
        Assert.All(counts, c => Assert.Equal(25, c));
    }

    [Fact]
    public void SameSeedSameDataOtherSeedOtherData()
    {
        var a = SyntheticDataset.Create(50, 8, 3, seed: 5);
        var b = SyntheticDataset.Create(50, 8, 3, seed: 5);
        var c = SyntheticDataset.Create(50, 8, 3, seed: 6);
        Assert.Equal(a.Inputs.ToArray(), b.Inputs.ToArray());
        Assert.Equal(a.Targets.Span.ToArray(), b.Targets.Span.ToArray());
        Assert.NotEqual(a.Inputs.ToArray(), c.Inputs.ToArray());
    }

    [Fact]
    public void ClassesAreSeparableByTheirMeans()
    {
        // Learnable: a nearest-class-mean classifier, fit on the first half, nearly solves the second.
        const int Features = 20, Classes = 5, Samples = 1000;
        var data = SyntheticDataset.Create(Samples, Features, Classes, seed: 9);
        var means = new double[Classes, Features];
        var counts = new int[Classes];
        for (int i = 0; i < Samples / 2; i++)
        {
            int label = data.Targets[i];
            counts[label]++;
            for (int f = 0; f < Features; f++)
            {
                means[label, f] += data.Inputs[i, f];
            }
        }
        int correct = 0;
        for (int i = Samples / 2; i < Samples; i++)
        {
            int best = -1;
            double bestDistance = double.MaxValue;
            for (int c = 0; c < Classes; c++)
            {
                double distance = 0;
                for (int f = 0; f < Features; f++)
                {
                    double d = data.Inputs[i, f] - means[c, f] / counts[c];
                    distance += d * d;
                }
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (c, distance);
                }
            }
            correct += best == data.Targets[i] ? 1 : 0;
        }
        Assert.InRange(correct / (double)(Samples / 2), 0.95, 1.0);
    }
}
