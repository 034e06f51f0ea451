using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>
/// Calls that return several tensors as a <c>Tensor[]</c> (a split, a chunk): the value is the list
/// of its pieces, which a local may hold (<c>Tensor[] gates = F.Chunk(x, 4, 1);</c>) and a constant
/// index reads (<c>gates[0]</c>, <c>F.Split(x, 2, 1)[^1]</c>).
/// </summary>
internal sealed partial class GraphReader
{
    readonly HashSet<int> _pieceLists = [];

    /// <summary>The pieces of a call that returns a <c>Tensor[]</c>, held like a tuple's elements.</summary>
    int NewPieces(IReadOnlyList<int> pieces)
    {
        int value = NewTuple([.. pieces]);
        _pieceLists.Add(value);
        return value;
    }

    /// <summary>The pieces, when <paramref name="list"/> is a split or chunk (or a local holding one), for a call taking a list of tensors: <c>Concat(parts, 1)</c>.</summary>
    IReadOnlyList<int>? ReadPieceList(IOperation list, ReaderScope scope)
    {
        if (list is not (IInvocationOperation or ILocalReferenceOperation or IParameterReferenceOperation))
        {
            return null;
        }
        int value = Read(list, scope);
        // A value that failed to read was reported already; one failed piece keeps the call from reporting it again.
        return value == ReadValue.Failed ? [ReadValue.Failed] : _pieceLists.Contains(value) ? TupleElements(value) : null;
    }

    /// <summary><c>Tensor[] gates = F.Chunk(…)</c> names the pieces gates0, gates1, … until the user names them with locals.</summary>
    void NamePieces(ReaderScope scope, ILocalSymbol local, int value)
    {
        if (scope.NamePrefix.Length == 0 && _pieceLists.Contains(value))
        {
            var pieces = TupleElements(value);
            for (int k = 0; k < pieces.Count; k++)
            {
                Suggest(pieces[k], local.Name + k.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary><c>pieces[k]</c> with a constant k (or <c>^k</c>) inside the list.</summary>
    int ReadPiece(IArrayElementReferenceOperation element, ReaderScope scope)
    {
        if (element.Indices.Length != 1)
        {
            return Unsupported(element, "only one index can be read from the pieces of a split or chunk");
        }
        int list = Read(element.ArrayReference, scope);
        if (list == ReadValue.Failed)
        {
            return ReadValue.Failed;
        }
        if (!_pieceLists.Contains(list))
        {
            return Unsupported(element.ArrayReference, "only the Tensor[] of F.Split or F.Chunk (or a local holding it) can be indexed here");
        }
        var pieces = TupleElements(list);
        var index = element.Indices[0];
        bool fromEnd = false;
        while (index is IConversionOperation or IParenthesizedOperation)
        {
            index = index is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)index).Operand;
        }
        if (index is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } hat)
        {
            fromEnd = true;
            index = hat.Operand;
        }
        if (!TryReadConstant(index, out object? value) || value is not int position)
        {
            return Unsupported(element.Indices[0], "the index of a piece must be a constant, known at build time");
        }
        int resolved = fromEnd ? pieces.Count - position : position;
        if (resolved < 0 || resolved >= pieces.Count)
        {
            return Unsupported(element.Indices[0], $"the index {(fromEnd ? "^" : "")}{position} is out of range for the {pieces.Count} pieces of this call");
        }
        return pieces[resolved];
    }
}
