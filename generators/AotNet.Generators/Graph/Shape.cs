using System.Collections.Generic;
using System.Linq;

namespace AotNet.Generators.Graph;

/// <summary>A tensor shape whose dimensions may be symbolic.</summary>
internal sealed record Shape(EquatableArray<Dim> Dims)
{
    public static readonly Shape Scalar = new(EquatableArray<Dim>.Empty);

    public static Shape Of(params Dim[] dims) => new(dims.ToEquatableArray());

    public int Rank => Dims.Count;

    public Dim this[int axis] => Dims[axis];

    public Dim Last => Dims[Dims.Count - 1];

    /// <summary>The element count as a C# expression, constants folded: <c>N * 256</c>.</summary>
    public string LengthCode
    {
        get
        {
            long constant = 1;
            var symbols = new List<string>();
            foreach (var dim in Dims)
            {
                if (dim.IsConstant)
                {
                    constant *= dim.Value;
                }
                else
                {
                    symbols.Add(dim.Symbol!);
                }
            }
            if (symbols.Count == 0)
            {
                return constant.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (constant != 1)
            {
                symbols.Add(constant.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return string.Join(" * ", symbols);
        }
    }

    /// <summary>The product of all but the last dimension, as code: the row count of a row-wise kernel.</summary>
    public string RowsCode => new Shape(Dims.Take(Rank - 1).ToEquatableArray()).LengthCode;

    public override string ToString() => "[" + string.Join(", ", Dims.Select(d => d.Code)) + "]";
}
