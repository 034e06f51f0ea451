using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Passes;

namespace AotNet.Generators.Emit;

/// <summary>
/// A fused loop's element for a whole vector, from each member's vector rule. A loop runs a vector
/// at a time only when every member has a vector rule, it writes floats, and every value it reads
/// from memory is floats, either contiguous with the output or one value for all of it; a mask or
/// an integer in memory, or any other broadcast, keeps the loop scalar.
/// </summary>
internal sealed class FusedVectors
{
    /// <summary>The widths a vector loop is written for, widest first; each runs when the JIT says it is accelerated.</summary>
    public static readonly IReadOnlyList<string> Widths =
        ["global::System.Runtime.Intrinsics.Vector512", "global::System.Runtime.Intrinsics.Vector256"];

    readonly IReadOnlyList<Node> _nodes;
    readonly ValueNames _names;
    readonly Dictionary<int, Node> _members;
    readonly Dictionary<int, string> _locals;
    readonly Shape _loopShape;
    readonly string _vector;
    readonly string _index;
    readonly IReadOnlyDictionary<int, string> _scalars;

    /// <param name="scalars">Members held in a float local or field instead, one value for every element.</param>
    public FusedVectors(IReadOnlyList<Node> nodes, ValueNames names, Dictionary<int, Node> members, Dictionary<int, string> locals, Shape loopShape, string vector, string index,
        IReadOnlyDictionary<int, string>? scalars = null)
    {
        _scalars = scalars ?? new Dictionary<int, string>();
        _loopShape = loopShape;
        _nodes = nodes;
        _names = names;
        _members = members;
        _locals = locals;
        _vector = vector;
        _index = index;
    }

    public static bool CanVectorize(FusedStep step, Dictionary<int, Node> members, IReadOnlyList<Node> nodes)
    {
        var output = nodes[step.Output];
        if (output.DType != DType.Float32 || output.Shape.Length.IsOne)
        {
            return false;
        }
        foreach (var member in step.Members)
        {
            if (member.Op.Vector is null || (member.DType != DType.Float32 && member.DType != DType.Bool))
            {
                return false;
            }
            for (int slot = 0; slot < member.Inputs.Count; slot++)
            {
                int input = member.Inputs[slot];
                if (!members.ContainsKey(input) && Load(nodes[input], output.Shape, member.Op.OperandAxes?.Invoke(member, slot)) is null)
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>How the loop reads an operand from memory: "0" (one value for every element) or "i" (contiguous); null when it cannot a vector at a time.</summary>
    static string? Load(Node operand, Shape loopShape, IReadOnlyList<int>? operandAxes)
    {
        if (operand.DType != DType.Float32)
        {
            return null;
        }
        string index = BroadcastIndex.For(operand.Shape, loopShape, "i", operandAxes);
        return index is "0" or "i" ? index : null;
    }

    /// <summary>The vector expression of <paramref name="id"/> at element <c>i</c> onwards.</summary>
    public string Of(int id, IReadOnlyList<int>? operandAxes = null, bool top = false)
    {
        if (!top && _locals.TryGetValue(id, out var local))
        {
            return local;
        }
        if (_scalars.TryGetValue(id, out var scalar))
        {
            return $"{_vector}.Create({scalar})";
        }
        if (!_members.TryGetValue(id, out var node))
        {
            string code = _names.Code(id);
            return Load(_nodes[id], _loopShape, operandAxes) == "0"
                ? $"{_vector}.Create({code}[0])"
                : $"{_vector}.Create({code}[{_index}..])";
        }
        var operands = node.Inputs.Select((input, slot) => Of(input, node.Op.OperandAxes?.Invoke(node, slot))).ToList();
        return node.Op.Vector!(operands, node.Attributes, _vector);
    }

    /// <summary>The statement that stores (or, with <c>+=</c>, adds) the loop's value into its output.</summary>
    public string Store(int output, string assign)
    {
        string target = $"{_names.Code(output)}[{_index}..]";
        string value = Of(output, top: true);
        return assign == "+="
            ? $"{_vector}.CopyTo({_vector}.Create({target}) + {value}, {target});"
            : $"{_vector}.CopyTo({value}, {target});";
    }
}
