using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AotNet.Generators.Diagnostics;
using AotNet.Generators.Graph;
using AotNet.Generators.Ops;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>
/// Reads the body of a <c>[Differentiable]</c> method, through Roslyn's operation tree, into a
/// graph. Calls to layers and to other differentiable methods are inlined, so one method
/// becomes one graph. Whatever cannot be read becomes a diagnostic at its own location.
/// </summary>
internal sealed partial class GraphReader
{
    readonly Compilation _compilation;
    readonly CancellationToken _cancellation;
    readonly OpGraph _graph = new(new GraphBuilder());
    readonly List<InputSpec> _inputs = [];
    readonly List<ParameterSpec> _parameters = [];
    readonly List<SizeSymbol> _sizes = [];
    readonly List<AbsentMember> _absent = [];

    /// <summary>Records that the graph relies on <paramref name="access"/> being null, for the generated code to check.</summary>
    void ReliesOnAbsent(string access, string name)
    {
        var member = new AbsentMember(access, name);
        if (!_absent.Contains(member))
        {
            _absent.Add(member);
        }
    }
    readonly Dictionary<string, int> _parameterNodes = new(System.StringComparer.Ordinal);
    readonly List<IMethodSymbol> _callStack = [];
    readonly HashSet<int> _suggestedNames = [];

    readonly INamedTypeSymbol _model;
    readonly ImportedModules _imports;

    /// <summary>
    /// The call in the project's own source through which reading entered a module from another
    /// assembly: what is read inside it is reported and commented at this call, a line the user has.
    /// </summary>
    SyntaxNode? _importedCall;

    public GraphReader(Compilation compilation, ImportedModules imports, INamedTypeSymbol model, CancellationToken cancellation)
    {
        _compilation = compilation;
        _imports = imports;
        _model = model;
        _cancellation = cancellation;
    }

    /// <summary>
    /// Inlined code runs inside the model's own class, so every member it reaches through a
    /// submodule must be accessible from there.
    /// </summary>
    bool Reachable(ISymbol member, IOperation at)
    {
        if (ImportedModules.IsImported(member))
        {
            // In the copy of the compilation an imported module is this assembly's own, so
            // accessibility checks pass for what the real compilation will refuse.
            if (VisibleOutsideItsAssembly(member))
            {
                return true;
            }
            string assembly = ImportedModules.AssemblyOf(member);
            Report(Descriptors.ImportedMemberNotPublic, at.Syntax.GetLocation(), member.Name, member.ContainingType.Name, assembly, _model.Name);
            return false;
        }
        if (_compilation.IsSymbolAccessibleWithin(member, _model))
        {
            return true;
        }
        Report(Descriptors.MemberNotReachable, at.Syntax.GetLocation(), member.Name, member.ContainingType.Name, _model.Name, _callStack[_callStack.Count - 1].Name);
        return false;
    }

    /// <summary>Public, or protected and reached from a model that derives from its class: what the model's assembly may read.</summary>
    bool VisibleOutsideItsAssembly(ISymbol member)
    {
        for (ISymbol? current = member; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            bool inherited = current.ContainingType is { } owner && _model.DerivesFromType(owner);
            if (current.DeclaredAccessibility != Accessibility.Public
                && !(inherited && current.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }
        return true;
    }

    public List<DiagnosticInfo> Diagnostics { get; } = [];

    /// <summary>Adds an input of the method being compiled.</summary>
    public int AddInput(InputSpec input, int index)
    {
        _inputs.Add(input);
        var type = input.IsLabels ? new TensorType(DType.Int32, input.Shape) : TensorType.Float(input.Shape);
        return _graph.Leaf(input.IsLabels ? LeafKind.Labels : LeafKind.Input, index, type, input.Name);
    }

    public GraphSpec Finish(int output, IReadOnlyList<string> tupleNames)
    {
        var elements = ReadValue.IsTuple(output) ? TupleElements(output) : [output];
        return new GraphSpec(
            _inputs.ToEquatableArray(), _parameters.ToEquatableArray(), _graph.Builder.Nodes.ToEquatableArray(), elements[0],
            _graph.Builder.Requirements.ToEquatableArray(), elements.Skip(1).ToEquatableArray(),
            ReadValue.IsTuple(output) ? tupleNames.ToEquatableArray() : EquatableArray<string>.Empty, _sizes.ToEquatableArray(), _loops.ToEquatableArray(), Absent: _absent.ToEquatableArray());
    }

    readonly List<int[]> _tuples = [];

    /// <summary>The element values of a tuple the method built or a callee returned.</summary>
    public IReadOnlyList<int> TupleElements(int tuple) => _tuples[ReadValue.FirstTuple - tuple];

    int NewTuple(int[] elements)
    {
        _tuples.Add(elements);
        return ReadValue.FirstTuple - (_tuples.Count - 1);
    }

    /// <summary>Reads <paramref name="method"/>'s body with <paramref name="scope"/> already holding its arguments.</summary>
    public int ReadMethod(IMethodSymbol method, ReaderScope scope)
    {
        var syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellation)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (syntax is null || scope.Model.GetOperation(syntax, _cancellation) is not IMethodBodyOperation body)
        {
            Report(Descriptors.UnsupportedExpression, method.FirstLocation(), method.Name, "its body is not available as source");
            return ReadValue.Failed;
        }
        var block = body.BlockBody ?? body.ExpressionBody;
        if (block is null)
        {
            Report(Descriptors.UnsupportedExpression, method.FirstLocation(), method.Name, "it has no body");
            return ReadValue.Failed;
        }
        var errors = scope.Model.GetDiagnostics(syntax.Span, _cancellation).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0 && ImportedModules.IsImported(syntax.SyntaxTree))
        {
            // No compiler reports errors in another assembly's description: say why it cannot be read.
            Report(Descriptors.UnsupportedExpression, syntax.Identifier.GetLocation(), $"{method.ContainingType.Name}.{method.Name}",
                $"its description from '{ImportedModules.AssemblyOf(method)}' does not compile in this project ({errors[0].Id}: {errors[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture)}); the module's code must compile here as it did there: the same version of AotNet, a language version with what it uses, and the types it names");
            return ReadValue.Failed;
        }
        if (errors.Count > 0 && _imports.Original.GetSemanticModel(syntax.SyntaxTree).GetDiagnostics(syntax.Span, _cancellation).All(d => d.Severity != DiagnosticSeverity.Error))
        {
            // Valid code that the descriptions of imported modules break: the compiler reports nothing, so say it.
            Report(Descriptors.UnsupportedExpression, syntax.Identifier.GetLocation(), method.Name,
                $"it does not compile when read with the descriptions of modules from other assemblies ({errors[0].Id}: {errors[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture)}); a type of this project may hide one those modules use");
            return ReadValue.Failed;
        }
        if (errors.Count > 0)
        {
            // The compiler reports what is wrong here; anything the generator said would only
            // repeat it, or blame valid code around it.
            return ReadValue.Failed;
        }
        _callStack.Add(method.OriginalDefinition);
        try
        {
            return ReadBlock(block, scope);
        }
        finally
        {
            _callStack.RemoveAt(_callStack.Count - 1);
        }
    }

    int ReadBlock(IBlockOperation block, ReaderScope scope) => ReadStatements(block.Operations, scope) ?? ReadValue.Failed;

    /// <summary>Reads statements in order; the value returned, or null when they end without a return.</summary>
    int? ReadStatements(IEnumerable<IOperation> statements, ReaderScope scope)
    {
        foreach (var statement in statements)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (_broke)
            {
                break;
            }
            if (ReadControl(statement, scope, out int? controlReturned))
            {
                if (controlReturned is not null)
                {
                    return controlReturned;
                }
                continue;
            }
            switch (statement)
            {
                case IVariableDeclarationGroupOperation group:
                    foreach (var declaration in group.Declarations)
                    {
                        foreach (var declarator in declaration.Declarators)
                        {
                            var initializer = declarator.Initializer ?? declaration.Initializer;
                            if (initializer is null)
                            {
                                Report(Descriptors.UnsupportedStatement, declarator.Syntax.GetLocation(), declarator.Syntax.ToString());
                                scope.Values[declarator.Symbol] = ReadValue.Failed;
                                continue;
                            }
                            Bind(scope, declarator.Symbol, Read(initializer.Value, scope));
                        }
                    }
                    break;
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment }:
                    Bind(scope, target.Local, Read(assignment.Value, scope));
                    break;
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IParameterReferenceOperation target } assignment }:
                    // x = x + Block(x): the name now stands for the new value; the input itself is unchanged.
                    scope.Values[target.Parameter] = Read(assignment.Value, scope);
                    break;
                case IExpressionStatementOperation { Operation: ICompoundAssignmentOperation { Target: ILocalReferenceOperation or IParameterReferenceOperation } compound }:
                    AssignCompound(compound, scope);
                    break;
                case IExpressionStatementOperation { Operation: IDeconstructionAssignmentOperation deconstruction }:
                    Deconstruct(deconstruction, scope);
                    break;
                case IReturnOperation { ReturnedValue: { } returned }:
                    int result = Read(returned, scope);
                    if (ReadValue.IsTuple(result))
                    {
                        var elements = TupleElements(result);
                        bool anyNull = false;
                        for (int k = 0; k < elements.Count; k++)
                        {
                            anyNull |= IsNullTensor(elements[k], TupleElementOperation(returned, k), "a [Differentiable] method's return");
                        }
                        return anyNull || elements.Any(e => e == ReadValue.Failed) ? ReadValue.Failed : result;
                    }
                    return IsNullTensor(result, returned, "a [Differentiable] method's return") ? ReadValue.Failed : result;
                default:
                    Report(Descriptors.UnsupportedStatement, statement.Syntax.GetLocation(), FirstLine(statement.Syntax));
                    break;
            }
        }
        return null;
    }

    /// <summary><c>x += Block(x)</c>: the operator on the local's current value, bound back to it.</summary>
    void AssignCompound(ICompoundAssignmentOperation compound, ReaderScope scope)
    {
        string? token = compound.OperatorKind switch
        {
            BinaryOperatorKind.Add => "+",
            BinaryOperatorKind.Subtract => "-",
            BinaryOperatorKind.Multiply => "*",
            BinaryOperatorKind.Divide => "/",
            _ => null,
        };
        ISymbol target = compound.Target is ILocalReferenceOperation local ? local.Local : ((IParameterReferenceOperation)compound.Target).Parameter;
        if (token is null || !IsGraphOperator(compound.OperatorMethod))
        {
            Report(Descriptors.UnsupportedStatement, compound.Syntax.GetLocation(), FirstLine(compound.Syntax));
            scope.Values[target] = ReadValue.Failed;
            return;
        }
        int current = Read(compound.Target, scope);
        int right = ReadOperand(compound.Value, scope);
        int value = IsNullTensor(right, compound.Value, $"the '{token}=' operator") ? ReadValue.Failed : ReadBinaryOperator(token, current, right, compound);
        if (target is ILocalSymbol symbol)
        {
            Bind(scope, symbol, value);
        }
        else
        {
            scope.Values[target] = value;
        }
    }

    void Bind(ReaderScope scope, ILocalSymbol local, int value)
    {
        scope.Values[local] = value;
        NamePieces(scope, local, value);
        if (value >= 0 && scope.NamePrefix.Length == 0 && (_graph[value].Name is null || _suggestedNames.Remove(value)))
        {
            _graph.Builder.Rename(value, local.Name);
        }
    }

    static bool IsTensorArray(ITypeSymbol type) => type is IArrayTypeSymbol { ElementType: var element } && element.Is(KnownNames.Tensor);

    /// <summary>
    /// Reads the arguments of a call of F's op <paramref name="function"/>, in order: the receiver
    /// first for a Tensor method (<c>x.View(…)</c>), tensors as nodes, the tensors of an array
    /// written at the call (<c>Concat([a, b, c], 1)</c>) one node each, and every other argument
    /// as a build-time constant.
    /// </summary>
    int ReadFunctionalCall(string function, IMethodSymbol method, IOperation? receiver, IOperation?[] arguments, IInvocationOperation invocation, ReaderScope scope)
    {
        var values = new List<int>();
        var operations = new List<IOperation?>();
        var constants = new List<ConstantArgument?>();
        void Add(int value, IOperation? operation, ConstantArgument? constant)
        {
            values.Add(value);
            operations.Add(operation);
            constants.Add(constant);
        }
        if (receiver is not null)
        {
            Add(Read(receiver, scope), receiver, null);
        }
        for (int slot = 0; slot < arguments.Length; slot++)
        {
            var parameter = method.Parameters[slot];
            if (IsTensorArray(parameter.Type))
            {
                var list = arguments[slot];
                while (list is IConversionOperation conversion)
                {
                    list = conversion.Operand;
                }
                var elements = list switch
                {
                    IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
                    ICollectionExpressionOperation collection => collection.Elements,
                    _ => default(System.Collections.Immutable.ImmutableArray<IOperation>?),
                };
                if (elements is null && list is not null && ReadPieceList(list, scope) is { } pieces)
                {
                    foreach (int piece in pieces)
                    {
                        Add(piece, list, null);
                    }
                    continue;
                }
                if (elements is null)
                {
                    return Unsupported(arguments[slot] ?? invocation, $"'{parameter.Name}' of F.{function} must list its tensors at the call, such as [a, b], or be the pieces of a split");
                }
                foreach (var element in elements.Value)
                {
                    Add(Read(element, scope), element, null);
                }
                continue;
            }
            if (IsTensorParameter(parameter))
            {
                Add(arguments[slot] is { } argument ? Read(argument, scope) : ReadValue.None, arguments[slot], null);
                continue;
            }
            var one = new ConstantArgument?[1];
            Add(ReadConstantArgument(parameter, function, 0, arguments[slot], one, scope), arguments[slot], one[0]);
        }
        return ReadFunctional(function, [.. values], [.. operations], new CallConstants(constants), invocation);
    }

    /// <summary><c>var (loss, logits) = Loss(x, y);</c>: binds each local to its element of the tuple on the right.</summary>
    void Deconstruct(IDeconstructionAssignmentOperation deconstruction, ReaderScope scope)
    {
        int value = Read(deconstruction.Value, scope);
        var target = deconstruction.Target is IDeclarationExpressionOperation declaration ? declaration.Expression : deconstruction.Target;
        if (target is not ITupleOperation targets)
        {
            Report(Descriptors.UnsupportedStatement, deconstruction.Syntax.GetLocation(), FirstLine(deconstruction.Syntax));
            return;
        }
        for (int k = 0; k < targets.Elements.Length; k++)
        {
            int element = ReadValue.IsTuple(value) && k < TupleElements(value).Count ? TupleElements(value)[k] : ReadValue.Failed;
            switch (targets.Elements[k])
            {
                case ILocalReferenceOperation local:
                    Bind(scope, local.Local, element);
                    break;
                case IDiscardOperation:
                    break;
                default:
                    Report(Descriptors.UnsupportedStatement, targets.Elements[k].Syntax.GetLocation(), FirstLine(targets.Elements[k].Syntax));
                    break;
            }
        }
    }

    /// <summary><c>Loss(x, y).Logits</c> or <c>.Item2</c>: one element of a tuple-valued call.</summary>
    int ReadTupleElement(IOperation instance, IFieldSymbol field, ReaderScope scope)
    {
        int tuple = Read(instance, scope);
        if (tuple == ReadValue.Failed)
        {
            return ReadValue.Failed;
        }
        string itemName = (field.CorrespondingTupleField ?? field).Name;
        if (!ReadValue.IsTuple(tuple) || !itemName.StartsWith("Item", System.StringComparison.Ordinal)
            || !int.TryParse(itemName.Substring(4), out int position) || position < 1 || position > TupleElements(tuple).Count)
        {
            return Unsupported(instance, "only elements of tuples of tensors can be read here");
        }
        return TupleElements(tuple)[position - 1];
    }

    static IOperation? TupleElementOperation(IOperation returned, int k)
    {
        while (returned is IConversionOperation conversion)
        {
            returned = conversion.Operand;
        }
        return returned is ITupleOperation tuple && k < tuple.Elements.Length ? tuple.Elements[k] : null;
    }

    /// <summary>Names a node after the layer or op that made it, unless the user names it with a local later.</summary>
    int Suggest(int value, string name)
    {
        if (value >= 0 && _graph[value].Name is null)
        {
            // A layer called twice names its second output fc2, not fc again, so its gradient
            // (dFc2) cannot be mistaken for the first one's.
            string unique = name;
            for (int suffix = 2; _graph.Builder.Nodes.Any(n => n.Name == unique); suffix++)
            {
                unique = name + suffix;
            }
            _graph.Builder.Rename(value, unique);
            _suggestedNames.Add(value);
        }
        return value;
    }

    int Read(IOperation operation, ReaderScope scope)
    {
        switch (operation)
        {
            case IParameterReferenceOperation parameter:
                return scope.Values.TryGetValue(parameter.Parameter, out int bound) ? bound : ReadValue.Failed;
            case ILocalReferenceOperation local:
                return scope.Values.TryGetValue(local.Local, out int value) ? value : ReadValue.Failed;
            case IConversionOperation conversion:
                return Read(conversion.Operand, scope);
            case IParenthesizedOperation parenthesized:
                return Read(parenthesized.Operand, scope);
            case ILiteralOperation { ConstantValue: { HasValue: true, Value: null } }:
            case IDefaultValueOperation:
                return ReadValue.None;
            case ITupleOperation tuple:
                return NewTuple(tuple.Elements.Select(element => Read(element, scope)).ToArray());
            case IArrayElementReferenceOperation element:
                return ReadPiece(element, scope);
            case IFieldReferenceOperation { Field.ContainingType.IsTupleType: true, Instance: { } instance } element:
                return ReadTupleElement(instance, element.Field, scope);
            case IFieldReferenceOperation or IPropertyReferenceOperation:
                return ReadMember((IMemberReferenceOperation)operation, scope);
            case IBinaryOperation binary when IsGraphOperator(binary.OperatorMethod):
                return ReadOperator(binary, scope);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } unary when IsGraphOperator(unary.OperatorMethod):
                return ReadNegation(unary, scope);
            case IInvocationOperation invocation:
                return ReadInvocation(invocation, scope);
            case IConditionalOperation { WhenFalse: not null } conditional:
                return ReadChoice(conditional, scope);
            case ISwitchExpressionOperation choice:
                return ReadSwitchExpression(choice, scope);
            default:
                return Unsupported(operation, "only AotNet.F ops, Tensor operators, layer calls, parameters and other [Differentiable] methods can appear here");
        }
    }

    int ReadOperator(IBinaryOperation binary, ReaderScope scope)
    {
        string token = binary.OperatorKind switch
        {
            BinaryOperatorKind.Add => "+",
            BinaryOperatorKind.Subtract => "-",
            BinaryOperatorKind.Multiply => "*",
            BinaryOperatorKind.Divide => "/",
            _ => binary.OperatorKind.ToString(),
        };
        int left = ReadOperand(binary.LeftOperand, scope);
        int right = ReadOperand(binary.RightOperand, scope);
        if (IsNullTensor(left, binary.LeftOperand, $"the '{token}' operator") | IsNullTensor(right, binary.RightOperand, $"the '{token}' operator"))
        {
            return ReadValue.Failed;
        }
        return ReadBinaryOperator(token, left, right, binary);
    }

    int ReadInvocation(IInvocationOperation invocation, ReaderScope scope)
    {
        var method = invocation.TargetMethod;
        var arguments = ArgumentsInParameterOrder(invocation);
        if (method.ContainingType.Is(KnownNames.Functional))
        {
            return ReadFunctionalCall(method.Name, method, null, arguments, invocation, scope);
        }
        if ((method.ContainingType.Is(KnownNames.Tensor) || (method.ContainingType.Is(KnownNames.Labels) && OpTable.LabelsMethods.Contains(method.Name)))
            && !method.IsStatic && invocation.Instance is { } receiver
            && OpTable.TensorMethods.TryGetValue(method.Name, out string? function))
        {
            // x.View(n, -1) is F.Reshape(x, n, -1): the receiver is the first argument.
            return ReadFunctionalCall(function, method, receiver, arguments, invocation, scope);
        }
        if (Overridable(method) && ImplementationOnReceiver(invocation, method, scope) is { } implementation)
        {
            // block.Forward(x) on an element the generator saw created: that class's own body runs.
            if (!implementation.HasAttribute(KnownNames.Differentiable))
            {
                return Unsupported(invocation, $"'{implementation.ContainingType.Name}.{implementation.Name}', which runs here, is not [Differentiable]; mark it, as '{method.ContainingType.Name}.{method.Name}' is");
            }
            return InlineCall(invocation, implementation, arguments, scope, resolved: true);
        }
        if (method.HasAttribute(KnownNames.Differentiable))
        {
            return InlineCall(invocation, method, arguments, scope);
        }
        return Unsupported(invocation, $"'{method.ContainingType.Name}.{method.Name}' is neither an AotNet op nor a [Differentiable] method");
    }

    static bool Overridable(IMethodSymbol method) =>
        (method.IsVirtual || method.IsAbstract || method.IsOverride) && !method.IsSealed && !method.ContainingType.IsSealed;

    /// <summary>
    /// The body a virtual call runs when its receiver is a module whose class the generator knows
    /// exactly (it read the <c>new</c> that made it, in a member code cannot replace); else null.
    /// </summary>
    IMethodSymbol? ImplementationOnReceiver(IInvocationOperation invocation, IMethodSymbol method, ReaderScope scope)
    {
        if (invocation.Instance is null or IInstanceReferenceOperation || !method.ContainingType.DerivesFrom(KnownNames.Module)
            || ResolveModule(invocation.Instance, scope, invocation) is not { Fact: { IsKnown: true, Instance: { IsExact: true } created } } receiver
            || LayerReader.MemberType(receiver.Member) is IArrayTypeSymbol)
        {
            // An array's elements can be replaced after construction, by one of another class.
            return null;
        }
        for (INamedTypeSymbol? type = created.Type; type is not null; type = type.BaseType)
        {
            foreach (var candidate in type.GetMembers(method.Name).OfType<IMethodSymbol>())
            {
                for (IMethodSymbol? overridden = candidate; overridden is not null; overridden = overridden.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method.OriginalDefinition))
                    {
                        return candidate.IsAbstract ? null : candidate;
                    }
                }
            }
        }
        return null;
    }

    int InlineCall(IInvocationOperation invocation, IMethodSymbol method, IOperation?[] arguments, ReaderScope scope, bool resolved = false)
    {
        if (method.DeclaringSyntaxReferences.IsEmpty)
        {
            return Unsupported(invocation, $"'{method.ContainingType.Name}.{method.Name}' cannot be read: {_imports.WhyNotReadable(method.ContainingType)}");
        }
        if (!resolved && Overridable(method))
        {
            return Unsupported(invocation, $"'{method.ContainingType.Name}.{method.Name}' can be overridden, so the compiled code cannot know which body runs; seal the method or its class, or create the module where the generator can see its class (a readonly member set with 'new')");
        }
        int first = _callStack.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method.OriginalDefinition));
        if (first >= 0)
        {
            // Name the method that recurses and the cycle it goes through, not whichever method the reading began at.
            var cycle = _callStack.Skip(first + 1).Select(m => m.Name).Append(method.Name).Select(name => $"'{name}'");
            Report(Descriptors.RecursiveCall, invocation.Syntax.GetLocation(), method.Name, string.Join(" → ", cycle));
            return ReadValue.Failed;
        }
        ReaderScope calleeScope;
        string? calledModule = null;
        if (invocation.Instance is null or IInstanceReferenceOperation)
        {
            calleeScope = new ReaderScope(scope.Owner, scope.NamePrefix, scope.AccessPrefix, ModelFor(method), scope.Facts);
        }
        else if (ResolveModule(invocation.Instance, scope, invocation) is { } module)
        {
            if (module.Fact.IsNull)
            {
                return Unsupported(invocation.Instance, $"'{module.Name}' is null here: its constructor leaves it unset for these arguments");
            }
            // A body found through the object's own class reads members of that class, which the
            // declared type of the expression may not have: the generated code casts to it.
            string access = resolved && !SymbolEqualityComparer.Default.Equals(invocation.Instance.Type, module.Type)
                ? $"(({module.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}){module.Access})."
                : module.AccessPrefix;
            calleeScope = new ReaderScope(module.Type, module.NamePrefix, access, ModelFor(method), module.Facts);
            calledModule = module.Name;
        }
        else
        {
            return Diagnostics.Count > 0 ? ReadValue.Failed : Unsupported(invocation, "call [Differentiable] methods on this object, on one of its fields or properties, or on an element of a module list");
        }
        var local = new Dictionary<string, Dim>(System.StringComparer.Ordinal);
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            int value = arguments[i] is { } argument ? Read(argument, scope) : ReadValue.Failed;
            if (value >= 0 && !CheckCalleeInput(method, method.Parameters[i], value, calleeScope, local, invocation))
            {
                value = ReadValue.Failed;
            }
            calleeScope.Values[method.Parameters[i]] = value;
        }
        int result;
        if (_importedCall is null && ImportedModules.IsImported(method))
        {
            _importedCall = invocation.Syntax;
            try
            {
                result = ReadMethod(method, calleeScope);
            }
            finally
            {
                _importedCall = null;
            }
        }
        else
        {
            result = ReadMethod(method, calleeScope);
        }
        // What a module returns is called after the module, as PyTorch users name it: fc1, blocks_3.
        return calledModule is null || ReadValue.IsTuple(result) ? result : Suggest(result, Names.Identifier(calledModule));
    }

    /// <summary>
    /// Checks an argument against the callee's [Shape] for it, where it declares one: constants
    /// and the module's own sizes must match, and a symbol such as "N" must mean one size
    /// throughout the call.
    /// </summary>
    bool CheckCalleeInput(IMethodSymbol method, IParameterSymbol parameter, int value, ReaderScope callee, Dictionary<string, Dim> symbols, IInvocationOperation at)
    {
        if (parameter.FindAttribute(KnownNames.Shape) is null || !parameter.Type.Is(KnownNames.Tensor))
        {
            return true;
        }
        var declared = ShapeReader.Read(parameter, constantsOnly: false, out string? problem);
        var actual = _graph[value].Shape;
        string where = $"argument '{parameter.Name}' of {callee.Owner.Name}.{method.Name}";
        if (declared is null)
        {
            Report(Descriptors.InvalidShape, parameter.FirstLocation(), parameter.Name, problem!);
            return false;
        }
        if (declared.Rank != actual.Rank)
        {
            Report(Descriptors.ShapeMismatch, at.Syntax.GetLocation(), $"{where} has shape {actual}, but the method declares {declared}");
            return false;
        }
        for (int axis = 0; axis < declared.Rank; axis++)
        {
            var expected = declared[axis];
            if (expected.Symbol is { } symbol)
            {
                if (callee.Owner.GetMembers(symbol).Any(m => LayerReader.MemberType(m)?.SpecialType == SpecialType.System_Int32))
                {
                    expected = ModuleSize(symbol, callee, at) ?? actual[axis];
                }
                else if (!symbols.TryGetValue(symbol, out expected))
                {
                    symbols[symbol] = actual[axis];
                    continue;
                }
            }
            var context = new Shapes.ShapeContext(where, [], NoAttributes.Instance, _graph.Builder.Requirements);
            if (!context.Unify(actual[axis], expected, $"{where}: axis {axis} is {actual[axis]} but the method declares {declared[axis]} = {expected}"))
            {
                Report(Descriptors.ShapeMismatch, at.Syntax.GetLocation(), $"{where} has shape {actual}, but the method declares {declared} (axis {axis} must be {expected})");
                return false;
            }
        }
        return true;
    }

    SemanticModel ModelFor(IMethodSymbol method)
    {
        var tree = method.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree;
        return tree is null ? throw new System.InvalidOperationException("A source method has no syntax tree.") : _compilation.GetSemanticModel(tree);
    }

    static IOperation?[] ArgumentsInParameterOrder(IInvocationOperation invocation)
    {
        var ordered = new IOperation?[invocation.TargetMethod.Parameters.Length];
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter)
            {
                ordered[parameter.Ordinal] = argument.Value;
            }
        }
        return ordered;
    }

    int Unsupported(IOperation operation, string why) => Unsupported(operation.Syntax, why);

    int Unsupported(SyntaxNode syntax, string why)
    {
        Report(Descriptors.UnsupportedExpression, syntax.GetLocation(), FirstLine(syntax), why);
        return ReadValue.Failed;
    }

    /// <summary>The expression as the user wrote it: <c>null!</c>, not the <c>null</c> inside it.</summary>
    static SyntaxNode Written(SyntaxNode syntax)
    {
        while (syntax.Parent is PostfixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.SuppressNullableWarningExpression } or ParenthesizedExpressionSyntax)
        {
            syntax = syntax.Parent;
        }
        return syntax;
    }

    /// <summary>Reports a null where a tensor is needed; false when <paramref name="value"/> is a real value.</summary>
    bool IsNullTensor(int value, IOperation? at, string needs)
    {
        if (value != ReadValue.None || at is null)
        {
            return false;
        }
        Unsupported(Written(at.Syntax), $"it is null; {needs} needs a tensor here");
        return true;
    }

    void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        if (_importedCall is not null && ImportedModules.IsImported(location?.SourceTree))
        {
            location = _importedCall.GetLocation();
        }
        // A loop's body is read once per iteration; its problems are reported once.
        var diagnostic = DiagnosticInfo.Create(descriptor, location, arguments);
        if (!Diagnostics.Contains(diagnostic))
        {
            Diagnostics.Add(diagnostic);
        }
    }

    static string FirstLine(SyntaxNode syntax)
    {
        string text = syntax.ToString();
        int newline = text.IndexOf('\n');
        return (newline < 0 ? text : text.Substring(0, newline)).Trim();
    }

    static bool AnyFailed(params int[] values) => values.Any(v => v == ReadValue.Failed);
}
