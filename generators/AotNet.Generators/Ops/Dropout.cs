using System.Collections.Generic;
using AotNet.Generators.Emit;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>dropout: a random mask of kept elements, scaled, multiplied in.</summary>
internal static partial class OpTable
{
    public static readonly OpDef DropoutMask = new("DropoutMask", OpFamily.Structural, "1 / (1 − p) with probability 1 − p, else 0, per element of x's shape, drawn from Rng.Default",
        ShapeRules.SameAsInput)
    {
        Math = static (o, a) => $"bernoulli(1 − {Literals.Float(((DropoutAttributes)a).P).TrimEnd('f')}) / (1 − {Literals.Float(((DropoutAttributes)a).P).TrimEnd('f')})",
        Gradient = "none: the mask is a constant of the step",
        Kernel = static (w, node) =>
        {
            float p = ((DropoutAttributes)node.Attributes).P;
            w.Comment(node.Op.Math([w.Display(node.Input0)], node.Attributes), "drawn in order from Rng.Default, as the eager op draws it");
            w.Line($"{Kernels}DropoutMask.Fill({w.Output(0)}, {Literals.Float(p)});");
        },
        NonDifferentiableInputs = [0],
        IsRandom = true,
    };

    /// <summary>
    /// The functional dropout <c>(x, p, training)</c>: x itself when not training or when p is 0, zeros when p is
    /// 1, else x times a mask the step keeps for its backward, as PyTorch's <c>F.dropout</c>.
    /// </summary>
    public static Binding DropoutCall => new Binding("Dropout", LowerDropout, [DropoutMask, Mul]);

    static BindingResult LowerDropout(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string name)
    {
        int x = arguments[0];
        float p = constants.Float(1, 0.5f);
        if (!(p >= 0f && p <= 1f))
        {
            return BindingResult.Fail($"{name}: p is the probability of dropping an element, between 0 and 1; got {p}");
        }
        if (!constants.Bool(2, true) || p == 0f)
        {
            return new BindingResult(x, null);
        }
        if (p == 1f)
        {
            return new BindingResult(graph.Mul(x, graph.Constant(0f)), null);
        }
        var mask = graph.TryApply(DropoutMask, new DropoutAttributes(p), source, [x], out int maskNode, name);
        if (!mask.Succeeded)
        {
            return BindingResult.Fail(mask.Error!);
        }
        var product = graph.TryApply(Mul, NoAttributes.Instance, source, [x, maskNode], out int kept, name);
        return product.Succeeded ? new BindingResult(kept, null) : BindingResult.Fail(product.Error!);
    }
}
