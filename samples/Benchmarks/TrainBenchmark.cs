using System.Diagnostics;
using System.Globalization;

namespace AotNet.Benchmarks;

/// <summary>
/// Where one W1 training epoch (937 batches of 64) spends its time: batching in the DataLoader,
/// the generated LossStep, and the SGD update, each timed on its own over a whole epoch. Each
/// figure is the median of the repeats, after one warm-up epoch.
/// </summary>
static class TrainBenchmark
{
    const int BatchSize = 64;

    public static int Run(int repeats)
    {
        var (train, source) = FashionMnist.IsAvailable()
            ? (FashionMnist.LoadTrain(), "Fashion-MNIST")
            : (SyntheticDataset.Create(60_000, 784, 10, seed: 1), "synthetic data");
        var model = new W1Mlp();
        var optimizer = new Sgd(model.Parameters(), lr: 0.05, momentum: 0.9, weightDecay: 1e-4);
        var loader = new DataLoader(train, BatchSize, shuffle: true, dropLast: true, generator: new Rng(1));
        // Batches copied out once, so LossStep is timed without the loader's gathering.
        var batches = new List<(Tensor X, Labels Y)>();
        foreach (var (x, y) in loader)
        {
            batches.Add((x.Clone(), new Labels(y.Span.ToArray())));
        }

        var loading = new List<double>();
        var stepping = new List<double>();
        var updating = new List<double>();
        for (int round = 0; round <= repeats; round++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var _ in loader)
            {
            }
            double load = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            foreach (var (x, y) in batches)
            {
                model.LossStep(x, y);
            }
            double step = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            for (int i = 0; i < batches.Count; i++)
            {
                optimizer.Step();
            }
            double update = clock.Elapsed.TotalMilliseconds;
            if (round > 0)
            {
                loading.Add(load);
                stepping.Add(step);
                updating.Add(update);
            }
        }

        Console.WriteLine($"W1 training epoch on {source}: {batches.Count} batches of {BatchSize}, median of {repeats} epochs (ms)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"DataLoader batching",-24}{GemmBenchmark.Median(loading),8:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"generated LossStep",-24}{GemmBenchmark.Median(stepping),8:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"SGD update",-24}{GemmBenchmark.Median(updating),8:F0}"));
        return 0;
    }
}
