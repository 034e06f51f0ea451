using AotNet.Generators.Autodiff;
using AotNet.Generators.Graph;
using AotNet.Generators.Passes;
using static AotNet.Generators.Tests.Passes.Graphs;

namespace AotNet.Generators.Tests.Passes;

public class ReverseModeTests
{
    static (GraphSpec Graph, int X, int W) SumOfReluOfProduct(bool inputRequiresGrad)
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4), inputRequiresGrad);
        int w = Parameter(graph, parameters, "w", S(4, 3));
        int product = Gemm(graph, x, w, S("N", 3));
        int relu = graph.Add(OpKind.Relu, S("N", 3), product);
        int loss = graph.Add(OpKind.Sum, Shape.Scalar, relu);
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
        Assert.Equal(2, training.Nodes.Count(n => n.Op == OpKind.Gemm && live.Live[n.Id]));
    }

    [Fact]
    public void AnInputMarkedRequiresGradGetsItsGemm()
    {
        var (graph, _, _) = SumOfReluOfProduct(inputRequiresGrad: true);

        var training = ReverseMode.Differentiate(graph);

        Assert.Equal(2, training.Gradients.Count);
        var inputGradient = training.Nodes[training.Gradients.Single(g => g.Target == GradientTarget.Input).Node];
        Assert.Equal(OpKind.Gemm, inputGradient.Op);
        Assert.True(inputGradient.TransposeB);
        Assert.Equal("[N, 4]", inputGradient.Shape.ToString());
    }

    [Fact]
    public void ReluGradientReadsTheSavedOutputNotTheInput()
    {
        var (graph, _, _) = SumOfReluOfProduct(inputRequiresGrad: false);

        var training = ReverseMode.Differentiate(graph);

        var reluGrad = training.Nodes.Single(n => n.Op == OpKind.ReluGrad);
        Assert.Equal(OpKind.Relu, training.Nodes[reluGrad.Input1].Op);
    }

    [Fact]
    public void AValueUsedTwiceSumsBothGradients()
    {
        var graph = new GraphBuilder();
        var inputs = new List<InputSpec>();
        var parameters = new List<ParameterSpec>();
        int x = Input(graph, inputs, "x", S("N", 4));
        int w = Parameter(graph, parameters, "w", S(4));
        int square = graph.Add(OpKind.Mul, S("N", 4), x, w);
        int twice = graph.Add(OpKind.Add, S("N", 4), square, square);
        int loss = graph.Add(OpKind.Sum, Shape.Scalar, twice);

        var training = ReverseMode.Differentiate(Finish(graph, inputs, parameters, loss));

        // d(square) = g + g, accumulated by an Add before flowing into w.
        Assert.Contains(training.Nodes.Skip(graph.Nodes.Count), n => n.Op == OpKind.Add);
        Assert.Equal(OpKind.SumTo, training.Nodes[Assert.Single(training.Gradients).Node].Op);
    }
}
