using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>
/// Loops over a module list compiled as loops of calls: the body is read once, for an element
/// the generated code passes in, and becomes methods of the model; the graph holds one Loop node.
/// </summary>
internal sealed partial class GraphReader
{
    readonly List<LoopBody> _loops = [];

    /// <summary>
    /// Reads <paramref name="loop"/> as one Loop node when its body can be compiled once for every
    /// element: it carries one tensor from iteration to iteration (<c>h = h + block.Forward(h)</c>),
    /// reads nothing else from outside, and reads the same ops for every element. False, having
    /// added nothing, when it cannot; the loop is then read one iteration at a time.
    /// </summary>
    bool TryCompileLoop(IForEachLoopOperation loop, ILocalSymbol variable, IOperation collection, ReaderScope scope) =>
        TryCompileLoop(loop, loop.Body, variable, counter: null, collection, scope);

    /// <summary>
    /// <c>for (int i = 0; i &lt; blocks.Count; i++)</c> whose body reads the list only as <c>blocks[i]</c>:
    /// the same loop of calls as <c>foreach</c>.
    /// </summary>
    bool TryCompileLoop(IForLoopOperation loop, ILocalSymbol counter, ReaderScope scope)
    {
        if (loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan, LeftOperand: ILocalReferenceOperation bounded } condition
            || !SymbolEqualityComparer.Default.Equals(bounded.Local, counter)
            || condition.RightOperand is not IPropertyReferenceOperation { Property.Name: "Count" or "Length", Instance: { } collection })
        {
            return false;
        }
        bool onlyIndexes = loop.Body.DescendantsAndSelf().OfType<ILocalReferenceOperation>()
            .Where(reference => SymbolEqualityComparer.Default.Equals(reference.Local, counter))
            .All(reference => reference.Parent is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true }
                || reference.Parent is IArgumentOperation { Parent: IPropertyReferenceOperation { Property.IsIndexer: true } });
        return onlyIndexes && TryCompileLoop(loop, loop.Body, variable: null, counter, collection, scope);
    }

    bool TryCompileLoop(ILoopOperation loop, IOperation loopBody, ILocalSymbol? variable, ILocalSymbol? counter, IOperation collection, ReaderScope scope)
    {
        if (Assumptions.Count > 0 || _callStack.Count == 0 || ResolveModuleHolder(collection, scope, loop) is not { } holder)
        {
            return false;
        }
        var (member, name, access, fact, elementType) = holder;
        var outer = new HashSet<ISymbol>(scope.Values.Keys, SymbolEqualityComparer.Default);
        var assigned = loopBody.DescendantsAndSelf().OfType<IAssignmentOperation>()
            .Select(a => a.Target switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            })
            .Where(symbol => symbol is not null && outer.Contains(symbol))
            .Distinct(SymbolEqualityComparer.Default)
            .ToList();
        if (assigned.Count != 1)
        {
            return false;
        }
        var carried = assigned[0]!;
        // Values from outside that the body only reads: passed to each call, as long as no gradient flows into them.
        var captured = loopBody.DescendantsAndSelf()
            .Select(o => o switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            })
            .Where(symbol => symbol is not null && outer.Contains(symbol) && !SymbolEqualityComparer.Default.Equals(symbol, carried))
            .Distinct(SymbolEqualityComparer.Default)
            .Select(symbol => symbol!)
            .ToList();
        int initial = scope.Values[carried];
        if (initial < 0 || ReadValue.IsTuple(initial) || _graph[initial].DType != DType.Float32 || !IsPlain(_graph.Shape(initial))
            || captured.Any(symbol => !CanPassToLoop(scope.Values[symbol])))
        {
            return false;
        }
        var shape = _graph.Shape(initial);
        if (fact.Elements is { } known && known.Any(e => !SymbolEqualityComparer.Default.Equals(ElementType(e, elementType), elementType)))
        {
            return false;
        }
        // One body serves every element, so it may rely only on what all of them share.
        var facts = fact.Elements is { Count: > 0 } elements
            ? elements.Select(e => e.Instance ?? TypeFacts(elementType)).Aggregate(ModuleFacts.Merge)
            : TypeFacts(elementType);
        // Named after the loop's variable, as the body writes it (block.up.weight), or after the list's element (blocks[i]).
        string elementName = variable?.Name ?? member.Name + "[" + counter!.Name + "]";
        string module = variable is not null ? Names.Escape(variable.Name) : "module";
        var element = new ModuleRef(elementType, member, elementName, module, Fact.Object(facts));
        var forward = ReadLoopBody(loopBody, variable, counter, carried, shape, captured, element, scope, withGradient: false);
        var step = forward is null ? null : ReadLoopBody(loopBody, variable, counter, carried, shape, captured, element, scope, withGradient: true);
        if (forward is null || step is null)
        {
            return false;
        }
        if (forward.Nodes.Any(n => n.Op.IsRandom))
        {
            // The loop's backward recomputes each body from its saved input, which would draw a
            // different dropout mask from the one the forward used; read it one iteration at a time.
            return false;
        }
        string body = _callStack[0].Name + char.ToUpperInvariant(member.Name[0]) + member.Name.Substring(1) + "Loop" + (_loops.Count == 0 ? "" : (_loops.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        string elementTypeName = elementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        _loops.Add(new LoopBody(body, access, elementTypeName, module, forward, step));
        var count = LoopCount(member, name, access);
        var symbols = forward.Inputs.SelectMany(i => i.Shape.Dims).Where(d => !d.IsConstant).Select(d => d.Symbol!).Distinct().ToEquatableArray();
        int[] inputs = [initial, .. captured.Select(symbol => scope.Values[symbol])];
        var result = _graph.TryApply(OpTable.Constructs["foreach over a module list"], new LoopAttributes(body, access, elementTypeName, count, symbols), SpotOf(loop.Syntax), inputs, out int id, name);
        if (!result.Succeeded)
        {
            return false;
        }
        if (carried is ILocalSymbol local)
        {
            Bind(scope, local, id);
        }
        else
        {
            scope.Values[carried] = id;
        }
        return true;
    }

    static bool IsPlain(Shape shape) => shape.Dims.All(d => d.IsConstant || d.Symbol is not null);

    /// <summary>
    /// Whether a value the body reads can be passed to each call: float or int, of a shape the
    /// body method can declare, and with no gradient to give back (it depends on no parameter and
    /// no input that asks for one).
    /// </summary>
    bool CanPassToLoop(int value)
    {
        if (value < 0 || ReadValue.IsTuple(value) || _graph[value].DType is not (DType.Float32 or DType.Int32) || !IsPlain(_graph.Shape(value)))
        {
            return false;
        }
        var pending = new Stack<int>([value]);
        var seen = new HashSet<int>();
        while (pending.Count > 0)
        {
            var node = _graph[pending.Pop()];
            if (!seen.Add(node.Id))
            {
                continue;
            }
            if (node.Attributes is LeafAttributes leaf && (leaf.Kind == LeafKind.Parameter || (leaf.Kind == LeafKind.Input && _inputs[leaf.Index].RequiresGrad)))
            {
                return false;
            }
            foreach (int input in node.Inputs)
            {
                pending.Push(input);
            }
        }
        return true;
    }

    /// <summary>The list's length, read when the code runs: the same class of model may hold lists of any length.</summary>
    Dim LoopCount(ISymbol member, string name, string access)
    {
        string symbol = Names.Identifier(name) + "Count";
        if (!_sizes.Any(s => s.Symbol == symbol))
        {
            bool isArray = LayerReader.MemberType(member) is IArrayTypeSymbol;
            _sizes.Add(new SizeSymbol(symbol, access + (isArray ? ".Length" : ".Count"), name + (isArray ? ".Length" : ".Count")));
        }
        return Dim.Named(symbol);
    }

    /// <summary>
    /// The loop's body as a graph of its own over the carried value: its next value, or with
    /// <paramref name="withGradient"/> the scalar Σ next ⊙ dNext whose step gives the gradients.
    /// Null when the body does not fit one compiled method.
    /// </summary>
    GraphSpec? ReadLoopBody(IOperation loopBody, ILocalSymbol? variable, ILocalSymbol? counter, ISymbol carried, Shape shape, IReadOnlyList<ISymbol> captured,
        ModuleRef element, ReaderScope scope, bool withGradient)
    {
        var reader = new GraphReader(_compilation, _imports, _model, _cancellation) { _importedCall = _importedCall };
        reader._callStack.AddRange(_callStack);
        var bodyScope = new ReaderScope(scope.Owner, scope.NamePrefix, scope.AccessPrefix, scope.Model, scope.Facts);
        bodyScope.Values[carried] = reader.AddInput(new InputSpec(carried.Name, false, shape, RequiresGrad: withGradient), 0);
        for (int k = 0; k < captured.Count; k++)
        {
            var node = _graph[scope.Values[captured[k]]];
            bodyScope.Values[captured[k]] = reader.AddInput(new InputSpec(captured[k].Name, node.DType == DType.Int32, node.Shape, RequiresGrad: false), 1 + k);
        }
        int gradient = withGradient ? reader.AddInput(new InputSpec("d" + char.ToUpperInvariant(carried.Name[0]) + carried.Name.Substring(1), false, shape, false), 1 + captured.Count) : -1;
        if (variable is not null)
        {
            bodyScope.Modules[variable] = element;
        }
        else
        {
            bodyScope.Elements[counter!] = element;
        }
        var returned = reader.ReadStatements([loopBody], bodyScope);
        if (returned is not null || reader.Diagnostics.Count > 0 || reader.Discovered.Count > 0 || reader._loops.Count > 0
            || !bodyScope.Values.TryGetValue(carried, out int next) || next < 0 || ReadValue.IsTuple(next) || reader._graph.Shape(next) != shape)
        {
            return null;
        }
        if (reader._parameters.Any(p => !p.Access.StartsWith(element.AccessPrefix, System.StringComparison.Ordinal)))
        {
            // A parameter from outside the element (a module shared with the rest of the model) gets gradient
            // from the body's steps and from the caller's graph; one compiled body cannot say how they combine.
            return null;
        }
        int output = withGradient ? reader._graph.Sum(reader._graph.Mul(next, gradient), Enumerable.Range(0, shape.Rank), keepDim: false) : next;
        return reader.Finish(output, []) with { ModuleParameter = element.Access };
    }
}
