using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>Build-time arithmetic and logic over known facts: the sizes and flags a module's configuration computes.</summary>
internal static class Arithmetic
{
    public static Fact Binary(BinaryOperatorKind kind, Fact left, Fact right)
    {
        if (kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals && (left.IsNull || right.IsNull) && left.IsKnown && right.IsKnown)
        {
            // x == null with x known to be an object, or null itself.
            bool equal = left.IsNull && right.IsNull;
            return Fact.Of(kind == BinaryOperatorKind.Equals ? equal : !equal);
        }
        if (kind is BinaryOperatorKind.ConditionalAnd && (left.Constant is false || right.Constant is false))
        {
            return Fact.Of(false);
        }
        if (kind is BinaryOperatorKind.ConditionalOr && (left.Constant is true || right.Constant is true))
        {
            return Fact.Of(true);
        }
        return (left.Constant, right.Constant) switch
        {
            (int a, int b) => Ints(kind, a, b),
            (bool a, bool b) => Bools(kind, a, b),
            (float or int or double, float or int or double) => Floats(kind, System.Convert.ToDouble(left.Constant), System.Convert.ToDouble(right.Constant)),
            (string a, string b) when kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals => Fact.Of((a == b) == (kind == BinaryOperatorKind.Equals)),
            _ => Fact.Unknown,
        };
    }

    static Fact Ints(BinaryOperatorKind kind, int a, int b) => kind switch
    {
        BinaryOperatorKind.Add => Fact.Of(a + b),
        BinaryOperatorKind.Subtract => Fact.Of(a - b),
        BinaryOperatorKind.Multiply => Fact.Of(a * b),
        BinaryOperatorKind.Divide when b != 0 => Fact.Of(a / b),
        BinaryOperatorKind.Remainder when b != 0 => Fact.Of(a % b),
        _ => Compare(kind, a.CompareTo(b)),
    };

    static Fact Floats(BinaryOperatorKind kind, double a, double b) => kind switch
    {
        BinaryOperatorKind.Add => Fact.Of((float)(a + b)),
        BinaryOperatorKind.Subtract => Fact.Of((float)(a - b)),
        BinaryOperatorKind.Multiply => Fact.Of((float)(a * b)),
        BinaryOperatorKind.Divide => Fact.Of((float)(a / b)),
        _ => Compare(kind, a.CompareTo(b)),
    };

    static Fact Bools(BinaryOperatorKind kind, bool a, bool b) => kind switch
    {
        BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And => Fact.Of(a && b),
        BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or => Fact.Of(a || b),
        BinaryOperatorKind.ExclusiveOr => Fact.Of(a ^ b),
        BinaryOperatorKind.Equals => Fact.Of(a == b),
        BinaryOperatorKind.NotEquals => Fact.Of(a != b),
        _ => Fact.Unknown,
    };

    static Fact Compare(BinaryOperatorKind kind, int order) => kind switch
    {
        BinaryOperatorKind.Equals => Fact.Of(order == 0),
        BinaryOperatorKind.NotEquals => Fact.Of(order != 0),
        BinaryOperatorKind.LessThan => Fact.Of(order < 0),
        BinaryOperatorKind.LessThanOrEqual => Fact.Of(order <= 0),
        BinaryOperatorKind.GreaterThan => Fact.Of(order > 0),
        BinaryOperatorKind.GreaterThanOrEqual => Fact.Of(order >= 0),
        _ => Fact.Unknown,
    };

    /// <summary>
    /// <c>MathF.Sqrt(Dim / Heads)</c> and the like, on known numbers: only the functions whose result is
    /// correctly rounded, so the constant is the float the running code would compute.
    /// </summary>
    public static Fact Math(string function, Fact[] arguments, bool single)
    {
        if (arguments.Any(a => a.Constant is not (float or int or double)))
        {
            return Fact.Unknown;
        }
        var values = arguments.Select(a => System.Convert.ToDouble(a.Constant, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        double? result = (function, values.Length) switch
        {
            ("Sqrt", 1) => System.Math.Sqrt(values[0]),
            ("Abs", 1) => System.Math.Abs(values[0]),
            ("Max", 2) => System.Math.Max(values[0], values[1]),
            ("Min", 2) => System.Math.Min(values[0], values[1]),
            _ => null,
        };
        return result is not { } value ? Fact.Unknown : single ? Fact.Of((float)value) : Fact.Of(value);
    }
}
