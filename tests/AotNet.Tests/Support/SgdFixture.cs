namespace AotNet.Tests.Support;

/// <summary>tests/AotNet.Tests/Fixtures/Optim/Sgd.json: SGD trajectories on a separable quadratic, from PyTorch.</summary>
sealed record SgdFixture(int Steps, NamedTensorData[] Params, TensorData[] Curvature, TensorData[] Target, SgdVariant[] Variants)
{
    public static SgdFixture Load() => FixtureFiles.Load<SgdFixture>("Optim/Sgd.json");
}

sealed record NamedTensorData(string Name, int[] Shape, float[] Data);

sealed record SgdVariant(
    string Name, double Lr, double Momentum, double Dampening, double WeightDecay, bool Nesterov,
    LearningRateChange? LrChange, SgdCheckpoint[] Checkpoints)
{
    public override string ToString() => Name;
}

/// <summary>Before step <c>Step</c>, the learning rate becomes <c>Lr</c>.</summary>
sealed record LearningRateChange(int Step, double Lr);

/// <summary>The parameters, flattened, after <c>Step</c> steps.</summary>
sealed record SgdCheckpoint(int Step, float[][] Params);
