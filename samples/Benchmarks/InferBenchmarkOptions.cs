namespace AotNet.Benchmarks;

sealed record InferBenchmarkOptions(int Repeats, bool WithTorch)
{
    public static InferBenchmarkOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new InferBenchmarkOptions(Repeats: 7, WithTorch: true);
        for (int i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--repeats" => options with { Repeats = int.Parse(args[++i]) },
                "--no-torch" => options with { WithTorch = false },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        return options;
    }
}
