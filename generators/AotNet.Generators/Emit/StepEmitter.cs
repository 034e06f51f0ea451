using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Passes;

namespace AotNet.Generators.Emit;

/// <summary>
/// Emits one step: a comment with the math it implements, then the kernel call or the fused
/// loop. The comment is written in the user's names, so a reader can map code back to model.
/// </summary>
internal sealed class StepEmitter
{
    const string Kernels = "global::AotNet.Kernels.";
    const string MathF = "global::System.MathF.";

    readonly IReadOnlyList<Node> _nodes;
    readonly ValueNames _names;
    readonly SourceWriter _writer;
    readonly string _index;

    public StepEmitter(IReadOnlyList<Node> nodes, ValueNames names, SourceWriter writer, string index)
    {
        _nodes = nodes;
        _names = names;
        _writer = writer;
        _index = index;
    }

    string? _declaration;

    /// <summary>Emits <paramref name="step"/>; <paramref name="declaration"/>, when given, declares its output right after the comment.</summary>
    public void Emit(Step step, string? declaration)
    {
        _declaration = declaration;
        switch (step)
        {
            case GemmStep gemm:
                EmitGemm(gemm);
                break;
            case FusedStep fused:
                EmitFused(fused);
                break;
            case KernelStep kernel:
                EmitKernel(kernel.Node);
                break;
        }
    }

    void EmitGemm(GemmStep step)
    {
        var gemm = step.Gemm;
        var a = _nodes[gemm.Input0];
        string product = $"{Display(a.Id)}{(gemm.TransposeA ? "ᵀ" : "")} · {Display(gemm.Input1)}{(gemm.TransposeB ? "ᵀ" : "")}";
        string math = step.Bias is int bias ? $"{product} + {Display(bias)}" : product;
        if (step.Relu)
        {
            math = $"relu({math})";
        }
        Comment(step.Output, math, step.Bias is null && !step.Relu ? "GEMM" : "GEMM, fused epilogue");
        var shape = _nodes[step.Output].Shape;
        string k = gemm.TransposeA ? a.Shape[0].Code : a.Shape[1].Code;
        var call = $"{Kernels}Gemm.Multiply({Code(gemm.Input0)}, {Bool(gemm.TransposeA)}, {Code(gemm.Input1)}, {Bool(gemm.TransposeB)}, {Code(step.Output)}, {shape[0].Code}, {shape[1].Code}, {k}";
        if (step.Bias is int b)
        {
            call += $", bias: {Code(b)}";
        }
        if (step.Relu)
        {
            call += $", activation: {Kernels}Activation.Relu";
        }
        _writer.Line(call + ");");
    }

    void EmitFused(FusedStep step)
    {
        var members = step.Members.ToDictionary(m => m.Id);
        var output = _nodes[step.Output];
        string how = step.Members.Count > 1 ? $"{step.Members.Count} elementwise ops, one loop"
            : output.Op == OpKind.Constant && output.Name == "seed" ? "the loss's own gradient"
            : "elementwise";
        Comment(step.Output, MathOf(step.Output, members), how);
        if (output.Shape.LengthCode == "1")
        {
            // A single element needs no loop.
            _writer.Line($"{Code(step.Output)}[0] = {CodeOf(step.Output, members, output.Shape, "0")};");
            return;
        }
        _writer.Open($"for (int {_index} = 0; {_index} < {output.Shape.LengthCode}; {_index}++)");
        _writer.Line($"{Code(step.Output)}[{_index}] = {CodeOf(step.Output, members, output.Shape, _index)};");
        _writer.Close();
    }

    string CodeOf(int id, Dictionary<int, Node> members, Shape loopShape, string index)
    {
        if (!members.TryGetValue(id, out var node))
        {
            return $"{Code(id)}[{BroadcastIndex.For(_nodes[id].Shape, loopShape, index)}]";
        }
        string Operand(int slot) => CodeOf(node.Inputs[slot], members, loopShape, index);
        return node.Op switch
        {
            OpKind.Add => $"({Operand(0)} + {Operand(1)})",
            OpKind.Sub => $"({Operand(0)} - {Operand(1)})",
            OpKind.Mul => $"({Operand(0)} * {Operand(1)})",
            OpKind.Neg => $"(-{Operand(0)})",
            OpKind.Relu => $"{MathF}Max({Operand(0)}, 0f)",
            OpKind.Tanh => $"{MathF}Tanh({Operand(0)})",
            OpKind.Sigmoid => $"(1f / (1f + {MathF}Exp(-{Operand(0)})))",
            OpKind.ReluGrad => $"({Operand(1)} > 0f ? {Operand(0)} : 0f)",
            OpKind.TanhGrad => $"({Operand(0)} * (1f - {Operand(1)} * {Operand(1)}))",
            OpKind.SigmoidGrad => $"({Operand(0)} * {Operand(1)} * (1f - {Operand(1)}))",
            OpKind.Fill => node.Scalar == 0f ? $"({Operand(0)} / ({node.Shape.LengthCode}))" : Operand(0),
            OpKind.Constant => Literals.Float(node.Scalar),
            _ => throw new System.InvalidOperationException($"{node.Op} is not elementwise."),
        };
    }

    string MathOf(int id, Dictionary<int, Node> members)
    {
        if (!members.TryGetValue(id, out var node))
        {
            return Display(id);
        }
        string Operand(int slot) => MathOf(node.Inputs[slot], members);
        return node.Op switch
        {
            OpKind.Add => $"({Operand(0)} + {Operand(1)})",
            OpKind.Sub => $"({Operand(0)} − {Operand(1)})",
            OpKind.Mul => $"({Operand(0)} ⊙ {Operand(1)})",
            OpKind.Neg => $"−{Operand(0)}",
            OpKind.Relu => $"relu({Operand(0)})",
            OpKind.Tanh => $"tanh({Operand(0)})",
            OpKind.Sigmoid => $"σ({Operand(0)})",
            OpKind.ReluGrad => $"{Operand(0)} ⊙ [{Operand(1)} > 0]",
            OpKind.TanhGrad => $"{Operand(0)} ⊙ (1 − {Operand(1)}²)",
            OpKind.SigmoidGrad => $"{Operand(0)} ⊙ {Operand(1)} ⊙ (1 − {Operand(1)})",
            OpKind.Fill => node.Scalar == 0f ? $"{Operand(0)}/{node.Shape.LengthCode}" : Operand(0),
            OpKind.Constant => Literals.Float(node.Scalar),
            _ => node.Op.ToString(),
        };
    }

    void EmitKernel(Node node)
    {
        string output = Code(node.Id);
        var shape = node.Shape;
        switch (node.Op)
        {
            case OpKind.LogSoftmax:
                Comment(node.Id, $"log_softmax({Display(node.Input0)}) over the last axis", "row-wise kernel");
                _writer.Line($"{Kernels}Softmax.LogSoftmaxRows({Code(node.Input0)}, {output}, {shape.RowsCode}, {shape.Last.Code});");
                break;
            case OpKind.LogSoftmaxGrad:
                Comment(node.Id, $"{Display(node.Input0)} − softmax ⊙ Σ_row {Display(node.Input0)}", "log-softmax backward");
                _writer.Line($"{Kernels}Softmax.LogSoftmaxRowsBackward({Code(node.Input1)}, {Code(node.Input0)}, {output}, {shape.RowsCode}, {shape.Last.Code});");
                break;
            case OpKind.Nll:
            {
                var logProbabilities = _nodes[node.Input0].Shape;
                Comment(node.Id, $"−mean_r {Display(node.Input0)}[r, {Display(node.Input1)}[r]]", "cross-entropy loss");
                _writer.Line($"{output}[0] = {Kernels}CrossEntropy.NllForward({Code(node.Input0)}, {Code(node.Input1)}, {logProbabilities[0].Code}, {logProbabilities[1].Code});");
                break;
            }
            case OpKind.NllGrad:
                Comment(node.Id, $"−{Display(node.Input0)}/N at each label {Display(node.Input1)}", "scatter");
                _writer.Line($"{Kernels}CrossEntropy.NllBackward({Code(node.Input1)}, {Code(node.Input0)}[0], {output}, {shape[0].Code}, {shape[1].Code});");
                break;
            case OpKind.SoftmaxCrossEntropyGrad:
                Comment(node.Id, $"(softmax − onehot({Display(node.Inputs[2])})) · {Display(node.Input0)}/N", "fused softmax cross-entropy backward");
                _writer.Line($"{Kernels}CrossEntropy.Backward({Code(node.Input1)}, {Code(node.Inputs[2])}, {Code(node.Input0)}[0], {output}, {shape[0].Code}, {shape[1].Code});");
                break;
            case OpKind.Sum:
                Comment(node.Id, $"Σ {Display(node.Input0)}", "reduction");
                _writer.Line($"{output}[0] = {Kernels}Reduce.Sum({Code(node.Input0)});");
                break;
            case OpKind.Mean:
                Comment(node.Id, $"mean({Display(node.Input0)})", "reduction");
                _writer.Line($"{output}[0] = {Kernels}Reduce.Sum({Code(node.Input0)}) / ({_nodes[node.Input0].Shape.LengthCode});");
                break;
            case OpKind.Copy:
                Comment(node.Id, Display(node.Input0), "copy");
                _writer.Line($"{Code(node.Input0)}.CopyTo({output});");
                break;
            case OpKind.SumTo:
                EmitSumTo(node);
                break;
            default:
                throw new System.InvalidOperationException($"No emission rule for {node.Op}.");
        }
    }

    /// <summary>Sums a broadcast gradient back to its operand's shape.</summary>
    void EmitSumTo(Node node)
    {
        var source = _nodes[node.Input0];
        Comment(node.Id, $"{Display(node.Input0)} summed over its broadcast axes", "reduction");
        string output = Code(node.Id);
        if (node.Shape.Rank == 0 || node.Shape.LengthCode == "1")
        {
            _writer.Line($"{output}[0] = {Kernels}Reduce.Sum({Code(source.Id)});");
            return;
        }
        if (IsTrailingSuffix(node.Shape, source.Shape))
        {
            int kept = node.Shape.Dims.SkipWhile(d => d.IsConstant && d.Value == 1).Count();
            string rows = new Shape(source.Shape.Dims.Take(source.Shape.Rank - kept).ToEquatableArray()).LengthCode;
            _writer.Line($"{Kernels}Reduce.SumOverRows({Code(source.Id)}, {rows}, {node.Shape.LengthCode}, {output}, accumulate: false);");
            return;
        }
        _writer.Line($"{output}.Clear();");
        _writer.Open($"for (int {_index} = 0; {_index} < {source.Shape.LengthCode}; {_index}++)");
        _writer.Line($"{output}[{BroadcastIndex.For(node.Shape, source.Shape, _index)}] += {Code(source.Id)}[{_index}];");
        _writer.Close();
    }

    /// <summary>Whether <paramref name="target"/>, without leading ones, is the trailing dimensions of <paramref name="source"/>.</summary>
    static bool IsTrailingSuffix(Shape target, Shape source)
    {
        var dims = target.Dims.SkipWhile(d => d.IsConstant && d.Value == 1).ToList();
        if (dims.Count > source.Rank)
        {
            return false;
        }
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[dims.Count - 1 - i] != source[source.Rank - 1 - i])
            {
                return false;
            }
        }
        return true;
    }

    void Comment(int output, string math, string how)
    {
        _writer.Line($"// {Display(output)} = {math}   {_nodes[output].Shape}, {how}");
        if (_declaration is not null)
        {
            _writer.Line(_declaration);
            _declaration = null;
        }
    }

    string Code(int id) => _names.Code(id);

    string Display(int id) => _names.Display(id);

    static string Bool(bool value) => value ? "true" : "false";
}
