using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Row-wise normalisations over the last axis.</summary>
internal static partial class OpTable
{
    public static readonly OpDef LogSoftmax = new("LogSoftmax", OpFamily.Softmax, "log-softmax over the last axis", ShapeRules.LastAxis)
    {
        Function = "LogSoftmax",
        Gradient = "g − exp(y) ⊙ Σ_row g",
        Math = static (o, _) => $"log_softmax({o[0]}) over the last axis",
        Kernel = static (w, node) =>
        {
            var shape = node.Shape;
            w.Comment(node.Op.Math([w.Display(node.Input0)], node.Attributes), "row-wise kernel");
            w.Line($"{Kernels}Softmax.LogSoftmaxRows({w.Code(node.Input0)}, {w.Output(0)}, {shape.RowsCode}, {shape.Last.Code});");
        },
        // dx = dy − softmax(x) ⊙ Σ_row dy, and softmax(x) = exp(y).
        Vjp = static (c, _) =>
        {
            int rowSums = c.G.Sum(c.Dy, [c.Node.Shape.Rank - 1], keepDim: true);
            return c.G.Sub(c.Dy, c.G.Mul(c.G.Exp(c.Y), rowSums));
        },
    };
}
