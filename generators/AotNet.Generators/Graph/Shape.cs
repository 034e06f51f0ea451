using System.Linq;

namespace AotNet.Generators.Graph;

/// <summary>A tensor shape whose dimensions may be expressions over symbols.</summary>
internal sealed record Shape(EquatableArray<Dim> Dims)
{
    public static readonly Shape Scalar = new(EquatableArray<Dim>.Empty);

    public static Shape Of(params Dim[] dims) => new(dims.ToEquatableArray());

    public int Rank => Dims.Count;

    public Dim this[int axis] => Dims[axis];

    public Dim Last => Dims[Dims.Count - 1];

    /// <summary>The element count.</summary>
    public Dim Length => Dim.Product(Dims);

    /// <summary>The element count as a C# expression, constants folded: <c>N * 256</c>.</summary>
    public string LengthCode => Length.Code;

    /// <summary>The product of all but the last dimension: the row count of a row-wise kernel.</summary>
    public Dim Rows => Dim.Product(Dims.Take(Rank - 1));

    public string RowsCode => Rows.Code;

    /// <summary>The product of the dimensions from <paramref name="axis"/> on: the stride of the axis before it.</summary>
    public Dim TailLength(int axis) => Dim.Product(Dims.Skip(axis));

    public override string ToString() => "[" + string.Join(", ", Dims.Select(d => d.Code)) + "]";
}
