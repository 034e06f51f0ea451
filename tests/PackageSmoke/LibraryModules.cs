using AotNet;
using static AotNet.F;

/// <summary>A stem, three gated blocks from the SmokeModules package (the middle one without its residual), and a head.</summary>
public sealed partial class PackagedBlocksNet : Module
{
    readonly Linear stem = new(6, 8, rng: new Rng(1));
    readonly ModuleList<SmokeModules.GatedBlock> blocks = new(3, i => new SmokeModules.GatedBlock(8, (ulong)(10 + i), residual: i != 1));
    readonly Linear head = new(8, 3, rng: new Rng(2));

    [Differentiable]
    public Tensor Loss([Shape("N", 6)] Tensor x, [Shape("N")] Labels y)
    {
        var h = stem.Forward(x);
        foreach (var block in blocks)
        {
            h = block.Forward(h);
        }
        return CrossEntropy(head.Forward(h), y);
    }
}

/// <summary>The same model over the same block compiled into this assembly.</summary>
public sealed partial class LocalBlocksNet : Module
{
    readonly Linear stem = new(6, 8, rng: new Rng(1));
    readonly ModuleList<LocalCopy.GatedBlock> blocks = new(3, i => new LocalCopy.GatedBlock(8, (ulong)(10 + i), residual: i != 1));
    readonly Linear head = new(8, 3, rng: new Rng(2));

    [Differentiable]
    public Tensor Loss([Shape("N", 6)] Tensor x, [Shape("N")] Labels y)
    {
        var h = stem.Forward(x);
        foreach (var block in blocks)
        {
            h = block.Forward(h);
        }
        return CrossEntropy(head.Forward(h), y);
    }
}

/// <summary>Trains both models side by side and says where they part.</summary>
static class LibraryModuleCheck
{
    public static List<string> Run()
    {
        var problems = new List<string>();
        var packaged = new PackagedBlocksNet();
        var local = new LocalBlocksNet();
        var packagedNames = packaged.NamedParameters().Select(p => p.Key).ToList();
        var localNames = local.NamedParameters().Select(p => p.Key).ToList();
        if (!packagedNames.SequenceEqual(localNames))
        {
            problems.Add($"parameter names differ: [{string.Join(", ", packagedNames)}] against [{string.Join(", ", localNames)}]");
            return problems;
        }
        var x = new Tensor(Enumerable.Range(0, 10 * 6).Select(i => 0.31f * ((i * 7) % 17) - 2.4f).ToArray(), 10, 6);
        var y = new Labels(Enumerable.Range(0, 10).Select(i => (i * 5) % 3).ToArray());
        var packagedOptimizer = new Sgd(packaged.Parameters(), lr: 0.1);
        var localOptimizer = new Sgd(local.Parameters(), lr: 0.1);
        float first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            float packagedLoss = packaged.LossStep(x, y);
            float localLoss = local.LossStep(x, y);
            if (Math.Abs(packagedLoss - localLoss) > 1e-6f * (1 + Math.Abs(localLoss)))
            {
                problems.Add($"step {step}: loss {packagedLoss} from the package, {localLoss} from one assembly");
            }
            foreach (var (packagedParameter, localParameter) in packaged.NamedParameters().Zip(local.NamedParameters()))
            {
                var a = packagedParameter.Value.Grad.Span;
                var b = localParameter.Value.Grad.Span;
                for (int i = 0; i < a.Length; i++)
                {
                    if (Math.Abs(a[i] - b[i]) > 1e-5f * (1 + Math.Abs(b[i])))
                    {
                        problems.Add($"step {step}: gradient of {packagedParameter.Key}[{i}] is {a[i]} from the package, {b[i]} from one assembly");
                        break;
                    }
                }
            }
            if (problems.Count > 0)
            {
                return problems;
            }
            if (step == 0)
            {
                first = packagedLoss;
            }
            last = packagedLoss;
            packagedOptimizer.Step();
            localOptimizer.Step();
        }
        float eager = packaged.Loss(x, y)[0];
        float compiled = packaged.LossCompiled(x, y)[0];
        if (Math.Abs(eager - compiled) > 1e-5f * (1 + Math.Abs(eager)))
        {
            problems.Add($"the eager loss {eager} and the compiled loss {compiled} differ");
        }
        if (!(last < first))
        {
            problems.Add($"the packaged model did not learn: loss {first} at the first step, {last} at the last");
        }
        Console.WriteLine($"package module: {packagedNames.Count} parameters, loss {first:F4} -> {last:F4} in 20 steps, equal to the one-assembly model");
        return problems;
    }
}
