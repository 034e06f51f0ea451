using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Regressions;

/// <summary>
/// A training step returns the loss it computed, whatever op comes last and whatever backward
/// does with the memory afterwards. The loss once lived in a slot that backward reused, so the
/// step returned the gradient (or 0) instead.
/// </summary>
public class StepLossTests
{
    public static TheoryData<string> LastOps => new() { "Tanh", "Sigmoid", "Relu" };

    [Theory]
    [MemberData(nameof(LastOps))]
    public void TheStepReturnsTheLossNotItsGradient(string op)
    {
        var assembly = InMemoryModels.Build($$"""
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Loss([RequiresGrad, Shape(2, 3)] Tensor x) => {{op}}(Sum(x));

                [Differentiable]
                public Tensor Longer([RequiresGrad, Shape(2, 3)] Tensor x) => {{op}}(Sum(Tanh(x) * x)) * Sum(x);
            }
            """);
        object model = InMemoryModels.New(assembly, "Model");
        var x = new Tensor([0.1f, 0.2f, 0.05f, -0.3f, 0.25f, 0.2f], 2, 3);
        foreach (string method in new[] { "Loss", "Longer" })
        {
            float eager = ((Tensor)InMemoryModels.Call(model, method, x)!)[0];
            var grad = new Tensor(2, 3);
            float first = (float)InMemoryModels.Call(model, method + "Step", x, grad)!;
            float second = (float)InMemoryModels.Call(model, method + "Step", x, grad)!;
            Assert.Equal(eager, first, 6);
            Assert.Equal(eager, second, 6);
        }
    }
}
