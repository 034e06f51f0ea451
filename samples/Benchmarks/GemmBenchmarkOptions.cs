namespace AotNet.Benchmarks;

sealed record GemmBenchmarkOptions(int Repeats, bool WithTorch, int[] Sizes, bool OnlyW1)
{
    public static GemmBenchmarkOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new GemmBenchmarkOptions(Repeats: 9, WithTorch: true, Sizes: [256, 512, 1024, 2048], OnlyW1: false);
        for (int i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--repeats" => options with { Repeats = int.Parse(args[++i]) },
                "--no-torch" => options with { WithTorch = false },
                "--sizes" => options with { Sizes = args[++i].Split(',').Select(int.Parse).ToArray() },
                "--only-w1" => options with { OnlyW1 = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        return options;
    }
}
