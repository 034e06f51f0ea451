using AotNet.Generators.Diagnostics;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>The ops of <c>AotNet.F</c>, layers and parameters, lowered to graph primitives.</summary>
internal sealed partial class GraphReader
{
    int ReadFunctional(string name, int[] args, IInvocationOperation invocation)
    {
        var at = invocation.Syntax;
        if (AnyFailed(args))
        {
            return ReadValue.Failed;
        }
        switch (name)
        {
            case "MatMul":
                return AddChecked(OpKind.Gemm, ShapeRules.Gemm("MatMul", Shape(args[0]), false, Shape(args[1]), false), at, args[0], args[1]);
            case "Linear":
                return Linear("Linear", args[0], args[1], args[2], at);
            case "Add":
                return Elementwise(OpKind.Add, name, at, args[0], args[1]);
            case "Sub":
                return Elementwise(OpKind.Sub, name, at, args[0], args[1]);
            case "Mul":
                return Elementwise(OpKind.Mul, name, at, args[0], args[1]);
            case "Relu":
                return _graph.Add(OpKind.Relu, Shape(args[0]), args[0]);
            case "Tanh":
                return _graph.Add(OpKind.Tanh, Shape(args[0]), args[0]);
            case "Sigmoid":
                return _graph.Add(OpKind.Sigmoid, Shape(args[0]), args[0]);
            case "LogSoftmax":
                return AddChecked(OpKind.LogSoftmax, ShapeRules.LastAxis(name, Shape(args[0])), at, args[0]);
            case "Sum":
                return _graph.Add(OpKind.Sum, Graph.Shape.Scalar, args[0]);
            case "Mean":
                return _graph.Add(OpKind.Mean, Graph.Shape.Scalar, args[0]);
            case "CrossEntropy":
                var loss = ShapeRules.CrossEntropy(Shape(args[0]), Shape(args[1]));
                if (loss.Shape is null)
                {
                    Report(Descriptors.ShapeMismatch, at.GetLocation(), loss.Error!);
                    return ReadValue.Failed;
                }
                // Cross-entropy is log-softmax then negative log-likelihood; the fusion pass
                // turns their two gradients back into one softmax-minus-one-hot sweep.
                int logProbabilities = Suggest(_graph.Add(OpKind.LogSoftmax, Shape(args[0]), args[0]), "logProbabilities");
                return Suggest(_graph.Add(OpKind.Nll, loss.Shape, logProbabilities, args[1]), "loss");
            default:
                return Unsupported(invocation, $"F.{name} has no generated form yet; compute it outside the [Differentiable] method");
        }
    }

    int Elementwise(OpKind op, string name, SyntaxNode at, int left, int right)
    {
        if (AnyFailed(left, right))
        {
            return ReadValue.Failed;
        }
        return AddChecked(op, ShapeRules.Broadcast(name, Shape(left), Shape(right)), at, left, right);
    }

    int Linear(string layer, int x, int weight, int bias, SyntaxNode at)
    {
        if (AnyFailed(x, weight, bias))
        {
            return ReadValue.Failed;
        }
        var shape = ShapeRules.Linear(layer, Shape(x), Shape(weight), bias == ReadValue.None ? null : Shape(bias));
        if (shape.Shape is null)
        {
            Report(Descriptors.ShapeMismatch, at.GetLocation(), shape.Error!);
            return ReadValue.Failed;
        }
        // Linear is x · Wᵀ, then a broadcast bias add: fusion folds the add (and a following
        // relu) back into the GEMM's epilogue.
        int product = _graph.Add(new Node(0, OpKind.Gemm, new[] { x, weight }.ToEquatableArray(), shape.Shape, TransposeB: true));
        return bias == ReadValue.None ? product : _graph.Add(OpKind.Add, shape.Shape, product, bias);
    }

    int ReadLinearLayer(ISymbol member, ReaderScope scope, int x, SyntaxNode at)
    {
        var info = LayerReader.ReadLinear(member, _compilation, out string? problem, out var location);
        if (info is null)
        {
            Report(Descriptors.LayerSizeNotConstant, location, member.Name, problem!);
            return ReadValue.Failed;
        }
        string path = scope.NamePrefix + member.Name;
        string access = scope.AccessPrefix + member.Name;
        int weight = ParameterNode(path + ".weight", access + ".Weight", Graph.Shape.Of(Dim.Of(info.OutFeatures), Dim.Of(info.InFeatures)));
        int bias = info.HasBias ? ParameterNode(path + ".bias", access + ".Bias!", Graph.Shape.Of(Dim.Of(info.OutFeatures))) : ReadValue.None;
        return Suggest(Linear(path, x, weight, bias, at), Names.Identifier(path));
    }

    int ReadMember(IMemberReferenceOperation reference, ReaderScope scope)
    {
        var member = reference.Member;
        var type = LayerReader.MemberType(member);
        if (member.ContainingType.Is(KnownNames.Linear) && member.Name is "Weight" or "Bias"
            && ResolveMember(reference.Instance, scope) is { } layer)
        {
            if (!Reachable(layer, reference.Instance!))
            {
                return ReadValue.Failed;
            }
            var info = LayerReader.ReadLinear(layer, _compilation, out string? problem, out var location);
            if (info is null)
            {
                Report(Descriptors.LayerSizeNotConstant, location, layer.Name, problem!);
                return ReadValue.Failed;
            }
            if (member.Name == "Bias" && !info.HasBias)
            {
                return Unsupported(reference, $"'{layer.Name}' was built without a bias");
            }
            string path = scope.NamePrefix + layer.Name + "." + member.Name.ToLowerInvariant();
            string access = scope.AccessPrefix + layer.Name + "." + member.Name + (member.Name == "Bias" ? "!" : "");
            var shape = member.Name == "Weight"
                ? Graph.Shape.Of(Dim.Of(info.OutFeatures), Dim.Of(info.InFeatures))
                : Graph.Shape.Of(Dim.Of(info.OutFeatures));
            return ParameterNode(path, access, shape);
        }
        if (type.Is(KnownNames.Parameter) && reference.Instance is null or IInstanceReferenceOperation && !member.IsStatic)
        {
            if (!Reachable(member, reference))
            {
                return ReadValue.Failed;
            }
            var shape = ShapeReader.Read(member, constantsOnly: true, out _);
            if (shape is null)
            {
                Report(Descriptors.ParameterNeedsShape, member.FirstLocation(), member.Name);
                return ReadValue.Failed;
            }
            return ParameterNode(scope.NamePrefix + member.Name, scope.AccessPrefix + member.Name, shape);
        }
        return Unsupported(reference, type.Is(KnownNames.Tensor)
            ? "a Tensor member is a constant to the graph; make it a Parameter with a [Shape], or pass it in as an input"
            : "only Parameter members can be read here");
    }

    int ParameterNode(string name, string access, Shape shape)
    {
        if (_parameterNodes.TryGetValue(name, out int existing))
        {
            return existing;
        }
        int index = _parameters.Count;
        _parameters.Add(new ParameterSpec(name, access, shape));
        int id = _graph.Add(new Node(0, OpKind.Parameter, EquatableArray<int>.Empty, shape, name, Index: index));
        _parameterNodes[name] = id;
        return id;
    }

    Shape Shape(int id) => _graph[id].Shape;
}
