namespace AotNet.Tests.Training;

/// <summary>An optimizer that only counts its steps, so tests see exactly when the loop calls it.</summary>
sealed class CountingOptimizer() : Optimizer([new Parameter(new Tensor(1))], learningRate: 0.1f)
{
    public int Steps { get; private set; }

    public override void Step() => Steps++;
}
