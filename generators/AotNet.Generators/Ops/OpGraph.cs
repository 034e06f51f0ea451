using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>
/// Builds graphs out of the table's primitives: every node goes through its op's shape rule.
/// Parsing uses <see cref="TryApply"/>, which reports a mismatch; VJPs and passes use the
/// typed helpers, whose shapes follow from a graph that already checked.
/// </summary>
internal sealed class OpGraph
{
    public OpGraph(GraphBuilder builder) => Builder = builder;

    public GraphBuilder Builder { get; }

    public Node this[int id] => Builder[id];

    public Shape Shape(int id) => Builder[id].Shape;

    /// <summary>Adds <paramref name="op"/> over <paramref name="inputs"/>, or returns its shape rule's complaint.</summary>
    public ShapeResult TryApply(OpDef op, OpAttributes attributes, SourceSpot? source, IReadOnlyList<int> inputs, out int id, string? displayName = null)
    {
        var types = inputs.Select(i => Builder[i].Outputs[0]).ToList();
        var result = op.Shape(new ShapeContext(displayName ?? op.Name, types, attributes, Builder.Requirements));
        id = -1;
        if (!result.Succeeded)
        {
            return result;
        }
        id = Builder.Add(new Node(0, op, inputs.ToEquatableArray(), result.Outputs!.Value, attributes, Source: source));
        for (int index = 1; index < result.Outputs.Value.Count; index++)
        {
            var type = result.Outputs.Value[index];
            Builder.Add(new Node(0, OpTable.Output, new[] { id }.ToEquatableArray(), new[] { type }.ToEquatableArray(), new OutputAttributes(index), Source: source));
        }
        return result;
    }

    /// <summary>Adds a node whose shapes are known to fit; a failure here is a bug in a rule.</summary>
    public int Apply(OpDef op, OpAttributes attributes, params int[] inputs)
    {
        var result = TryApply(op, attributes, null, inputs, out int id);
        return result.Succeeded ? id : throw new System.InvalidOperationException($"Internal: {op.Name} does not fit its inputs: {result.Error}");
    }

    public int Apply(OpDef op, params int[] inputs) => Apply(op, NoAttributes.Instance, inputs);

    /// <summary>Adds a caller-supplied value: an input, labels, or a parameter.</summary>
    public int Leaf(LeafKind kind, int index, TensorType type, string name)
    {
        var op = kind switch
        {
            LeafKind.Labels => OpTable.Labels,
            LeafKind.Parameter => OpTable.Parameter,
            _ => OpTable.Input,
        };
        return Builder.Add(new Node(0, op, EquatableArray<int>.Empty, new[] { type }.ToEquatableArray(), new LeafAttributes(kind, index), name));
    }

    /// <summary>The projection node that reads output <paramref name="index"/> of <paramref name="node"/>.</summary>
    public int OutputOf(int node, int index) =>
        index == 0 ? node : Builder.Nodes.First(n => n.Op.IsProjection && n.Input0 == node && ((OutputAttributes)n.Attributes).Index == index).Id;

    public int Add(int a, int b) => Apply(OpTable.Add, a, b);

    public int Sub(int a, int b) => Apply(OpTable.Sub, a, b);

    public int Mul(int a, int b) => Apply(OpTable.Mul, a, b);

    public int Div(int a, int b) => Apply(OpTable.Div, a, b);

    public int Neg(int x) => Apply(OpTable.Neg, x);

    public int Exp(int x) => Apply(OpTable.Exp, x);

    public int Sigmoid(int x) => Apply(OpTable.Sigmoid, x);

    public int GreaterThan(int a, int b) => Apply(OpTable.GreaterThan, a, b);

    public int Equal(int a, int b) => Apply(OpTable.Equal, a, b);

    public int Log(int x) => Apply(OpTable.Log, x);

    public int Sqrt(int x) => Apply(OpTable.Sqrt, x);

    public int Sin(int x) => Apply(OpTable.Sin, x);

    public int Cos(int x) => Apply(OpTable.Cos, x);

    public int Pow(int x, float exponent) => Apply(OpTable.PowScalar, new PowAttributes(exponent), x);

    public int Pow(int a, int b) => Apply(OpTable.Pow, a, b);

    public int Where(int mask, int whenTrue, int whenFalse) => Apply(OpTable.Where, mask, whenTrue, whenFalse);

    public int Constant(float value) => Constant(value, Graph.Shape.Scalar);

    public int Constant(float value, Shape shape, string? name = null)
    {
        int id = Apply(OpTable.Constant, new ConstantAttributes(value, shape));
        if (name is not null)
        {
            Builder.Rename(id, name);
        }
        return id;
    }

    /// <summary>A float scalar read when the code runs, such as a readonly field of the model.</summary>
    public int RuntimeScalar(string access, string display) => Apply(OpTable.RuntimeScalar, new RuntimeScalarAttributes(access, display));

    /// <summary>A size known when the code runs, as a float scalar: the divisor of a mean.</summary>
    public int Size(Dim size) => size.IsConstant ? Constant(size.Value) : Apply(OpTable.Size, new SizeAttributes(size));

    public int Copy(int x) => Apply(OpTable.Copy, x);

    /// <summary>A view of <paramref name="x"/> as <paramref name="shape"/>; the same value when the shape already is that.</summary>
    public int Reshape(int x, Shape shape) => Shape(x) == shape ? x : Apply(OpTable.Reshape, new ReshapeAttributes(shape), x);

    public int MatMul(int a, bool transposeA, int b, bool transposeB) => Apply(OpTable.MatMul, new GemmAttributes(transposeA, transposeB), a, b);

    public int Sum(int x, IEnumerable<int> axes, bool keepDim) => Apply(OpTable.Sum, new ReduceAttributes(axes.ToEquatableArray(), keepDim), x);

    /// <summary>Broadcasts <paramref name="x"/> to <paramref name="shape"/>; <paramref name="operandAxes"/> places x's axes when they do not align from the right.</summary>
    public int Expand(int x, Shape shape, IEnumerable<int>? operandAxes = null) =>
        Shape(x) == shape ? x : Apply(OpTable.Expand, new ExpandAttributes(shape, (operandAxes ?? []).ToEquatableArray()), x);

    /// <summary>
    /// Sums a broadcast gradient back to its operand's shape, as NumPy's broadcasting defines it:
    /// over the leading axes the operand lacks, and over the axes where it has a 1.
    /// </summary>
    public int SumTo(int gradient, Shape target)
    {
        var full = Shape(gradient);
        if (full == target)
        {
            return gradient;
        }
        int offset = full.Rank - target.Rank;
        int result = gradient;
        if (offset > 0)
        {
            result = Sum(result, Enumerable.Range(0, offset), keepDim: false);
        }
        var ones = Enumerable.Range(0, target.Rank).Where(axis => target[axis].IsOne && !full[axis + offset].IsOne).ToList();
        if (ones.Count > 0)
        {
            result = Sum(result, ones, keepDim: true);
        }
        return result;
    }
}

/// <summary>What a VJP rule sees: the node, its inputs and output, the gradient arriving at that output, and a builder.</summary>
internal sealed class VjpContext
{
    public VjpContext(OpGraph graph, Node node, int gradient)
    {
        G = graph;
        Node = node;
        Dy = gradient;
    }

    public OpGraph G { get; }

    public Node Node { get; }

    /// <summary>Input <paramref name="slot"/> of the node.</summary>
    public int X(int slot) => Node.Inputs[slot];

    /// <summary>The node's (first) output.</summary>
    public int Y => Node.Id;

    /// <summary>The gradient of the loss with respect to <see cref="Y"/>.</summary>
    public int Dy { get; }

    public Shape InputShape(int slot) => G.Shape(X(slot));

    public T Attributes<T>() where T : OpAttributes => (T)Node.Attributes;
}
