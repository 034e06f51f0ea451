using AotNet.Generators.Tests.Support;

namespace AotNet.Generators.Tests.Regressions;

/// <summary>
/// A fused loop over a tensor of one element (its shape all literal 1s) is written without the
/// loop, and the locals it computes once per element (the shared gradient of Minimum's two
/// branches) were then declared in the method's scope: two such loops declared the same local,
/// and the generated step did not compile. Found by the broadcasting property tests.
/// </summary>
public class SingleElementLoopTests
{
    [Theory]
    [InlineData("Minimum", "Shape", "Shape(1)")]
    [InlineData("Maximum", "Shape(1)", "Shape(1, 1)")]
    public void TwoOneElementLoopsWithSharedLocalsCompileAndMatchTheExactGradient(string op, string shapeA, string shapeB)
    {
        var assembly = InMemoryModels.Build($$"""
            public sealed partial class Model
            {
                [Differentiable]
                public Tensor Loss([RequiresGrad, {{shapeA}}] Tensor a, [RequiresGrad, {{shapeB}}] Tensor b, [{{shapeB}}] Tensor w) => Sum(Mul({{op}}(a, b), w));
            }
            """);
        object model = InMemoryModels.New(assembly, "Model");
        int[] rankA = shapeA == "Shape" ? [] : [1], rankB = shapeB == "Shape(1)" ? [1] : [1, 1];
        var a = new Tensor([0.3f], rankA);
        var b = new Tensor([-0.2f], rankB);
        var w = new Tensor([1.5f], rankB);
        var (aGrad, bGrad) = (new Tensor(rankA), new Tensor(rankB));
        float loss = (float)InMemoryModels.Call(model, "LossStep", a, b, w, aGrad, bGrad)!;
        // a = 0.3 wins a maximum, b = −0.2 a minimum: the winner takes all of w.
        bool aWins = op == "Maximum";
        Assert.Equal(1.5f * (aWins ? 0.3f : -0.2f), loss, 6);
        Assert.Equal(aWins ? 1.5f : 0f, aGrad[0]);
        Assert.Equal(aWins ? 0f : 1.5f, bGrad[0]);
    }
}
