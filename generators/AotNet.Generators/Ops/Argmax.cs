using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>The axis an index reduction runs along (already counted from the front), and whether it stays as size 1.</summary>
internal sealed record ArgmaxAttributes(int Axis, bool KeepDim) : OpAttributes;

/// <summary>Index reductions: integer results, which carry no gradient.</summary>
internal static partial class OpTable
{
    /// <summary>
    /// PyTorch's <c>torch.argmax(x, dim, keepdim)</c>: the index of the largest value along one axis, the first on ties,
    /// NaN counting as the largest. An Int32 result (labels), so nothing differentiates through it.
    /// </summary>
    public static readonly OpDef Argmax = new("Argmax", OpFamily.Reduction, "the index of the largest value along an axis (the first on ties; NaN counts as largest), as integer labels",
        static context =>
        {
            var attributes = context.Get<ArgmaxAttributes>();
            var x = context[0];
            if (context.Inputs[0].DType != DType.Float32 || x.Rank < 1)
            {
                return ShapeResult.Fail($"{context.Op} needs a float tensor of at least one dimension; got {x}");
            }
            if ((uint)attributes.Axis >= (uint)x.Rank)
            {
                return ShapeResult.Fail($"{context.Op}: dim {attributes.Axis} is out of range for a tensor of shape {x}");
            }
            if (x[attributes.Axis].IsConstant && x[attributes.Axis].Value == 0)
            {
                return ShapeResult.Fail($"{context.Op}: {x} has no elements along dim {attributes.Axis}");
            }
            var dims = Enumerable.Range(0, x.Rank).Where(a => a != attributes.Axis || attributes.KeepDim).Select(a => a == attributes.Axis ? Dim.One : x[a]).ToArray();
            return ShapeResult.Ok(new TensorType(DType.Int32, Shape.Of(dims)));
        })
    {
        Function = "Argmax",
        FunctionAttributes = static (inputs, constants) =>
        {
            int rank = inputs[0].Shape.Rank, dim = constants.Int(1, 0);
            return new ArgmaxAttributes(dim < 0 && dim >= -rank ? dim + rank : dim, constants.Bool(2, false));
        },
        OutputNames = ["indices"],
        Gradient = "none: the result is integer indices (PyTorch's argmax has no gradient either)",
        Math = static (o, a) => $"argmax_{((ArgmaxAttributes)a).Axis} {o[0]}",
        Kernel = static (w, node) =>
        {
            var x = w.NodeOf(node.Input0).Shape;
            int axis = ((ArgmaxAttributes)node.Attributes).Axis;
            string outer = Dim.Product(x.Dims.Take(axis)).Code, inner = Dim.Product(x.Dims.Skip(axis + 1)).Code;
            w.Comment(node.Op.Math([w.Display(node.Input0)], node.Attributes), "first index of the largest value, NaN largest");
            w.Line($"{Kernels}Argmax.Apply({w.Code(node.Input0)}, {outer}, {x[axis].Code}, {inner}, {w.Output(0)});");
        },
        NonDifferentiableInputs = [0],
    };
}
