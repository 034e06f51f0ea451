using System.Collections.Generic;
using System.Linq;
using AotNet.Generators.Diagnostics;
using AotNet.Generators.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>
/// A module the body reaches: a field or property of the current object, or an element of a
/// module array or <c>ModuleList</c>, with the names that reach it and what is known about it.
/// </summary>
internal sealed record ModuleRef(INamedTypeSymbol Type, ISymbol Member, string Name, string Access, Fact Fact)
{
    /// <summary>"blocks.0." : the prefix of the module's parameter names.</summary>
    public string NamePrefix => Name + ".";

    /// <summary>"this.blocks[0]." : the prefix of C# expressions that reach its members.</summary>
    public string AccessPrefix => Access + ".";

    public ModuleFacts Facts => Fact.Instance ?? ModuleFacts.Opaque(Type);
}

/// <summary>
/// Statements that decide which ops run: <c>if</c> and <c>?:</c> on what is known at build time,
/// and loops over module lists, read by following the taken branch and every iteration.
/// </summary>
internal sealed partial class GraphReader
{
    /// <summary>
    /// Reads <paramref name="statement"/> when it is control flow; false for any other statement.
    /// <paramref name="returned"/> is the value a return inside it gave.
    /// </summary>
    bool ReadControl(IOperation statement, ReaderScope scope, out int? returned)
    {
        returned = null;
        switch (statement)
        {
            case IBlockOperation block:
                returned = ReadStatements(block.Operations, scope);
                return true;
            case IEmptyOperation:
                return true;
            case IConditionalOperation conditional:
                if (Decide(conditional.Condition, scope) is bool taken)
                {
                    var branch = taken ? conditional.WhenTrue : conditional.WhenFalse;
                    returned = branch is null ? null : ReadStatements([branch], scope);
                }
                return true;
            case ISwitchOperation choice:
                returned = ReadSwitch(choice, scope);
                return true;
            case IBranchOperation { BranchKind: BranchKind.Break } when _switchDepth > 0:
                // Ends the switch section, from wherever inside it.
                _broke = true;
                return true;
            case IForEachLoopOperation loop:
                ReadForEach(loop, scope);
                return true;
            case IForLoopOperation loop:
                ReadFor(loop, scope);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A condition's value at build time, or null after reporting that it is not known then.</summary>
    bool? Decide(IOperation condition, ReaderScope scope)
    {
        var fact = Known(condition, scope);
        if (fact.Constant is bool value)
        {
            return value;
        }
        string module = scope.NamePrefix.TrimEnd('.');
        Report(Descriptors.ConditionNotKnown, condition.Syntax.GetLocation(), FirstLine(condition.Syntax),
            UsesTraining(condition)
                ? "the training flag is known only when the code runs, and branches on it are not compiled yet; compute the two variants in separate [Differentiable] methods"
                : module.Length > 0 && !scope.Facts.IsExact
                ? $"it is configuration of '{module}' ({scope.Owner.Name}), which is created where the generator cannot see how: create it with 'new {scope.Owner.Name}(...)' in a readonly member's initializer or in the constructor, from constants or the constructor's own arguments"
                : "it depends on a value known only when the code runs");
        return null;
    }

    /// <summary>
    /// The run-time conditions assumed while reading, with their values; one met for the first
    /// time is assumed true and added to <see cref="Discovered"/>, so the caller reads again for its other value.
    /// </summary>
    public IReadOnlyList<(RuntimeCondition Condition, bool Value)> Assumptions { get; init; } = [];

    /// <summary>Run-time conditions met that <see cref="Assumptions"/> did not cover.</summary>
    public List<RuntimeCondition> Discovered { get; } = [];

    /// <summary>The Training flags the body read, so the generated code can check they agree with the model's.</summary>
    public List<ModeFlag> ModeFlags { get; } = [];

    Fact Assume(RuntimeCondition condition)
    {
        foreach (var (known, value) in Assumptions)
        {
            if (known == condition)
            {
                return Fact.Of(value);
            }
        }
        if (!Discovered.Contains(condition))
        {
            Discovered.Add(condition);
        }
        return Fact.Of(true);
    }

    Fact ReadTrainingFlag(IPropertyReferenceOperation flag, ReaderScope scope)
    {
        ModeFlag? module = flag.Instance is null or IInstanceReferenceOperation
            ? new ModeFlag(scope.AccessPrefix.TrimEnd('.'), scope.NamePrefix.TrimEnd('.'))
            : ResolveModule(flag.Instance, scope, flag) is { } reached ? new ModeFlag(reached.Access, reached.Name) : null;
        if (module is null)
        {
            return Fact.Unknown;
        }
        if (!ModeFlags.Contains(module))
        {
            ModeFlags.Add(module);
        }
        return Assume(new RuntimeCondition("this.Training", "Training", IsTraining: true));
    }

    /// <summary>A bool field or property of a module whose value the construction leaves to run time: a condition the generated code branches on.</summary>
    Fact ReadRuntimeBool(ISymbol member, string access, string name) =>
        Assume(new RuntimeCondition(access + Names.Escape(member.Name), Names.Identifier(name + member.Name), IsTraining: false));

    static bool UsesTraining(IOperation condition) => condition.DescendantsAndSelf()
        .Any(o => o is IPropertyReferenceOperation { Property.Name: "Training" } property && property.Property.ContainingType.Is(KnownNames.Module));

    int _switchDepth;

    /// <summary>Set by a break inside a switch section: the statements after it, up to the section's end, do not run.</summary>
    bool _broke;

    /// <summary>A switch statement on a value known at build time: the statements of the section that matches.</summary>
    int? ReadSwitch(ISwitchOperation choice, ReaderScope scope)
    {
        var value = Known(choice.Value, scope);
        var section = choice.Cases.FirstOrDefault(c => c.Clauses.Any(clause => clause is not IDefaultCaseClauseOperation && Matches(value, clause) == true))
            ?? choice.Cases.FirstOrDefault(c => c.Clauses.Any(clause => clause is IDefaultCaseClauseOperation));
        if (!value.IsKnown)
        {
            Decide(choice.Value, scope);
            return null;
        }
        if (choice.Cases.SelectMany(c => c.Clauses).FirstOrDefault(clause => clause is not IDefaultCaseClauseOperation && Matches(value, clause) is null) is { } unreadable)
        {
            Unsupported(unreadable, "the generator matches case labels that are constants, null, discards or 'or' of them at build time; a 'when' guard or another pattern cannot decide which ops run");
            return null;
        }
        if (section is null)
        {
            return null;
        }
        _switchDepth++;
        try
        {
            return ReadStatements(section.Body, scope);
        }
        finally
        {
            _switchDepth--;
            _broke = false;
        }
    }

    /// <summary><c>kind switch { Kind.A => …, _ => … }</c> on tensors: the arm that matches the build-time value.</summary>
    int ReadSwitchExpression(ISwitchExpressionOperation choice, ReaderScope scope)
    {
        var value = Known(choice.Value, scope);
        foreach (var arm in choice.Arms)
        {
            bool? matches = arm.Guard is null ? Matches(value, arm.Pattern) : null;
            if (matches is null)
            {
                if (arm.Guard is not null)
                {
                    return Unsupported(arm.Guard, "a switch arm's 'when' clause is not read at build time; decide in the pattern");
                }
                if (!value.IsKnown)
                {
                    Decide(choice.Value, scope);
                    return ReadValue.Failed;
                }
                return Unsupported(arm.Pattern, "the generator matches constants, null, discards or 'or' of them at build time; this pattern cannot decide which ops run");
            }
            if (matches.Value)
            {
                return Read(arm.Value, scope);
            }
        }
        return Unsupported(choice, "no arm matches the value this module is built with");
    }

    static bool? Matches(Fact value, ICaseClauseOperation clause) => clause switch
    {
        ISingleValueCaseClauseOperation single => value.IsKnown ? Same(value, single.Value.ConstantValue) : null,
        IPatternCaseClauseOperation pattern when pattern.Guard is null => Matches(value, pattern.Pattern),
        _ => null,
    };

    static bool? Matches(Fact value, IPatternOperation pattern) => pattern switch
    {
        IDiscardPatternOperation => true,
        IConstantPatternOperation constant when value.IsKnown => Same(value, constant.Value.ConstantValue),
        INegatedPatternOperation { Pattern: var inner } => Matches(value, inner) is bool matched ? !matched : null,
        IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either => (Matches(value, either.LeftPattern), Matches(value, either.RightPattern)) switch
        {
            (true, _) or (_, true) => true,
            (false, false) => false,
            _ => null,
        },
        _ => null,
    };

    static bool? Same(Fact value, Optional<object?> constant)
    {
        if (!constant.HasValue)
        {
            return null;
        }
        if (constant.Value is null || value.IsNull)
        {
            return constant.Value is null && value.IsNull;
        }
        return value.Constant is { } known ? Equals(known, constant.Value) || (IsNumber(known) && IsNumber(constant.Value) && System.Convert.ToDouble(known) == System.Convert.ToDouble(constant.Value)) : null;
    }

    static bool IsNumber(object value) => value is int or long or float or double or short or byte;

    /// <summary><c>cond ? a : b</c> on tensors: the branch the build-time condition takes.</summary>
    int ReadChoice(IConditionalOperation conditional, ReaderScope scope) =>
        Decide(conditional.Condition, scope) is bool taken && (taken ? conditional.WhenTrue : conditional.WhenFalse) is { } branch
            ? Read(branch, scope)
            : ReadValue.Failed;

    void ReadForEach(IForEachLoopOperation loop, ReaderScope scope)
    {
        var collection = loop.Collection;
        while (collection is IConversionOperation conversion)
        {
            collection = conversion.Operand;
        }
        var variable = loop.Locals.FirstOrDefault();
        if (variable is not null && TryCompileLoop(loop, variable, collection, scope))
        {
            return;
        }
        var elements = variable is null ? null : ModuleElements(collection, scope, loop);
        if (elements is null)
        {
            return;
        }
        foreach (var element in elements)
        {
            scope.Modules[variable!] = element;
            if (ReadStatements([loop.Body], scope) is not null)
            {
                Report(Descriptors.UnsupportedStatement, loop.Body.Syntax.GetLocation(), "a return inside a loop");
                break;
            }
        }
        scope.Modules.Remove(variable!);
    }

    void ReadFor(IForLoopOperation loop, ReaderScope scope)
    {
        if (loop.Before.Length != 1 || loop.Before[0] is not IVariableDeclarationGroupOperation group
            || group.Declarations.SelectMany(d => d.Declarators).ToList() is not { Count: 1 } declarators
            || declarators[0] is not { Initializer: { } start } counter
            || Known(start.Value, scope).Constant is not int first
            || loop.AtLoopBottom.Length != 1 || Step(loop.AtLoopBottom[0], counter.Symbol) is not int step || loop.Condition is null)
        {
            Unsupported(loop, "a for loop needs the form 'for (int i = start; i < bound; i++)' with a start and a bound known at build time");
            return;
        }
        if (first == 0 && step == 1 && TryCompileLoop(loop, counter.Symbol, scope))
        {
            return;
        }
        int iterations = 0;
        for (int index = first; ; index += step)
        {
            scope.Counters[counter.Symbol] = index;
            if (Decide(loop.Condition, scope) is not true)
            {
                break;
            }
            if (++iterations > MaxIterations)
            {
                Unsupported(loop, $"it runs more than {MaxIterations} times");
                break;
            }
            if (ReadStatements([loop.Body], scope) is not null)
            {
                Report(Descriptors.UnsupportedStatement, loop.Body.Syntax.GetLocation(), "a return inside a loop");
                break;
            }
        }
        scope.Counters.Remove(counter.Symbol);
    }

    const int MaxIterations = 4096;

    /// <summary>The increment of <c>i++</c>, <c>++i</c>, <c>i += k</c> or <c>i--</c>, or null.</summary>
    static int? Step(IOperation bottom, ILocalSymbol counter)
    {
        var operation = bottom is IExpressionStatementOperation statement ? statement.Operation : bottom;
        return operation switch
        {
            IIncrementOrDecrementOperation { Target: ILocalReferenceOperation local } change when SymbolEqualityComparer.Default.Equals(local.Local, counter)
                => change.Kind == OperationKind.Increment ? 1 : -1,
            ICompoundAssignmentOperation { Target: ILocalReferenceOperation local, OperatorKind: BinaryOperatorKind.Add, Value.ConstantValue: { HasValue: true, Value: int by } }
                when SymbolEqualityComparer.Default.Equals(local.Local, counter) && by != 0 => by,
            _ => null,
        };
    }

    /// <summary>The modules of a module array or <c>ModuleList</c> member, one per element, or null after reporting why not.</summary>
    List<ModuleRef>? ModuleElements(IOperation collection, ReaderScope scope, IOperation at)
    {
        var list = ResolveModuleHolder(collection, scope, at);
        if (list is null)
        {
            if (Diagnostics.Count == 0)
            {
                Unsupported(collection, "loop over a module array or ModuleList field or property of this model");
            }
            return null;
        }
        var (member, name, access, fact, elementType) = list.Value;
        if (fact.Elements is null)
        {
            Unsupported(collection, $"the length of '{name}' is not known at build time; create it where it is declared or in the constructor with a constant count, such as new ModuleList<{elementType.Name}>(12, i => new {elementType.Name}(64)) or [new(64), new(64)]");
            return null;
        }
        var elements = new List<ModuleRef>();
        for (int index = 0; index < fact.Elements.Count; index++)
        {
            var element = fact.Elements[index];
            // The same module twice in a list is one set of parameters, named where it first appears, as PyTorch names it.
            int first = element.Instance is null ? -1 : fact.Elements.Take(index).ToList().FindIndex(e => ReferenceEquals(e.Instance, element.Instance));
            elements.Add(first >= 0
                ? elements[first]
                : new ModuleRef(ElementType(element, elementType), member, name.Length == 0 ? $"{index}" : $"{name}.{index}", $"{access}[{index}]", Described(element, ElementType(element, elementType))));
        }
        return elements;
    }

    static INamedTypeSymbol ElementType(Fact element, INamedTypeSymbol declared) => element.Instance?.Type ?? declared;

    readonly Dictionary<INamedTypeSymbol, ModuleFacts> _typeFacts = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// What every instance of <paramref name="type"/> has, however it was made: what all its
    /// constructors agree on, such as a layer that always has a bias. Used where the creation is not visible.
    /// </summary>
    ModuleFacts TypeFacts(INamedTypeSymbol type)
    {
        if (!_typeFacts.TryGetValue(type, out var facts))
        {
            facts = ModuleFacts.Root(type, _compilation);
            _typeFacts[type] = facts;
        }
        return facts;
    }

    /// <summary>A module's fact with its members' facts, from its type's constructors when its creation is not visible.</summary>
    Fact Described(Fact fact, INamedTypeSymbol type) =>
        fact.Instance is not null || fact.IsNull ? fact
        : fact.IsKnown ? Fact.Object(TypeFacts(type))
        : Fact.Perhaps(TypeFacts(type));

    /// <summary>A member that holds modules: an array of them or a <c>ModuleList</c>, with its names and facts.</summary>
    (ISymbol Member, string Name, string Access, Fact Fact, INamedTypeSymbol ElementType)? ResolveModuleHolder(IOperation collection, ReaderScope scope, IOperation at)
    {
        if (collection is not IMemberReferenceOperation { Member: var member } reference || member is not (IFieldSymbol or IPropertySymbol { IsIndexer: false }))
        {
            return null;
        }
        var type = LayerReader.MemberType(member);
        INamedTypeSymbol? elementType = type switch
        {
            IArrayTypeSymbol { Rank: 1, ElementType: INamedTypeSymbol element } when element.DerivesFrom(KnownNames.Module) => element,
            INamedTypeSymbol { TypeArguments.Length: 1 } list when list.Is(KnownNames.ModuleList) && list.TypeArguments[0] is INamedTypeSymbol element => element,
            _ => null,
        };
        if (elementType is null)
        {
            return null;
        }
        if (OwnerOf(reference, scope, at) is not { } owner || !Reachable(member, reference))
        {
            return null;
        }
        return (member, LayerReader.PathOf(owner.NamePrefix, member), owner.AccessPrefix + Names.Escape(member.Name), owner.Facts[member], elementType);
    }

    /// <summary>
    /// The object whose member <paramref name="reference"/> reads, as prefixes of names and C#
    /// expressions and its facts: the current object, or a module it reaches. Null for anything else.
    /// </summary>
    (string NamePrefix, string AccessPrefix, ModuleFacts Facts)? OwnerOf(IMemberReferenceOperation reference, ReaderScope scope, IOperation at) =>
        reference.Instance is null or IInstanceReferenceOperation
            ? (scope.NamePrefix, scope.AccessPrefix, scope.Facts)
            : ResolveModule(reference.Instance, scope, at) is { } parent ? (parent.NamePrefix, parent.AccessPrefix, parent.Facts) : null;

    /// <summary>
    /// The module <paramref name="instance"/> refers to: a field or property of the current
    /// object (or of a module it reaches), a loop's module variable, or an element of a module
    /// list at an index known at build time. Null when it is none of these (or not reachable, reported).
    /// </summary>
    ModuleRef? ResolveModule(IOperation? instance, ReaderScope scope, IOperation at)
    {
        while (instance is IConversionOperation conversion)
        {
            instance = conversion.Operand;
        }
        switch (instance)
        {
            case ILocalReferenceOperation local when scope.Modules.TryGetValue(local.Local, out var module):
                return module;
            case IArrayElementReferenceOperation { Indices.Length: 1 } element:
                return Element(element.ArrayReference, element.Indices[0]);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer when indexer.Instance is { } list:
                return Element(list, indexer.Arguments[0].Value);
            case IMemberReferenceOperation { Member: var member } reference when member is IFieldSymbol or IPropertySymbol
                && LayerReader.MemberType(member) is INamedTypeSymbol type && type.DerivesFrom(KnownNames.Module):
                if (OwnerOf(reference, scope, at) is not { } owner || !Reachable(member, reference))
                {
                    return null;
                }
                var (namePrefix, accessPrefix) = (owner.NamePrefix, owner.AccessPrefix);
                var fact = Described(owner.Facts[member], type);
                if (!ModuleFacts.IsStable(member) && fact.Instance is { } created && !fact.IsNull)
                {
                    // Code may put another module here: rely only on what every instance of its type has.
                    fact = Fact.Perhaps(created.WithArgumentsOf(TypeFacts(type)));
                }
                // A nullable member is read only where the graph knows it holds a module.
                string nullForgiving = type.NullableAnnotation == NullableAnnotation.Annotated ? "!" : "";
                return new ModuleRef(fact.Instance?.Type ?? type, member, LayerReader.PathOf(namePrefix, member), accessPrefix + Names.Escape(member.Name) + nullForgiving, fact);
            default:
                return null;
        }

        ModuleRef? Element(IOperation collection, IOperation index)
        {
            if (index is ILocalReferenceOperation counter && scope.Elements.TryGetValue(counter.Local, out var compiled))
            {
                return collection is IMemberReferenceOperation { Member: var list } && SymbolEqualityComparer.Default.Equals(list, compiled.Member) ? compiled : null;
            }
            if (Known(index, scope).Constant is not int k)
            {
                Unsupported(index, "an index into a module list must be known at build time, such as a constant or a for loop's counter");
                return null;
            }
            var elements = ModuleElements(collection, scope, at);
            if (elements is null)
            {
                return null;
            }
            if (k < 0 || k >= elements.Count)
            {
                Unsupported(index, $"index {k} is outside the {elements.Count} modules of the list");
                return null;
            }
            return elements[k];
        }
    }

    /// <summary>
    /// What is known at build time about a non-tensor expression: constants, configuration the
    /// construction fixed, a loop's counter, a module list's length, and null checks of members.
    /// </summary>
    Fact Known(IOperation operation, ReaderScope scope)
    {
        if (operation.ConstantValue is { HasValue: true } constant)
        {
            return constant.Value is null ? Fact.Null : Fact.Of(constant.Value);
        }
        switch (operation)
        {
            case IConversionOperation conversion:
                return Known(conversion.Operand, scope);
            case IParenthesizedOperation parenthesized:
                return Known(parenthesized.Operand, scope);
            case ILocalReferenceOperation local when scope.Counters.TryGetValue(local.Local, out int counter):
                return Fact.Of(counter);
            case ILocalReferenceOperation local when scope.Modules.TryGetValue(local.Local, out var module):
                return module.Fact;
            case IPropertyReferenceOperation { Property.Name: "Count" or "Length" } count when count.Instance is { } holder
                && ResolveModuleHolder(holder, scope, operation) is { Fact.Elements: { } elements }:
                return Fact.Of(elements.Count);
            case IPropertyReferenceOperation { Property.Name: "Training" } trainingFlag when trainingFlag.Property.ContainingType.Is(KnownNames.Module):
                return ReadTrainingFlag(trainingFlag, scope);
            case IMemberReferenceOperation { Member: IFieldSymbol { HasConstantValue: true } field }:
                return field.ConstantValue is null ? Fact.Null : Fact.Of(field.ConstantValue);
            case IMemberReferenceOperation { Member: var member } reference when member is IFieldSymbol or IPropertySymbol { IsIndexer: false } && !member.IsStatic:
                if (OwnerOf(reference, scope, operation) is not { } reached)
                {
                    return Fact.Unknown;
                }
                var (namePrefix, accessPrefix, facts) = reached;
                var fact = facts[member];
                if (fact.IsNull && Reachable(member, reference))
                {
                    ReliesOnAbsent(accessPrefix + Names.Escape(member.Name), LayerReader.PathOf(namePrefix, member));
                }
                return !fact.IsKnown && LayerReader.MemberType(member)?.SpecialType == SpecialType.System_Boolean && Reachable(member, reference)
                    ? ReadRuntimeBool(member, accessPrefix, namePrefix)
                    : fact;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Known(not.Operand, scope).Constant is bool flag ? Fact.Of(!flag) : Fact.Unknown;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logic:
            {
                // As C# does: 'gate is not null && gate.Enabled' never reads gate.Enabled when gate is null.
                var left = Known(logic.LeftOperand, scope);
                bool decided = logic.OperatorKind == BinaryOperatorKind.ConditionalAnd ? left.Constant is false : left.Constant is true;
                return decided ? left : Arithmetic.Binary(logic.OperatorKind, left, Known(logic.RightOperand, scope));
            }
            case IBinaryOperation binary:
                return Arithmetic.Binary(binary.OperatorKind, Known(binary.LeftOperand, scope), Known(binary.RightOperand, scope));
            case IIsPatternOperation pattern:
                return ModuleFacts.NullTest(Known(pattern.Value, scope), pattern.Pattern);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return Known(conditional.Condition, scope).Constant is bool taken ? Known(taken ? conditional.WhenTrue : whenFalse, scope) : Fact.Unknown;
            case IInvocationOperation { TargetMethod: { IsStatic: true } math } call when math.ContainingType.ToDisplayString() is "System.MathF" or "System.Math":
                return Arithmetic.Math(math.Name, call.Arguments.Select(a => Known(a.Value, scope)).ToArray(), math.ReturnType.SpecialType == SpecialType.System_Single);
            default:
                return Fact.Unknown;
        }
    }
}
