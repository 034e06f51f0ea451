using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Emit;
using AotNet.Generators.Graph;
using AotNet.Generators.Shapes;

namespace AotNet.Generators.Ops;

/// <summary>Strided slices, splits into pieces, gathers and index selects, with their scatters back.</summary>
internal static partial class OpTable
{
    public static readonly OpDef Slice = new("Slice", OpFamily.Shape, "positions start, start + step, … of one axis (a strided slice)",
        static context =>
        {
            var attributes = context.Get<SliceAttributes>();
            var x = context[0];
            if (attributes.Axis < 0 || attributes.Axis >= x.Rank || !x[attributes.Axis].IsConstant)
            {
                return ShapeResult.Fail($"{context.Op}: axis {attributes.Axis} of {x} is not an axis of constant size");
            }
            int size = x[attributes.Axis].Value;
            if (attributes.Step < 1 || attributes.Length < 0 || (attributes.Length > 0 && (attributes.Start < 0 || attributes.Start + ((attributes.Length - 1) * attributes.Step) >= size)))
            {
                return ShapeResult.Fail($"{context.Op}: {attributes.Length} positions from {attributes.Start} by {attributes.Step} are not inside axis {attributes.Axis} of {x}");
            }
            var dims = x.Dims.ToArray();
            dims[attributes.Axis] = Dim.Of(attributes.Length);
            return ShapeResult.Ok(Graph.Shape.Of(dims));
        })
    {
        Math = static (o, a) => SliceMath(o[0], (SliceAttributes)a),
        Gradient = "g placed back at every step-th position, zeros elsewhere",
        Kernel = static (w, node) =>
        {
            var attributes = (SliceAttributes)node.Attributes;
            var source = w.NodeOf(node.Input0).Shape;
            var (rows, inner) = RowsAndInner(source, attributes.Axis);
            w.Comment(node.Op.Math([w.Display(node.Input0)], attributes), "strided copy");
            w.Line($"{Kernels}Indexing.Slice({w.Code(node.Input0)}, {w.Output(0)}, {rows.Code}, {source[attributes.Axis].Code}, {inner.Code}, {Literals.Int(attributes.Start)}, {Literals.Int(attributes.Step)}, {Literals.Int(attributes.Length)});");
        },
        Vjp = static (c, _) => c.G.Apply(SliceBackward!, c.Node.Attributes, c.Dy, c.X(0)),
    };

    /// <summary>The gradient of <see cref="Slice"/>. Inputs: the gradient of the slice, and the sliced tensor (for its shape).</summary>
    public static readonly OpDef SliceBackward = new("SliceBackward", OpFamily.Shape, "a slice's gradient placed back at its positions, zeros elsewhere",
        static context => ShapeResult.Ok(context[1]))
    {
        Math = static (o, a) => $"zeros with {SliceMath("·", (SliceAttributes)a)} = {o[0]}",
        Gradient = "the same slice of g",
        Kernel = static (w, node) =>
        {
            var attributes = (SliceAttributes)node.Attributes;
            var (rows, inner) = RowsAndInner(node.Shape, attributes.Axis);
            w.Comment(node.Op.Math([w.Display(node.Input0)], attributes), "strided scatter into zeros");
            w.Line($"{Kernels}Indexing.SliceBackward({w.Code(node.Input0)}, {w.Output(0)}, {rows.Code}, {node.Shape[attributes.Axis].Code}, {inner.Code}, {Literals.Int(attributes.Start)}, {Literals.Int(attributes.Step)}, {Literals.Int(attributes.Length)});");
        },
        NonDifferentiableInputs = [1],
        Vjp = static (c, _) => c.G.Apply(Slice, c.Node.Attributes, c.Dy),
    };

    public static readonly OpDef Gather = new("Gather", OpFamily.Shape, "values picked along one axis by an index tensor of the same rank (torch.gather)",
        static context =>
        {
            int axis = context.Get<AxisAttributes>().Axis;
            Shape x = context[0], index = context[1];
            if (axis < 0 || axis >= x.Rank)
            {
                return ShapeResult.Fail(AxisProblem(context.Op, axis, x));
            }
            if (context.Inputs[1].DType != DType.Int32 || index.Rank != x.Rank)
            {
                return ShapeResult.Fail($"{context.Op}: the index must be integer labels with the rank of {x}; got {index}");
            }
            for (int k = 0; k < x.Rank; k++)
            {
                if (k != axis && index[k].IsConstant && x[k].IsConstant && index[k].Value > x[k].Value)
                {
                    return ShapeResult.Fail($"{context.Op}: the index {index} is larger than {x} on axis {k}");
                }
            }
            return ShapeResult.Ok(index);
        })
    {
        Function = "Gather",
        FunctionAttributes = AxisArgument,
        Math = static (o, a) => $"gather({o[0]}, axis {((AxisAttributes)a).Axis}, {o[1]})",
        Gradient = "g scatter-added into zeros at the indexed positions",
        Kernel = static (w, node) =>
        {
            int axis = ((AxisAttributes)node.Attributes).Axis;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), "gather, each index checked against the axis");
            w.Line($"{Kernels}Indexing.Gather({w.Code(node.Input0)}, {ShapeCode(w.NodeOf(node.Input0).Shape)}, {Literals.Int(axis)}, {w.Code(node.Input1)}, {ShapeCode(node.Shape)}, {w.Output(0)}, {Literals.String(w.Display(node.Input1))});");
        },
        NonDifferentiableInputs = [1],
        Vjp = static (c, _) => c.G.Apply(GatherBackward!, c.Node.Attributes, c.Dy, c.X(1), c.X(0)),
    };

    /// <summary>The gradient of <see cref="Gather"/>, a scatter-add. Inputs: the gradient, the index, and the gathered tensor (for its shape).</summary>
    public static readonly OpDef GatherBackward = new("GatherBackward", OpFamily.Shape, "a gather's gradient scatter-added into zeros",
        static context => ShapeResult.Ok(context[2]))
    {
        Math = static (o, a) => $"scatter_add(zeros, axis {((AxisAttributes)a).Axis}, {o[1]}, {o[0]})",
        Gradient = "the same gather of g",
        Kernel = static (w, node) =>
        {
            int axis = ((AxisAttributes)node.Attributes).Axis;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), "scatter-add into zeros");
            w.Line($"{Kernels}Indexing.ScatterAdd({w.Code(node.Input0)}, {w.Code(node.Input1)}, {ShapeCode(w.NodeOf(node.Input1).Shape)}, {w.Output(0)}, {ShapeCode(node.Shape)}, {Literals.Int(axis)}, {Literals.String(w.Display(node.Input1))});");
        },
        NonDifferentiableInputs = [1, 2],
        Vjp = static (c, _) => c.G.Apply(Gather, c.Node.Attributes, c.Dy, c.X(1)),
    };

    public static readonly OpDef IndexSelect = new("IndexSelect", OpFamily.Shape, "the positions of one axis listed by a 1-D index, in order (torch.index_select)",
        static context =>
        {
            int axis = context.Get<AxisAttributes>().Axis;
            Shape x = context[0], index = context[1];
            if (axis < 0 || axis >= x.Rank)
            {
                return ShapeResult.Fail(AxisProblem(context.Op, axis, x));
            }
            if (context.Inputs[1].DType != DType.Int32 || index.Rank != 1)
            {
                return ShapeResult.Fail($"{context.Op}: the index must be integer labels of one axis; got {index}");
            }
            var dims = x.Dims.ToArray();
            dims[axis] = index[0];
            return ShapeResult.Ok(Graph.Shape.Of(dims));
        })
    {
        Function = "IndexSelect",
        FunctionAttributes = AxisArgument,
        Math = static (o, a) => $"{o[0]}[{o[1]}] on axis {((AxisAttributes)a).Axis}",
        Gradient = "g index-added into zeros at the listed positions",
        Kernel = static (w, node) =>
        {
            int axis = ((AxisAttributes)node.Attributes).Axis;
            var source = w.NodeOf(node.Input0).Shape;
            var (rows, inner) = RowsAndInner(source, axis);
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), "row copies, each index checked against the axis");
            w.Line($"{Kernels}Indexing.IndexSelect({w.Code(node.Input0)}, {w.Code(node.Input1)}, {w.Output(0)}, {rows.Code}, {source[axis].Code}, {inner.Code}, {Literals.String(w.Display(node.Input1))});");
        },
        NonDifferentiableInputs = [1],
        Vjp = static (c, _) => c.G.Apply(IndexSelectBackward!, c.Node.Attributes, c.Dy, c.X(1), c.X(0)),
    };

    /// <summary>The gradient of <see cref="IndexSelect"/>, an index-add. Inputs: the gradient, the index, and the selected-from tensor (for its shape).</summary>
    public static readonly OpDef IndexSelectBackward = new("IndexSelectBackward", OpFamily.Shape, "an index select's gradient index-added into zeros",
        static context => ShapeResult.Ok(context[2]))
    {
        Math = static (o, a) => $"index_add(zeros, axis {((AxisAttributes)a).Axis}, {o[1]}, {o[0]})",
        Gradient = "the same index select of g",
        Kernel = static (w, node) =>
        {
            int axis = ((AxisAttributes)node.Attributes).Axis;
            var (rows, inner) = RowsAndInner(node.Shape, axis);
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), "index-add into zeros");
            w.Line($"{Kernels}Indexing.IndexAdd({w.Code(node.Input0)}, {w.Code(node.Input1)}, {w.Output(0)}, {rows.Code}, {node.Shape[axis].Code}, {inner.Code}, {Literals.String(w.Display(node.Input1))});");
        },
        NonDifferentiableInputs = [1, 2],
        Vjp = static (c, _) => c.G.Apply(IndexSelect, c.Node.Attributes, c.Dy, c.X(1)),
    };

    public static readonly OpDef Embedding = new("Embedding", OpFamily.Shape, "the rows of a table listed by integer indices of any shape (torch.nn.functional.embedding)",
        static context =>
        {
            Shape index = context[0], weight = context[1];
            int padding = context.Get<EmbeddingAttributes>().Padding;
            if (context.Inputs[0].DType != DType.Int32)
            {
                return ShapeResult.Fail($"{context.Op}: the indices must be integer labels; got {index}");
            }
            if (weight.Rank != 2)
            {
                return ShapeResult.Fail($"{context.Op}: the table must be [rows, dim]; got {weight}");
            }
            if (padding == EmbeddingAttributes.NotConstant)
            {
                return ShapeResult.Fail($"{context.Op}: paddingIndex must be a constant known at build time, or null");
            }
            if (padding != EmbeddingAttributes.None && weight[0].IsConstant && (padding >= weight[0].Value || padding < -weight[0].Value))
            {
                return ShapeResult.Fail($"{context.Op}: paddingIndex {padding} is not a row of the table {weight}");
            }
            return ShapeResult.Ok(Graph.Shape.Of([.. index.Dims, weight[1]]));
        })
    {
        Function = "Embedding",
        FunctionAttributes = PaddingArgument,
        Math = static (o, _) => $"{o[1]}[{o[0]}]",
        Gradient = "g added into zeros at the listed rows, except the padding row",
        Kernel = static (w, node) =>
        {
            var table = w.NodeOf(node.Input1).Shape;
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), "row copies, each index checked against the table");
            w.Line($"{Kernels}Indexing.IndexSelect({w.Code(node.Input1)}, {w.Code(node.Input0)}, {w.Output(0)}, 1, {table[0].Code}, {table[1].Code}, {Literals.String(w.Display(node.Input0))});");
        },
        NonDifferentiableInputs = [0],
        Vjp = static (c, _) => c.G.Apply(EmbeddingBackward!, c.Node.Attributes, c.Dy, c.X(0), c.X(1)),
    };

    /// <summary>The gradient of <see cref="Embedding"/> for its table. Inputs: the gradient, the indices, and the table (for its shape).</summary>
    public static readonly OpDef EmbeddingBackward = new("EmbeddingBackward", OpFamily.Shape, "an embedding's gradient added into its table's rows",
        static context => ShapeResult.Ok(context[2]))
    {
        Math = static (o, _) => $"index_add(zeros, rows {o[1]}, {o[0]})",
        Gradient = "not needed: the table's gradient is not differentiated again",
        Kernel = static (w, node) =>
        {
            var attributes = (EmbeddingAttributes)node.Attributes;
            bool padded = attributes.Padding != EmbeddingAttributes.None;
            string row = padded ? attributes.RowCode(node.Shape[0]) : "";
            w.Comment(node.Op.Math([w.Display(node.Input0), w.Display(node.Input1)], node.Attributes), padded ? $"index-add into zeros, the padding row {row} left zero" : "index-add into zeros");
            w.Line($"{Kernels}Indexing.IndexAdd({w.Code(node.Input0)}, {w.Code(node.Input1)}, {w.Output(0)}, 1, {node.Shape[0].Code}, {node.Shape[1].Code}, {Literals.String(w.Display(node.Input1))});");
            if (padded)
            {
                w.Line($"{w.Output(0)}.Slice(({row}) * {node.Shape[1].Code}, {node.Shape[1].Code}).Clear();");
            }
        },
        NonDifferentiableInputs = [0, 1, 2],
    };

    /// <summary>The padding row argument of the embedding op, as given: a negative one counts from the end, as in PyTorch.</summary>
    static EmbeddingAttributes PaddingArgument(IReadOnlyList<TensorType> inputs, CallConstants constants) =>
        constants[2]?.Value is null ? new(EmbeddingAttributes.None)
        : ConstantInt(constants, 2, EmbeddingAttributes.None, out int padding) && padding is not EmbeddingAttributes.None and not EmbeddingAttributes.NotConstant ? new(padding)
        : new(EmbeddingAttributes.NotConstant);

    static string SliceMath(string x, SliceAttributes a) =>
        $"{x}[{a.Start}:{a.Start + (a.Length == 0 ? 0 : ((a.Length - 1) * a.Step) + 1)}:{a.Step} on axis {a.Axis}]";

    static string ShapeCode(Shape shape) => "[" + string.Join(", ", shape.Dims.Select(d => d.Code)) + "]";

    /// <summary>
    /// An int argument at <paramref name="slot"/>: a constant, or a size that folds to one (<c>x.Dim(1) / 2</c> of a
    /// constant axis); <paramref name="fallback"/> when absent. False for a size known only when the code runs.
    /// </summary>
    static bool ConstantInt(CallConstants constants, int slot, int fallback, out int value)
    {
        value = fallback;
        switch (constants[slot]?.Value)
        {
            case null:
                return true;
            case int constant:
                value = constant;
                return true;
            case Dim[] { Length: 1 } dims when dims[0].IsConstant:
                value = dims[0].Value;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The axis argument of Gather and IndexSelect; <see cref="NotConstant"/> when it is not known at build time.</summary>
    static AxisAttributes AxisArgument(IReadOnlyList<TensorType> inputs, CallConstants constants) =>
        new(ConstantInt(constants, 1, 0, out int dim) ? Normalized(dim, inputs[0].Shape.Rank) : NotConstant);

    /// <summary>An axis that was not a constant, for the shape rule to report.</summary>
    const int NotConstant = int.MinValue;

    static string AxisProblem(string op, int axis, Shape x) =>
        axis == NotConstant ? $"{op}: the axis must be a constant known at build time" : $"{op}: axis {axis} is out of range for {x}";

    /// <summary>An axis counted from the end made non-negative; one out of range stays so, for the shape rule to report.</summary>
    static int Normalized(int dim, int rank) => dim < 0 && dim >= -rank ? dim + rank : dim;

    /// <summary><c>F.Slice</c>, <c>F.Split</c> and <c>F.Chunk</c>: narrows where the step is 1, strided slices elsewhere; a split is one narrow per piece.</summary>
    static IEnumerable<Binding> IndexingBindings() =>
    [
        new("Slice", LowerSlice, [Narrow, Slice]),
        new("Split", static (g, a, c, s, n) => LowerSplit(g, a[0], c, chunk: false, s, n), [Narrow]),
        new("Chunk", static (g, a, c, s, n) => LowerSplit(g, a[0], c, chunk: true, s, n), [Narrow]),
    ];

    /// <summary>
    /// A Python slice <c>start:end:step</c>: negative positions count from the end and both clamp to the axis.
    /// On an axis of symbolic size only <c>start:</c> (and <c>-k:</c>) with step 1 can be read, as a narrow.
    /// </summary>
    static BindingResult LowerSlice(OpGraph graph, IReadOnlyList<int> arguments, CallConstants constants, SourceSpot? source, string name)
    {
        int x = arguments[0];
        var shape = graph.Shape(x);
        if (!ConstantInt(constants, 1, 0, out int dim) || !ConstantInt(constants, 2, 0, out int start)
            || !ConstantInt(constants, 3, int.MaxValue, out int end) || !ConstantInt(constants, 4, 1, out int step))
        {
            return BindingResult.Fail($"{name}: the axis, start, end and step must be constants known at build time");
        }
        int axis = Normalized(dim, shape.Rank);
        if (axis < 0 || axis >= shape.Rank)
        {
            return BindingResult.Fail($"{name}: axis {dim} is out of range for {shape}");
        }
        if (step < 1)
        {
            return BindingResult.Fail($"{name}: step must be at least 1; got {step}");
        }
        var size = shape[axis];
        Dim first, length;
        if (size.IsConstant)
        {
            long Clamp(long position) => System.Math.Max(0, System.Math.Min(size.Value, position < 0 ? position + size.Value : position));
            long from = Clamp(start), to = Clamp(end);
            long count = to > from ? (to - from + step - 1) / step : 0;
            if (step > 1 && count > 1)
            {
                var sliced = graph.TryApply(Slice, new SliceAttributes(axis, (int)from, step, (int)count), source, [x], out int id, name);
                return sliced.Succeeded ? new BindingResult(id, null) : BindingResult.Fail(sliced.Error!);
            }
            first = Dim.Of(count == 0 ? 0 : from);
            length = Dim.Of(count);
        }
        else if (step == 1 && end == int.MaxValue)
        {
            first = start >= 0 ? Dim.Of(start) : size + Dim.Of(start);
            length = start >= 0 ? size - Dim.Of(start) : Dim.Of(-start);
        }
        else
        {
            return BindingResult.Fail($"{name}: axis {axis} of {shape} has the symbolic size {size}; a slice of it must be start: or -k: with step 1");
        }
        if (first.IsConstant && first.Value == 0 && length == size)
        {
            return new BindingResult(x, null);
        }
        var narrowed = graph.TryApply(Narrow, new NarrowAttributes(axis, first, length), source, [x], out int narrow, name);
        return narrowed.Succeeded ? new BindingResult(narrow, null) : BindingResult.Fail(narrowed.Error!);
    }

    /// <summary>
    /// torch.split (a piece size, the last piece smaller; or a list of sizes that add up to the axis)
    /// and torch.chunk (pieces of ⌈size / chunks⌉). Pieces are narrows; the axis must have a
    /// constant size unless the sizes are listed.
    /// </summary>
    static BindingResult LowerSplit(OpGraph graph, int x, CallConstants constants, bool chunk, SourceSpot? source, string name)
    {
        var shape = graph.Shape(x);
        if (!ConstantInt(constants, 2, 0, out int dim))
        {
            return BindingResult.Fail($"{name}: the axis must be a constant known at build time");
        }
        int axis = Normalized(dim, shape.Rank);
        if (axis < 0 || axis >= shape.Rank)
        {
            return BindingResult.Fail($"{name}: axis {dim} is out of range for {shape}");
        }
        var size = shape[axis];
        var sizes = new List<Dim>();
        if (!chunk && constants[1]?.Value is Dim[] { Length: > 1 } measured)
        {
            // Sizes read off tensors (x.Dim(1) - 2, 2): they must add up to the axis, checked when the code runs if need be.
            if (measured.Any(d => d.IsConstant && d.Value < 0))
            {
                return BindingResult.Fail($"{name}: sizes [{string.Join(", ", measured.Select(d => d.ToString()))}] must not be negative");
            }
            var total = measured.Aggregate(Dim.Zero, (sum, d) => sum + d);
            if (size.IsConstant && total.IsConstant && size != total)
            {
                return BindingResult.Fail($"{name}: sizes [{string.Join(", ", measured.Select(d => d.ToString()))}] add up to {total}, but axis {axis} of {shape} has {size}");
            }
            if (size != total)
            {
                graph.Builder.Requirements.Add(new DimRequirement(size, total, $"{name}: sizes [{string.Join(", ", measured.Select(d => d.ToString()))}] must add up to axis {axis} of {shape}"));
            }
            sizes.AddRange(measured);
        }
        else if (!chunk && constants[1]?.Value is int[] listed)
        {
            if (listed.Any(s => s < 0))
            {
                return BindingResult.Fail($"{name}: sizes [{string.Join(", ", listed)}] must not be negative");
            }
            var total = Dim.Of(listed.Sum());
            if (size.IsConstant && size != total)
            {
                return BindingResult.Fail($"{name}: sizes [{string.Join(", ", listed)}] add up to {total}, but axis {axis} of {shape} has {size}");
            }
            if (!size.IsConstant)
            {
                graph.Builder.Requirements.Add(new DimRequirement(size, total, $"{name}: sizes [{string.Join(", ", listed)}] must add up to axis {axis} of {shape}"));
            }
            sizes.AddRange(listed.Select(s => Dim.Of(s)));
        }
        else
        {
            if (!ConstantInt(constants, 1, 0, out int count))
            {
                return BindingResult.Fail(chunk ? $"{name}: the number of chunks must be a constant known at build time" : $"{name}: the size of a piece must be a constant known at build time");
            }
            if (count < 1)
            {
                return BindingResult.Fail(chunk ? $"{name}: the number of chunks must be at least 1; got {count}" : $"{name}: the size of a piece must be at least 1; got {count}");
            }
            if (!size.IsConstant)
            {
                return BindingResult.Fail($"{name}: axis {axis} of {shape} has the symbolic size {size}, so the number of pieces is not known at build time; list the sizes instead");
            }
            int piece = chunk ? (size.Value + count - 1) / count : count;
            for (int startAt = 0; startAt < size.Value || (startAt == 0 && size.Value == 0); startAt += System.Math.Max(piece, 1))
            {
                sizes.Add(Dim.Of(System.Math.Min(piece, size.Value - startAt)));
            }
        }
        var pieces = new List<int>();
        var offset = Dim.Zero;
        foreach (var length in sizes)
        {
            if (sizes.Count == 1)
            {
                pieces.Add(x);
                break;
            }
            var narrowed = graph.TryApply(Narrow, new NarrowAttributes(axis, offset, length), source, [x], out int id, name);
            if (!narrowed.Succeeded)
            {
                return BindingResult.Fail(narrowed.Error!);
            }
            pieces.Add(id);
            offset += length;
        }
        return BindingResult.Pieces(pieces);
    }
}
