using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AotNet.Benchmarks;

/// <summary>
/// Workload W3 for the W1 MLP: batch-1 latency (mean over 5,000 calls after warm-up, plus the
/// median call) and batch-256 throughput, through the generated ForwardCompiled, with PyTorch's
/// eval-mode forward under no_grad as the peer. Each figure is the median of the repeats; AotNet
/// and torch run back to back for each row, on the same input rows, so they share the machine load.
/// </summary>
static class InferBenchmark
{
    const int LatencyCalls = 5_000;
    const int ThroughputBatch = 256;
    const int ThroughputCalls = 200; // as torch_reference.py

    /// <summary>Arguments: repeats, and a raw float32 file of [256, 784] inputs (row 0 is the batch-1 sample).</summary>
    const string TorchScript = """
        import sys, time, statistics, numpy as np, torch, torch.nn as nn
        torch.set_num_threads(2); torch.manual_seed(0)
        repeats = int(sys.argv[1])
        xb = torch.from_numpy(np.fromfile(sys.argv[2], dtype=np.float32).reshape(-1, 784))
        x1 = xb[:1]
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)).eval()
        def latency():
            for _ in range(200): model(x1)
            means, medians = [], []
            for _ in range(repeats):
                times = []; clock = time.perf_counter_ns; start = clock()
                for _ in range(5000):
                    t0 = clock(); model(x1); times.append(clock() - t0)
                means.append((clock() - start) / 5000 / 1e3); medians.append(statistics.median(times) / 1e3)
            return [statistics.median(means), statistics.median(medians)]
        def throughput():
            for _ in range(20): model(xb)
            samples = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                for _ in range(200): model(xb)
                samples.append(200 * len(xb) / (time.perf_counter() - t0))
            return [statistics.median(samples)]
        with torch.no_grad():
            for line in sys.stdin:
                print('\t'.join(map(repr, latency() if line.strip() == 'latency' else throughput())), flush=True)
        """;

    public static int Run(InferBenchmarkOptions options)
    {
        var (inputs, source) = LoadInputs();
        var single = new Tensor(inputs[..784].ToArray(), 1, 784);
        var batch = new Tensor(inputs, ThroughputBatch, 784);
        var model = new W1Mlp();
        model.Eval();

        // The peer reads the very same rows, so both time identical work.
        string inputFile = Path.GetTempFileName();
        File.WriteAllBytes(inputFile, MemoryMarshal.AsBytes(inputs.AsSpan()).ToArray());
        try
        {
            using var torch = options.WithTorch
                ? TorchPeer.Start(TorchScript, options.Repeats.ToString(CultureInfo.InvariantCulture), inputFile)
                : null;
            Console.WriteLine($"W3 MLP inference on {source}, {Environment.ProcessorCount} threads, median of {options.Repeats} repeats");
            Console.WriteLine($"{"measure",-34} {"AotNet",9} {"torch",9} {"ratio",7}");

            // The peer goes first in each row: its reply also means Python has finished importing
            // torch, which would otherwise compete with AotNet's first repeats for a core.
            var peer = torch?.Ask("latency");
            var (mean, median) = Latency(() => model.ForwardCompiled(single), options.Repeats);
            Row("batch 1, mean of 5,000 calls (µs)", mean, peer, 0, "F1");
            Row("batch 1, median call (µs)", median, peer, 1, "F1");

            peer = torch?.Ask("throughput");
            double rate = Throughput(() => model.ForwardCompiled(batch), options.Repeats);
            Row("batch 256 (samples/s)", rate, peer, 0, "F0");
            Console.WriteLine("ratio = AotNet / torch: below 1 is better for latency, above 1 for samples/s");
        }
        finally
        {
            File.Delete(inputFile);
        }
        return 0;
    }

    /// <summary>The first 256 Fashion-MNIST test images when installed, else uniform [0, 1) pixels.</summary>
    static (float[] Inputs, string Source) LoadInputs()
    {
        int length = ThroughputBatch * 784;
        if (FashionMnist.IsAvailable())
        {
            return (FashionMnist.LoadTest().Inputs.Span[..length].ToArray(), "Fashion-MNIST test images");
        }
        var random = new Random(1);
        return (Enumerable.Range(0, length).Select(_ => random.NextSingle()).ToArray(), "random inputs");
    }

    /// <summary>Per repeat: the mean over 5,000 calls (from the loop's total) and the median call.</summary>
    static (double MeanMicroseconds, double MedianMicroseconds) Latency(Action call, int repeats)
    {
        WarmUp(call);
        var means = new List<double>();
        var medians = new List<double>();
        var ticks = new long[LatencyCalls];
        for (int r = 0; r < repeats; r++)
        {
            // One timestamp per call (tens of ns on Linux) gives the median as well as the mean.
            long start = Stopwatch.GetTimestamp(), previous = start;
            for (int i = 0; i < LatencyCalls; i++)
            {
                call();
                long now = Stopwatch.GetTimestamp();
                ticks[i] = now - previous;
                previous = now;
            }
            means.Add(Microseconds(previous - start) / LatencyCalls);
            Array.Sort(ticks);
            medians.Add(Microseconds((ticks[LatencyCalls / 2 - 1] + ticks[LatencyCalls / 2]) / 2.0));
        }
        return (GemmBenchmark.Median(means), GemmBenchmark.Median(medians));
    }

    static double Throughput(Action call, int repeats)
    {
        WarmUp(call);
        var samples = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < ThroughputCalls; i++)
            {
                call();
            }
            samples.Add(ThroughputBatch * ThroughputCalls / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return GemmBenchmark.Median(samples);
    }

    /// <summary>Long enough for tiered JIT to swap in optimised code and for the workspace to be allocated.</summary>
    static void WarmUp(Action call)
    {
        var clock = Stopwatch.StartNew();
        for (int calls = 0; clock.Elapsed.TotalSeconds < 0.5 || calls < 200; calls++)
        {
            call();
        }
    }

    static double Microseconds(double ticks) => ticks * 1e6 / Stopwatch.Frequency;

    static void Row(string name, double ours, string[]? peerReply, int field, string format)
    {
        double? peer = peerReply is null ? null : double.Parse(peerReply[field], CultureInfo.InvariantCulture);
        string peerText = peer is { } t ? t.ToString(format, CultureInfo.InvariantCulture) : "-";
        string ratio = peer is { } u ? (ours / u).ToString("F2", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine($"{name,-34} {ours.ToString(format, CultureInfo.InvariantCulture),9} {peerText,9} {ratio,7}");
    }
}
