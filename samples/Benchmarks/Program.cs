using AotNet.Benchmarks;

// Usage: Benchmarks gemm [--repeats N] [--no-torch] [--sizes 256,512,...] | infer [--repeats N] [--no-torch]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("Usage: Benchmarks gemm [--repeats N] [--no-torch] [--sizes 256,512,1024,2048] [--only-w1]");
    Console.WriteLine("       Benchmarks infer [--repeats N] [--no-torch]");
    return 0;
}

switch (args[0])
{
    case "gemm":
        return GemmBenchmark.Run(GemmBenchmarkOptions.Parse(args.AsSpan(1)));
    case "infer":
        return InferBenchmark.Run(InferBenchmarkOptions.Parse(args.AsSpan(1)));
    default:
        Console.Error.WriteLine($"Unknown command '{args[0]}'. Known: gemm, infer.");
        return 1;
}
