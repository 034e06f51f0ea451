using System.Diagnostics;

namespace AotNet.Benchmarks;

/// <summary>The inputs and the timing loop the elementwise-chain benchmarks share.</summary>
static class BenchmarkTiming
{
    /// <summary>A [rows, 16] tensor of values uniform in [−3, 3), the same for the same seed.</summary>
    public static Tensor Rows(int rows, int seed)
    {
        var tensor = new Tensor(rows, 16);
        var random = new System.Random(seed);
        var values = tensor.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 6 - 3);
        }
        return tensor;
    }

    /// <summary>
    /// The best of 5 timings of <paramref name="call"/> in µs per call, each repeating it for at
    /// least <paramref name="milliseconds"/>, after <paramref name="warmUp"/> calls.
    /// </summary>
    public static double BestMicroseconds(Action call, int warmUp, double milliseconds)
    {
        for (int i = 0; i < warmUp; i++)
        {
            call();
        }
        double best = double.MaxValue;
        for (int trial = 0; trial < 5; trial++)
        {
            int calls = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalMilliseconds < milliseconds || calls < 3)
            {
                call();
                calls++;
            }
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds * 1000 / calls);
        }
        return best;
    }
}
