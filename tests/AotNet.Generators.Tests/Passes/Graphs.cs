using AotNet.Generators.Graph;
using AotNet.Generators.Ops;

namespace AotNet.Generators.Tests.Passes;

/// <summary>Hand-built graphs for testing the stages after parsing without Roslyn.</summary>
static class Graphs
{
    public static readonly Dim N = Dim.Named("N");

    public static Shape S(params object[] dims) =>
        Shape.Of(dims.Select(d => d is string symbol ? Dim.Named(symbol) : Dim.Of((int)d)).ToArray());

    public static OpGraph NewGraph() => new(new GraphBuilder());

    public static int Input(OpGraph graph, List<InputSpec> inputs, string name, Shape shape, bool requiresGrad = false)
    {
        inputs.Add(new InputSpec(name, IsLabels: false, shape, requiresGrad));
        return graph.Leaf(LeafKind.Input, inputs.Count - 1, TensorType.Float(shape), name);
    }

    public static int Parameter(OpGraph graph, List<ParameterSpec> parameters, string name, Shape shape)
    {
        parameters.Add(new ParameterSpec(name, "this." + name, shape));
        return graph.Leaf(LeafKind.Parameter, parameters.Count - 1, TensorType.Float(shape), name);
    }

    public static int Gemm(OpGraph graph, int a, int b, bool transposeB = false) => graph.MatMul(a, false, b, transposeB);

    public static int SumAll(OpGraph graph, int x) => graph.Sum(x, Enumerable.Range(0, graph.Shape(x).Rank), keepDim: false);

    public static GraphSpec Finish(OpGraph graph, List<InputSpec> inputs, List<ParameterSpec> parameters, int output) =>
        new(inputs.ToEquatableArray(), parameters.ToEquatableArray(), graph.Builder.Nodes.ToEquatableArray(), output, graph.Builder.Requirements.ToEquatableArray());
}
