namespace AotNet.Tests.IO;

/// <summary>A small hand-written model with PyTorch-style names fc1.weight, fc1.bias, fc2.weight, fc2.bias.</summary>
sealed class TwoLayer(int inputs, int hidden, int outputs, ulong seed) : Module
{
    public Linear Fc1 { get; } = new(inputs, hidden, rng: new Rng(seed));
    public Linear Fc2 { get; } = new(hidden, outputs, rng: new Rng(seed + 1));

    public override void VisitMembers(IModuleVisitor visitor)
    {
        visitor.Module("fc1", Fc1);
        visitor.Module("fc2", Fc2);
    }

    public float[][] Snapshot() => Parameters().Select(p => p.Value.ToArray()).ToArray();
}

/// <summary>One linear layer under a chosen name, to make checkpoints whose names differ.</summary>
sealed class Wrapper(Linear layer, string name) : Module
{
    public override void VisitMembers(IModuleVisitor visitor) => visitor.Module(name, layer);
}
