using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AotNet.Generators.Graph;

/// <summary>
/// One dimension: an integer expression over shape symbols and constants, such as <c>N</c>,
/// <c>C * H * W</c> or <c>(H + 2 * p - k) / s + 1</c>. It is kept in a normal form (a sum of
/// monomials with sorted factors, constants folded, exact divisions carried out), so two
/// expressions of the same size compare equal and print the same code.
/// </summary>
internal sealed class Dim : System.IEquatable<Dim>
{
    readonly EquatableArray<DimTerm> _terms;

    Dim(IEnumerable<DimTerm> terms) => _terms = Normalise(terms);

    public static Dim Of(long value) => new([new DimTerm(value, EquatableArray<DimAtom>.Empty)]);

    public static Dim Named(string symbol) => new([new DimTerm(1, new[] { DimAtom.Of(symbol) }.ToEquatableArray())]);

    public static readonly Dim One = Of(1);

    public static readonly Dim Zero = Of(0);

    /// <summary>Whether the size is known at build time.</summary>
    public bool IsConstant => _terms.All(t => t.Factors.Count == 0);

    /// <summary>The size, when <see cref="IsConstant"/>.</summary>
    public int Value => IsConstant ? checked((int)_terms.Sum(t => t.Coefficient)) : throw new System.InvalidOperationException($"{Code} is not a constant.");

    public bool IsOne => IsConstant && Value == 1;

    /// <summary>The symbol, when the dimension is exactly one symbol such as <c>N</c>; otherwise null.</summary>
    public string? Symbol => _terms.Count == 1 && _terms[0].Coefficient == 1 && _terms[0].Factors.Count == 1 && _terms[0].Factors[0].Symbol is { } s ? s : null;

    /// <summary>Every symbol the expression mentions.</summary>
    public IEnumerable<string> Symbols => _terms.SelectMany(t => t.Factors).SelectMany(f => f.Symbols).Distinct();

    public static Dim operator +(Dim left, Dim right) => new(left._terms.Concat(right._terms));

    public static Dim operator -(Dim left, Dim right) => left + right * Of(-1);

    public static Dim operator *(Dim left, Dim right) =>
        new(left._terms.SelectMany(l => right._terms.Select(r =>
            new DimTerm(l.Coefficient * r.Coefficient, l.Factors.Concat(r.Factors).ToEquatableArray()))));

    /// <summary>
    /// Integer (floor) division of sizes. Constants fold, a division that every coefficient
    /// allows is carried out, and anything else stays a quotient factor of its own.
    /// </summary>
    public static Dim operator /(Dim numerator, Dim denominator)
    {
        if (denominator.IsConstant && denominator.Value == 0)
        {
            throw new System.DivideByZeroException("A dimension is divided by zero.");
        }
        if (denominator.IsOne)
        {
            return numerator;
        }
        if (numerator.Equals(denominator))
        {
            return One;
        }
        if (denominator.IsConstant)
        {
            long d = denominator.Value;
            if (numerator.IsConstant)
            {
                return Of(FloorDivide(numerator.Value, d));
            }
            if (numerator._terms.All(t => t.Coefficient % d == 0))
            {
                return new(numerator._terms.Select(t => t with { Coefficient = t.Coefficient / d }));
            }
        }
        if (denominator._terms.Count == 1 && DivideByMonomial(numerator, denominator._terms[0]) is { } exact)
        {
            return exact;
        }
        return new([new DimTerm(1, new[] { DimAtom.Quotient(numerator, denominator) }.ToEquatableArray())]);
    }

    /// <summary><c>(N·784) / N = 784</c>: exact when every term holds the divisor's factors and its coefficient divides.</summary>
    static Dim? DivideByMonomial(Dim numerator, DimTerm divisor)
    {
        var terms = new List<DimTerm>();
        foreach (var term in numerator._terms)
        {
            if (term.Coefficient % divisor.Coefficient != 0)
            {
                return null;
            }
            var factors = term.Factors.ToList();
            foreach (var factor in divisor.Factors)
            {
                if (!factors.Remove(factor))
                {
                    return null;
                }
            }
            terms.Add(new DimTerm(term.Coefficient / divisor.Coefficient, factors.ToEquatableArray()));
        }
        return new(terms);
    }

    /// <summary>The product of <paramref name="dims"/>; one for none.</summary>
    public static Dim Product(IEnumerable<Dim> dims) => dims.Aggregate(One, (product, dim) => product * dim);

    /// <summary>The dimension as a C# expression in generated code.</summary>
    public string Code
    {
        get
        {
            if (_terms.Count == 0)
            {
                return "0";
            }
            var text = new System.Text.StringBuilder();
            foreach (var term in _terms)
            {
                bool negative = term.Coefficient < 0;
                if (text.Length == 0)
                {
                    text.Append(negative ? "-" : "");
                }
                else
                {
                    text.Append(negative ? " - " : " + ");
                }
                text.Append(term.CodeOfMagnitude());
            }
            return text.ToString();
        }
    }

    /// <summary>The code as an operand of <c>*</c>, <c>/</c> or <c>%</c>: parenthesised when it needs to be.</summary>
    public string OperandCode => IsCompound ? "(" + Code + ")" : Code;

    /// <summary>Whether the code needs parentheses as an operand of <c>*</c>, <c>/</c> or <c>%</c>.</summary>
    public bool IsCompound => _terms.Count > 1 || (_terms.Count == 1 && (_terms[0].Coefficient < 0 || _terms[0].Factors.Count + (_terms[0].Coefficient == 1 ? 0 : 1) > 1));

    public bool Equals(Dim? other) => other is not null && _terms.Equals(other._terms);

    public override bool Equals(object? obj) => obj is Dim other && Equals(other);

    public override int GetHashCode() => _terms.GetHashCode();

    public static bool operator ==(Dim? left, Dim? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Dim? left, Dim? right) => !(left == right);

    public override string ToString() => Code;

    static long FloorDivide(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }

    /// <summary>Sorts each term's factors, merges like terms and drops zeros; constants go last, so <c>H - 1</c> reads naturally.</summary>
    static EquatableArray<DimTerm> Normalise(IEnumerable<DimTerm> terms)
    {
        var merged = new Dictionary<string, DimTerm>(System.StringComparer.Ordinal);
        foreach (var term in terms)
        {
            var factors = term.Factors.OrderBy(f => f.Key, System.StringComparer.Ordinal).ToEquatableArray();
            string key = string.Join("*", factors.Select(f => f.Key));
            merged[key] = merged.TryGetValue(key, out var existing)
                ? existing with { Coefficient = existing.Coefficient + term.Coefficient }
                : new DimTerm(term.Coefficient, factors);
        }
        return merged
            .Where(pair => pair.Value.Coefficient != 0)
            .OrderBy(pair => pair.Key.Length == 0 ? 1 : 0)
            .ThenBy(pair => pair.Key, System.StringComparer.Ordinal)
            .Select(pair => pair.Value)
            .ToEquatableArray();
    }
}

/// <summary>A coefficient times a product of factors.</summary>
internal sealed record DimTerm(long Coefficient, EquatableArray<DimAtom> Factors)
{
    /// <summary>The term without its sign: <c>N * 256</c>, <c>2 * H</c>, <c>7</c>.</summary>
    public string CodeOfMagnitude()
    {
        long magnitude = System.Math.Abs(Coefficient);
        var parts = Factors.Select(f => f.Code).ToList();
        if (parts.Count == 0)
        {
            return magnitude.ToString(CultureInfo.InvariantCulture);
        }
        if (magnitude != 1)
        {
            parts.Add(magnitude.ToString(CultureInfo.InvariantCulture));
        }
        return string.Join(" * ", parts);
    }
}

/// <summary>A factor of a term: a symbol, or the floor quotient of two dimensions that does not simplify.</summary>
internal sealed record DimAtom(string? Symbol, Dim? Numerator, Dim? Denominator)
{
    public static DimAtom Of(string symbol) => new(symbol, null, null);

    public static DimAtom Quotient(Dim numerator, Dim denominator) => new(null, numerator, denominator);

    public string Code => Symbol ?? $"({Numerator!.OperandCode} / {Denominator!.OperandCode})";

    /// <summary>Sorts symbols before quotients, each alphabetically.</summary>
    public string Key => Symbol ?? "~" + Code;

    public IEnumerable<string> Symbols => Symbol is { } s ? [s] : Numerator!.Symbols.Concat(Denominator!.Symbols);
}
