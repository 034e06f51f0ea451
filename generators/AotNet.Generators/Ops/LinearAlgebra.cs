using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Matrix products, through the packed GEMM kernel.</summary>
internal static partial class OpTable
{
    public static readonly OpDef MatMul = new("MatMul", OpFamily.LinearAlgebra, "op(a) · op(b) for matrices, where op may transpose", ShapeRules.Gemm)
    {
        Function = "MatMul",
        FunctionAttributes = static (_, _) => new GemmAttributes(false, false),
        Gradient = "da = g · op(b)ᵀ, db = op(a)ᵀ · g, as GEMMs with transpose flags",
        Math = static (o, a) => $"{o[0]}{(((GemmAttributes)a).TransposeA ? "ᵀ" : "")} · {o[1]}{(((GemmAttributes)a).TransposeB ? "ᵀ" : "")}",
        Kernel = EmitGemm,
        Vjp = GemmGradient,
        HostsEpilogue = true,
    };

    static void EmitGemm(IKernelWriter w, Node node)
    {
        var attributes = (GemmAttributes)node.Attributes;
        var a = w.NodeOf(node.Input0);
        string math = node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], attributes);
        if (w.Bias is int bias)
        {
            math += $" + {w.Display(bias)}";
        }
        if (w.Activation is { } activation)
        {
            math = $"{activation.ToLowerInvariant()}({math})";
        }
        w.Comment(math, w.Bias is null && w.Activation is null ? "GEMM" : "GEMM, fused epilogue");
        string k = attributes.TransposeA ? a.Shape[0].Code : a.Shape[1].Code;
        var call = $"{Kernels}Gemm.Multiply({w.Code(node.Input0)}, {Bool(attributes.TransposeA)}, {w.Code(node.Input1)}, {Bool(attributes.TransposeB)}, {w.Output(0)}, {node.Shape[0].Code}, {node.Shape[1].Code}, {k}";
        if (w.Bias is int b)
        {
            call += $", bias: {w.Code(b)}";
        }
        if (w.Activation is { } act)
        {
            call += $", activation: {Kernels}Activation.{act}";
        }
        w.Line(call + ");");
    }

    /// <summary>
    /// C = op(A)·op(B). dA = dC·op(B)ᵀ, stored transposed when A is; dB = op(A)ᵀ·dC, likewise.
    /// Each case is one more GEMM with the right transpose flags, so nothing is materialised.
    /// </summary>
    static int GemmGradient(VjpContext c, int slot)
    {
        var attributes = c.Attributes<GemmAttributes>();
        int a = c.X(0), b = c.X(1), dc = c.Dy;
        bool ta = attributes.TransposeA, tb = attributes.TransposeB;
        return slot == 0
            ? (ta ? c.G.MatMul(b, tb, dc, true) : c.G.MatMul(dc, false, b, !tb))
            : (tb ? c.G.MatMul(dc, true, a, ta) : c.G.MatMul(a, !ta, dc, false));
    }

    static string Bool(bool value) => value ? "true" : "false";
}
