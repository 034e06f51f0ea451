using AotNet.Generators.Graph;

namespace AotNet.Generators.Tests.Passes;

/// <summary>Hand-built graphs for testing the stages after parsing without Roslyn.</summary>
static class Graphs
{
    public static readonly Dim N = Dim.Named("N");

    public static Shape S(params object[] dims) =>
        Shape.Of(dims.Select(d => d is string symbol ? Dim.Named(symbol) : Dim.Of((int)d)).ToArray());

    public static int Input(GraphBuilder graph, List<InputSpec> inputs, string name, Shape shape, bool requiresGrad = false)
    {
        inputs.Add(new InputSpec(name, IsLabels: false, shape, requiresGrad));
        return graph.Add(new Node(0, OpKind.Input, EquatableArray<int>.Empty, shape, name, Index: inputs.Count - 1));
    }

    public static int Parameter(GraphBuilder graph, List<ParameterSpec> parameters, string name, Shape shape)
    {
        parameters.Add(new ParameterSpec(name, "this." + name, shape));
        return graph.Add(new Node(0, OpKind.Parameter, EquatableArray<int>.Empty, shape, name, Index: parameters.Count - 1));
    }

    public static int Gemm(GraphBuilder graph, int a, int b, Shape shape, bool transposeB = false) =>
        graph.Add(new Node(0, OpKind.Gemm, new[] { a, b }.ToEquatableArray(), shape, TransposeB: transposeB));

    public static GraphSpec Finish(GraphBuilder graph, List<InputSpec> inputs, List<ParameterSpec> parameters, int output) =>
        new(inputs.ToEquatableArray(), parameters.ToEquatableArray(), graph.Nodes.ToEquatableArray(), output);
}
