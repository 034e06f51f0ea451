using System.Collections.Generic;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Emit;

/// <summary>
/// The flat index into a broadcast operand for flat index <c>i</c> of the output: for each axis
/// the operand really has, the output coordinate times the operand's stride.
/// </summary>
internal static class BroadcastIndex
{
    public static string For(Shape operand, Shape output, string index)
    {
        if (operand.Rank == 0 || AllOnes(operand))
        {
            return "0";
        }
        if (StripLeadingOnes(operand) == StripLeadingOnes(output))
        {
            return index;
        }
        var terms = new List<string>();
        int offset = output.Rank - operand.Rank;
        for (int axis = 0; axis < output.Rank; axis++)
        {
            int operandAxis = axis - offset;
            if (operandAxis < 0 || IsOne(operand[operandAxis]))
            {
                continue;
            }
            string outerStride = Tail(output, axis + 1);
            string coordinate = outerStride == "1" ? index : $"{index} / ({outerStride})";
            if (axis > 0)
            {
                coordinate = $"{Wrap(coordinate)} % {output[axis].Code}";
            }
            string operandStride = Tail(operand, operandAxis + 1);
            terms.Add(operandStride == "1" ? coordinate : $"({coordinate}) * ({operandStride})");
        }
        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    static string Wrap(string expression) => expression.Contains(" ") ? "(" + expression + ")" : expression;

    static string Tail(Shape shape, int from)
    {
        var dims = new List<Dim>();
        for (int axis = from; axis < shape.Rank; axis++)
        {
            dims.Add(shape[axis]);
        }
        return new Shape(dims.ToEquatableArray()).LengthCode;
    }

    static Shape StripLeadingOnes(Shape shape)
    {
        int start = 0;
        while (start < shape.Rank && IsOne(shape[start]))
        {
            start++;
        }
        var dims = new List<Dim>();
        for (int axis = start; axis < shape.Rank; axis++)
        {
            dims.Add(shape[axis]);
        }
        return new Shape(dims.ToEquatableArray());
    }

    static bool AllOnes(Shape shape)
    {
        foreach (var dim in shape.Dims)
        {
            if (!IsOne(dim))
            {
                return false;
            }
        }
        return true;
    }

    static bool IsOne(Dim dim) => dim.IsConstant && dim.Value == 1;
}
