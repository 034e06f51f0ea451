using AotNet.Benchmarks;

// Usage: Benchmarks gemm [--repeats N] [--no-torch] [--sizes 256,512,...] | infer [--repeats N] [--no-torch] | train [--repeats N] | chain [--repeats N] | split [--repeats N] [--lengths L,...]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("Usage: Benchmarks gemm [--repeats N] [--no-torch] [--sizes 256,512,1024,2048] [--only-w1]");
    Console.WriteLine("       Benchmarks infer [--repeats N] [--no-torch]");
    Console.WriteLine("       Benchmarks train [--repeats N]");
    Console.WriteLine("       Benchmarks chain [--repeats N]");
    Console.WriteLine("       Benchmarks split [--repeats N] [--lengths 4096,65536,...]");
    return 0;
}

switch (args[0])
{
    case "gemm":
        return GemmBenchmark.Run(GemmBenchmarkOptions.Parse(args.AsSpan(1)));
    case "infer":
        return InferBenchmark.Run(InferBenchmarkOptions.Parse(args.AsSpan(1)));
    case "train":
        return TrainBenchmark.Run(args.Length == 3 && args[1] == "--repeats" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
    case "chain":
        return ChainBenchmark.Run(args.Length == 3 && args[1] == "--repeats" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5);
    case "split":
        return SplitBenchmark.Run(args.AsSpan(1));
    case "chain-child":
        return ChainBenchmark.RunChild();
    default:
        Console.Error.WriteLine($"Unknown command '{args[0]}'. Known: gemm, infer, train, chain, split.");
        return 1;
}
