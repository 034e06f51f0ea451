using System.Diagnostics;
using System.Globalization;
using AotNet.Kernels;

namespace AotNet.Benchmarks;

/// <summary>
/// Times AotNet's GEMM on the W4 shapes and, in the same run, torch.mm as the peer. Each sample
/// repeats the call for at least <see cref="SampleSeconds"/> so timer resolution does not matter;
/// the figure is the median of the samples, since this machine is shared and noisy.
/// </summary>
static class GemmBenchmark
{
    const double SampleSeconds = 0.1;

    public static int Run(GemmBenchmarkOptions options)
    {
        var shapes = (options.OnlyW1 ? [] : GemmShape.Square(options.Sizes)).Concat(GemmShape.W1()).ToList();
        Console.WriteLine($"GEMM, {Environment.ProcessorCount} threads, median of {options.Repeats} samples (GFLOP/s)");

        using var torch = options.WithTorch ? TorchPeer.Start(TorchPeer.GemmScript, options.Repeats.ToString(CultureInfo.InvariantCulture)) : null;

        Console.WriteLine($"{"shape",-34} {"AotNet",9} {"torch",9} {"ratio",7}");
        foreach (var shape in shapes)
        {
            // Peer first: on the first shape its reply also means Python has finished importing
            // torch, which would otherwise compete with AotNet's samples for a core.
            double? peer = torch?.Measure(shape);
            double ours = Median(TimeAotNet(shape, options.Repeats));
            string peerText = peer is { } t ? $"{t,9:F1}" : $"{"-",9}";
            string ratio = peer is { } u ? $"{ours / u,7:F2}" : $"{"-",7}";
            Console.WriteLine($"{shape.Name,-34} {ours,9:F1} {peerText} {ratio}");
        }
        return 0;
    }

    static List<double> TimeAotNet(GemmShape shape, int repeats)
    {
        var random = new Random(1);
        var a = Random(random, shape.M * shape.K);
        var b = Random(random, shape.K * shape.N);
        var c = new float[shape.M * shape.N];
        void Call() => Gemm.Multiply(a, shape.TransposeA, b, shape.TransposeB, c, shape.M, shape.N, shape.K);

        // Warm-up: tiered JIT, page faults in C, and an estimate of the per-call time.
        var warm = Stopwatch.StartNew();
        int warmCalls = 0;
        while (warm.Elapsed.TotalSeconds < 0.3 || warmCalls < 3)
        {
            Call();
            warmCalls++;
        }
        int callsPerSample = Math.Max(1, (int)(SampleSeconds / (warm.Elapsed.TotalSeconds / warmCalls)));

        var samples = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < callsPerSample; i++)
            {
                Call();
            }
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            samples.Add(shape.Flops * callsPerSample / seconds / 1e9);
        }
        return samples;
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return values;
    }
}
