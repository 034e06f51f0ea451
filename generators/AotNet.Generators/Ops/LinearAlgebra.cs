using System.Linq;
using AotNet.Generators.Emit;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Matrix products, through the packed GEMM kernel.</summary>
internal static partial class OpTable
{
    public static readonly OpDef MatMul = new("MatMul", OpFamily.LinearAlgebra, "op(a) · op(b) for matrices, or batches of them whose batch axes broadcast; op may transpose", ShapeRules.Gemm)
    {
        Function = "MatMul",
        FunctionAttributes = static (_, _) => new GemmAttributes(false, false),
        Gradient = "da = g · op(b)ᵀ, db = op(a)ᵀ · g, as GEMMs with transpose flags",
        Math = static (o, a) => $"{o[0]}{(((GemmAttributes)a).TransposeA ? "ᵀ" : "")} · {o[1]}{(((GemmAttributes)a).TransposeB ? "ᵀ" : "")}",
        Kernel = EmitGemm,
        Vjp = GemmGradient,
        HostsEpilogue = true,
        Accumulates = static _ => true,
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
        var b = w.NodeOf(node.Input1);
        int rank = node.Shape.Rank;
        bool batched = rank > 2;
        w.Comment(math, (batched ? "batched " : "") + (w.Bias is null && w.Activation is null ? "GEMM" : "GEMM, fused epilogue"));
        Dim m = node.Shape[rank - 2], n = node.Shape[rank - 1];
        Dim k = attributes.TransposeA ? a.Shape[a.Shape.Rank - 2] : a.Shape[a.Shape.Rank - 1];
        string aCode = w.Code(node.Input0), bCode = w.Code(node.Input1), output = w.Output(0);
        if (batched)
        {
            // One GEMM per batch element; an operand whose batch axes broadcast is read at the index they broadcast to.
            var batch = Shape.Of(node.Shape.Dims.Take(rank - 2).ToArray());
            string Slice(string code, Shape shape, Dim size) =>
                $"{code}.Slice(({BroadcastIndex.For(Shape.Of(shape.Dims.Take(shape.Rank - 2).ToArray()), batch, w.Index)}) * {size.OperandCode}, {size.Code})";
            aCode = Slice(aCode, a.Shape, m * k);
            bCode = Slice(bCode, b.Shape, k * n);
            output = $"{output}.Slice({w.Index} * {(m * n).OperandCode}, {(m * n).Code})";
            w.Open($"for (int {w.Index} = 0; {w.Index} < {batch.LengthCode}; {w.Index}++)");
        }
        var call = $"{Kernels}Gemm.Multiply({aCode}, {Bool(attributes.TransposeA)}, {bCode}, {Bool(attributes.TransposeB)}, {output}, {m.Code}, {n.Code}, {k.Code}";
        if (w.Accumulate is { } accumulate)
        {
            call += $", beta: {accumulate} ? 1f : 0f";
        }
        if (w.Bias is int biasValue)
        {
            call += $", bias: {w.Code(biasValue)}";
        }
        if (w.Activation is { } act)
        {
            call += $", activation: {Kernels}Activation.{act}";
        }
        w.Line(call + ");");
        if (batched)
        {
            w.Close();
        }
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
        int gradient = slot == 0
            ? (ta ? c.G.MatMul(b, tb, dc, true) : c.G.MatMul(dc, false, b, !tb))
            : (tb ? c.G.MatMul(dc, true, a, ta) : c.G.MatMul(a, !ta, dc, false));
        // An operand whose batch axes broadcast gets the gradients of every batch element it served, summed.
        return c.G.SumTo(gradient, c.InputShape(slot));
    }

    static string Bool(bool value) => value ? "true" : "false";
}
