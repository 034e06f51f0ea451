using AotNet.Generators.Graph;

namespace AotNet.Generators.Autodiff;

/// <summary>
/// The vector-Jacobian product of every primitive, in one table: given the node and the
/// gradient of its output, the gradient contributed to input <c>slot</c>. Broadcasting inputs
/// receive their gradient summed back down to their own shape.
/// </summary>
internal static class VjpRules
{
    public static int InputGradient(GraphBuilder graph, Node node, int slot, int grad)
    {
        var input = graph[node.Inputs[slot]];
        switch (node.Op)
        {
            case OpKind.Add:
                return SumTo(graph, grad, input.Shape);
            case OpKind.Sub:
                int summed = SumTo(graph, grad, input.Shape);
                return slot == 0 ? summed : graph.Add(OpKind.Neg, input.Shape, summed);
            case OpKind.Mul:
                var other = graph[node.Inputs[1 - slot]];
                int product = graph.Add(OpKind.Mul, node.Shape, grad, other.Id);
                return SumTo(graph, product, input.Shape);
            case OpKind.Neg:
                return graph.Add(OpKind.Neg, input.Shape, grad);
            case OpKind.Relu:
                // d relu = dy where y > 0: the saved output is enough, the input can be dropped.
                return graph.Add(OpKind.ReluGrad, input.Shape, grad, node.Id);
            case OpKind.Tanh:
                return graph.Add(OpKind.TanhGrad, input.Shape, grad, node.Id);
            case OpKind.Sigmoid:
                return graph.Add(OpKind.SigmoidGrad, input.Shape, grad, node.Id);
            case OpKind.LogSoftmax:
                return graph.Add(OpKind.LogSoftmaxGrad, input.Shape, grad, node.Id);
            case OpKind.Nll:
                return graph.Add(OpKind.NllGrad, input.Shape, grad, node.Input1);
            case OpKind.Sum:
                return graph.Add(new Node(0, OpKind.Fill, new[] { grad }.ToEquatableArray(), input.Shape, Scalar: 1f));
            case OpKind.Mean:
                // Scalar 0 marks "divide by the element count", which may be symbolic.
                return graph.Add(new Node(0, OpKind.Fill, new[] { grad }.ToEquatableArray(), input.Shape, Scalar: 0f));
            case OpKind.Gemm:
                return GemmGradient(graph, node, slot, grad);
            default:
                throw new System.InvalidOperationException($"{node.Op} has no reverse-mode rule.");
        }
    }

    /// <summary>Which inputs of <paramref name="node"/> can carry a gradient at all (labels cannot).</summary>
    public static bool IsDifferentiableInput(Node node, int slot) => !(node.Op == OpKind.Nll && slot == 1);

    /// <summary>
    /// C = op(A)·op(B). dA = dC·op(B)ᵀ, stored transposed when A is; dB = op(A)ᵀ·dC, likewise.
    /// Each case is one more GEMM with the right transpose flags, so nothing is materialised.
    /// </summary>
    static int GemmGradient(GraphBuilder graph, Node node, int slot, int grad)
    {
        int a = node.Input0, b = node.Input1;
        bool ta = node.TransposeA, tb = node.TransposeB;
        var shape = graph[node.Inputs[slot]].Shape;
        Node gemm = slot == 0
            ? (ta ? Gemm(b, tb, grad, true, shape) : Gemm(grad, false, b, !tb, shape))
            : (tb ? Gemm(grad, true, a, ta, shape) : Gemm(a, !ta, grad, false, shape));
        return graph.Add(gemm);
    }

    static Node Gemm(int left, bool transposeLeft, int right, bool transposeRight, Shape shape) =>
        new(0, OpKind.Gemm, new[] { left, right }.ToEquatableArray(), shape, TransposeA: transposeLeft, TransposeB: transposeRight);

    static int SumTo(GraphBuilder graph, int grad, Shape target) =>
        graph[grad].Shape == target ? grad : graph.Add(OpKind.SumTo, target, grad);
}
