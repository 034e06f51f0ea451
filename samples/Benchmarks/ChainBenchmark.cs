using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;

namespace AotNet.Benchmarks;

/// <summary>
/// Generated elementwise loops a vector at a time against one element at a time. The vector width
/// is the JIT's choice when the code is compiled, so each width runs in a child process started
/// with the instruction sets above it switched off (DOTNET_EnableAVX512=0 leaves Vector256;
/// DOTNET_EnableAVX=0 leaves neither, so every element goes through the scalar tail). The rounds
/// alternate between the children, so load on a shared machine hits each alike; each figure is
/// the median over rounds of the best of a few calls.
/// </summary>
static class ChainBenchmark
{
    static readonly (string Name, string? Variable)[] Widths =
        [("scalar", "DOTNET_EnableAVX"), ("Vector256", "DOTNET_EnableAVX512"), ("Vector512", null)];

    public static int Run(int rounds)
    {
        var results = Widths.ToDictionary(w => w.Name, _ => new Dictionary<string, List<double>>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (var (name, variable) in Widths)
            {
                var start = new ProcessStartInfo(Environment.ProcessPath!, "chain-child") { RedirectStandardOutput = true };
                if (variable is not null)
                {
                    start.Environment[variable] = "0";
                }
                using var child = Process.Start(start)!;
                foreach (string line in child.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = line.Split('\t');
                    if (parts[0] == "width" && parts[1] != name)
                    {
                        throw new InvalidOperationException($"The {name} child ran {parts[1]}.");
                    }
                    if (parts[0] != "width")
                    {
                        (results[name].TryGetValue(parts[0], out var list) ? list : results[name][parts[0]] = []).Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
                    }
                }
                child.WaitForExit();
            }
        }

        Console.WriteLine($"Generated elementwise loops, median of {rounds} rounds (µs per call; ratio = scalar / this width)");
        Console.WriteLine($"{"case",-34} {"scalar",10} {"Vector256",10} {"ratio",6} {"Vector512",10} {"ratio",6}");
        foreach (string name in results["scalar"].Keys)
        {
            double scalar = GemmBenchmark.Median(results["scalar"][name]), v256 = GemmBenchmark.Median(results["Vector256"][name]), v512 = GemmBenchmark.Median(results["Vector512"][name]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-34} {scalar,10:F1} {v256,10:F1} {scalar / v256,6:F2} {v512,10:F1} {scalar / v512,6:F2}"));
        }
        return 0;
    }

    /// <summary>Times each case in this process, one tab-separated line per case.</summary>
    public static int RunChild()
    {
        Console.WriteLine($"width\t{(Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "scalar")}");
        var smooth = new SmoothChain();
        var simple = new ShortChain();
        foreach (int rows in new[] { 1024, 65536 })
        {
            var x = BenchmarkTiming.Rows(rows, 1);
            var y = BenchmarkTiming.Rows(rows, 2);
            var xGrad = new Tensor(rows, 16);
            Report($"Smooth LossCompiled N={rows}", () => smooth.LossCompiled(x));
            Report($"Smooth LossStep N={rows}", () => smooth.LossStep(x, xGrad));
            Report($"Short LossCompiled N={rows}", () => simple.LossCompiled(x, y));
            Report($"Short LossStep N={rows}", () => simple.LossStep(x, y, xGrad));
        }
        return 0;
    }

    static void Report(string name, Action call) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}	{BenchmarkTiming.BestMicroseconds(call, warmUp: 30, milliseconds: 40):F3}"));
}
