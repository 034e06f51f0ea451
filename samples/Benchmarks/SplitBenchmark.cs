using System.Globalization;
using AotNet.Compiled;

namespace AotNet.Benchmarks;

/// <summary>
/// Generated training steps whose fused loops run on the calling thread against the same steps
/// with every loop split across the worker pool, at sizes around <see cref="ParallelLoop.Threshold"/>.
/// Both run in this process, alternating round by round (the split is switched by the threshold
/// itself), so load on a shared machine hits each alike; each figure is the median over rounds of
/// the best of a few timings.
/// </summary>
static class SplitBenchmark
{
    static readonly int[] DefaultLengths = [4_096, 8_192, 16_384, 32_768, 65_536, 262_144, 1_048_576, 4_194_304];

    /// <summary>Runs <c>split [--repeats N] [--lengths 4096,65536,...]</c>.</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        int rounds = 5;
        int[] lengths = DefaultLengths;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--repeats":
                    rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--lengths":
                    lengths = args[i + 1].Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'. Known: --repeats N, --lengths L1,L2,...");
            }
        }
        return Run(rounds, lengths);
    }

    static int Run(int rounds, int[] lengths)
    {
        var mask = new MaskChain();
        var simple = new ShortChain();
        var smooth = new SmoothChain();
        var cases = new List<(string Name, int Length, Action Call)>();
        foreach (int length in lengths)
        {
            int rows = length / 16;
            var (x, y, xGrad) = (BenchmarkTiming.Rows(rows, 1), BenchmarkTiming.Rows(rows, 2), new Tensor(rows, 16));
            cases.Add(("Mask LossStep", length, () => mask.LossStep(x, y, xGrad)));
            cases.Add(("Short LossStep", length, () => simple.LossStep(x, y, xGrad)));
            if (length <= 1_048_576)
            {
                // A few hundred ms a step beyond this; its trend is clear by then.
                cases.Add(("Smooth LossStep", length, () => smooth.LossStep(x, xGrad)));
            }
        }

        var inline = cases.Select(_ => new List<double>()).ToList();
        var split = cases.Select(_ => new List<double>()).ToList();
        try
        {
            for (int round = 0; round < rounds; round++)
            {
                for (int c = 0; c < cases.Count; c++)
                {
                    ParallelLoop.threshold = int.MaxValue;
                    inline[c].Add(Time(cases[c].Call));
                    ParallelLoop.threshold = 0;
                    split[c].Add(Time(cases[c].Call));
                }
            }
        }
        finally
        {
            ParallelLoop.threshold = ParallelLoop.Threshold;
        }

        Console.WriteLine($"Generated steps, loops on one thread against split across {Environment.ProcessorCount} (µs per step, median of {rounds} rounds; ratio = one thread / split)");
        Console.WriteLine($"{"case",-16} {"elements",9} {"one thread",11} {"split",9} {"ratio",6}");
        for (int c = 0; c < cases.Count; c++)
        {
            double one = GemmBenchmark.Median(inline[c]), both = GemmBenchmark.Median(split[c]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{cases[c].Name,-16} {cases[c].Length,9} {one,11:F2} {both,9:F2} {one / both,6:F2}"));
        }
        return 0;
    }

    /// <summary>The best of a few timings of many calls, in µs per call, after a few calls to warm up.</summary>
    static double Time(Action call) => BenchmarkTiming.BestMicroseconds(call, warmUp: 3, milliseconds: 10);
}
