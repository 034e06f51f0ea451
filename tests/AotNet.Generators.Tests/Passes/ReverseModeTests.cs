using AotNet.Generators.Autodiff;
using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using AotNet.Generators.Passes;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

public class ReverseModeTests
{
    static (GraphSpec Graph, int X, int W) SumOfReluOfProduct(bool inputRequiresGrad)
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4), inputRequiresGrad);
        int w = Parameter(graph, parameters, "w", S(4, 3));
        int product = Gemm(graph, x, w);
        int relu = graph.Apply(OpTable.Relu, product);
        int loss = SumAll(graph, relu);
        return (Finish(graph, inputs, parameters, loss), x, w);
    }

    [Fact]
    public void NoInputGradientIsComputedUnlessAskedFor()
    {
        var (graph, _, _) = SumOfReluOfProduct(inputRequiresGrad: false);

        var training = ReverseMode.Differentiate(graph);
        var live = new Uses(training.Nodes, training.Gradients.Select(g => g.Node).Append(training.Loss));

        var gradient = Assert.Single(training.Gradients);
        Assert.Equal(GradientTarget.Parameter, gradient.Target);
        // Forward has one GEMM; backward adds only dW = xᵀ·g, never dx = g·wᵀ.
        Assert.Equal(2, training.Nodes.Count(n => n.Op.HostsEpilogue && live.Live[n.Id]));
    }

    [Fact]
    public void AnInputMarkedRequiresGradGetsItsGemm()
    {
        var (graph, _, _) = SumOfReluOfProduct(inputRequiresGrad: true);

        var training = ReverseMode.Differentiate(graph);

        Assert.Equal(2, training.Gradients.Count);
        var inputGradient = training.Nodes[training.Gradients.Single(g => g.Target == GradientTarget.Input).Node];
        Assert.Equal(OpTable.MatMul, inputGradient.Op);
        Assert.True(((GemmAttributes)inputGradient.Attributes).TransposeB);
        Assert.Equal("[N, 4]", inputGradient.Shape.ToString());
    }

    [Fact]
    public void ReluGradientReadsTheSavedOutputNotTheInput()
    {
        var (graph, _, _) = SumOfReluOfProduct(inputRequiresGrad: false);

        var training = ReverseMode.Differentiate(graph);

        var mask = training.Nodes.Single(n => n.Op == OpTable.GreaterThan);
        Assert.Equal(OpTable.Relu, training.Nodes[mask.Input0].Op);
        Assert.Equal(DType.Bool, mask.DType);
    }

    [Fact]
    public void NoBackwardOnlyOpIsUsedExceptFusedLossKernels()
    {
        var (graph, _, _) = SumOfReluOfProduct(inputRequiresGrad: true);

        var training = ReverseMode.Differentiate(graph);

        Assert.All(training.Nodes, n => Assert.Contains(n.Op, OpTable.All));
        Assert.DoesNotContain(training.Nodes, n => n.Op.Name.EndsWith("Grad", StringComparison.Ordinal));
    }

    [Fact]
    public void AValueUsedTwiceSumsBothGradients()
    {
        var graph = NewGraph();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int w = Parameter(graph, parameters, "w", S(4));
        int square = graph.Mul(x, w);
        int twice = graph.Add(square, square);
        int loss = SumAll(graph, twice);
        int forwardCount = graph.Builder.Nodes.Count;

        var training = ReverseMode.Differentiate(Finish(graph, inputs, parameters, loss));

        // d(square) = g + g, accumulated by an Add before flowing into w.
        Assert.Contains(training.Nodes.Skip(forwardCount), n => n.Op == OpTable.Add);
        var dw = training.Nodes[Assert.Single(training.Gradients).Node];
        Assert.Equal(OpTable.Sum, dw.Op);
        Assert.Equal([0], ((ReduceAttributes)dw.Attributes).Axes);
    }
}
