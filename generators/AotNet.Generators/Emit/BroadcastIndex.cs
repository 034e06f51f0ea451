using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Emit;

/// <summary>
/// The flat index into a broadcast operand for flat index <c>i</c> of the output: for each axis
/// the operand really has, the output coordinate times the operand's stride.
/// </summary>
internal static class BroadcastIndex
{
    /// <summary>
    /// <paramref name="operandAxes"/> gives the output axis of each operand axis; without it the
    /// axes align from the right, as in NumPy.
    /// </summary>
    public static string For(Shape operand, Shape output, string index, IReadOnlyList<int>? operandAxes = null)
    {
        if (operand.Rank == 0 || operand.Dims.All(d => d.IsOne))
        {
            return "0";
        }
        var axes = operandAxes ?? Enumerable.Range(output.Rank - operand.Rank, operand.Rank).ToList();
        if (operandAxes is null && StripLeadingOnes(operand) == StripLeadingOnes(output))
        {
            return index;
        }
        var terms = new List<string>();
        for (int operandAxis = 0; operandAxis < operand.Rank; operandAxis++)
        {
            int axis = axes[operandAxis];
            if (operand[operandAxis].IsOne)
            {
                continue;
            }
            var outerStride = output.TailLength(axis + 1);
            string coordinate = outerStride.IsOne ? index : $"{index} / {outerStride.OperandCode}";
            if (axis > 0)
            {
                coordinate = $"{(coordinate.Contains(" ") ? "(" + coordinate + ")" : coordinate)} % {output[axis].OperandCode}";
            }
            var operandStride = operand.TailLength(operandAxis + 1);
            terms.Add(operandStride.IsOne ? coordinate : $"({coordinate}) * {operandStride.OperandCode}");
        }
        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }


    static Shape StripLeadingOnes(Shape shape) => new(shape.Dims.SkipWhile(d => d.IsOne).ToEquatableArray());
}
