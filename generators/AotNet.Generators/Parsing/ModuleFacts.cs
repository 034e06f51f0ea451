using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AotNet.Generators.Parsing;

/// <summary>What the generator knows at build time about one member of a module instance.</summary>
internal sealed class Fact
{
    Fact(object? constant, ModuleFacts? instance, bool isNull, bool isKnown, IReadOnlyList<Fact>? elements = null)
    {
        Elements = elements;
        Constant = constant;
        Instance = instance;
        IsNull = isNull;
        IsKnown = isKnown;
    }

    public static readonly Fact Unknown = new(null, null, false, false);
    public static readonly Fact Null = new(null, null, true, true);

    /// <summary>An object that is certainly not null, whose own members are <paramref name="instance"/> (or unknown).</summary>
    public static Fact Object(ModuleFacts? instance) => new(null, instance, false, true);

    public static Fact Of(object value) => new(value, null, false, true);

    /// <summary>A module that may or may not be there, whose members, when it is, are <paramref name="instance"/>.</summary>
    public static Fact Perhaps(ModuleFacts instance) => new(null, instance, false, false);

    /// <summary>A collection of modules whose length and elements are known at build time.</summary>
    public static Fact Collection(IReadOnlyList<Fact> elements, ModuleFacts? instance = null) => new(null, instance, false, true, elements);

    /// <summary>The elements of a module array or <c>ModuleList</c>, when its length is known at build time.</summary>
    public IReadOnlyList<Fact>? Elements { get; }

    /// <summary>An int, bool, float or string value, when known.</summary>
    public object? Constant { get; }

    /// <summary>The facts of the object this member holds, when it was created where the generator can read.</summary>
    public ModuleFacts? Instance { get; }

    public bool IsNull { get; }

    /// <summary>False when the value depends on something only the running program knows.</summary>
    public bool IsKnown { get; }

    /// <summary>Known not to be null: an object, or a constant.</summary>
    public bool IsNotNull => IsKnown && !IsNull;
}

/// <summary>
/// The build-time facts of one module instance: the values its constructor and initializers
/// store in its fields and properties, evaluated from the arguments it was created with. This
/// is how <c>new Block(dim: 64)</c> gives Block's parameters the size 64 at build time, while
/// <c>new Block(width)</c> with a width known only at run time leaves them to be read then.
/// </summary>
internal sealed class ModuleFacts
{
    readonly Dictionary<ISymbol, Fact> _members = new(SymbolEqualityComparer.Default);

    ModuleFacts(INamedTypeSymbol type) => Type = type;

    public INamedTypeSymbol Type { get; }

    /// <summary>
    /// True when <see cref="Type"/> is the object's own class, not only a base of it: the facts of
    /// a <c>new</c> the generator read, so a virtual call on the object has one body.
    /// </summary>
    public bool IsExact { get; private set; }

    /// <summary>The arguments it was created with, by parameter name (defaults included); empty when not known.</summary>
    public IReadOnlyDictionary<string, Fact> Arguments { get; private set; } = new Dictionary<string, Fact>();

    /// <summary>The fact about <paramref name="member"/> (a field or property of <see cref="Type"/>).</summary>
    /// <remarks>
    /// A value in a member that can be assigned after construction (a field that is not readonly,
    /// a property with a setter) is not known: code may change it before the generated code runs.
    /// </remarks>
    public Fact this[ISymbol member] => !_members.TryGetValue(member.OriginalDefinition, out var fact) ? Fact.Unknown
        : IsStable(member) ? fact
        : fact.Constant is not null || fact.Elements is not null ? Fact.Unknown
        : fact;

    /// <summary>
    /// <paramref name="typeFacts"/> (what every instance of the type has) with the arguments
    /// these facts' module was created with: for a module in a member code may replace, whose
    /// own configuration is then not known, though its creation is what the generated code checks
    /// again when it runs (a layer's sizes, and which of its parameters it has).
    /// </summary>
    public ModuleFacts WithArgumentsOf(ModuleFacts typeFacts)
    {
        var result = new ModuleFacts(typeFacts.Type) { Arguments = Arguments };
        foreach (var pair in typeFacts._members)
        {
            result._members[pair.Key] = pair.Value;
        }
        foreach (var pair in _members)
        {
            // Whether each parameter is there is checked again when the code runs (a missing one
            // by its guard, an unexpected one by ShapeGuard.Absent), so the creation may decide it.
            if (LayerReader.MemberType(pair.Key).Is(KnownNames.Parameter))
            {
                result._members[pair.Key] = pair.Value;
            }
        }
        return result;
    }

    /// <summary>Whether code outside the constructor cannot change the member: a readonly field, or a property without a setter or with an init-only one.</summary>
    public static bool IsStable(ISymbol member) => member switch
    {
        IFieldSymbol field => field.IsReadOnly || field.IsConst,
        IPropertySymbol property => property.SetMethod is null || property.SetMethod.IsInitOnly,
        _ => false,
    };

    /// <summary>Nothing known: the type's source is not available, or it was created where the generator cannot look.</summary>
    public static ModuleFacts Opaque(INamedTypeSymbol type) => new(type);

    /// <summary>The instance that <paramref name="creation"/> makes, with arguments evaluated by <paramref name="argument"/>.</summary>
    public static ModuleFacts Created(IObjectCreationOperation creation, Compilation compilation, System.Func<IOperation, Fact> argument, int depth = 0)
    {
        var type = (INamedTypeSymbol)creation.Type!;
        var facts = new ModuleFacts(type) { IsExact = true };
        if (creation.Constructor is null || depth > 8)
        {
            return facts;
        }
        var arguments = creation.Arguments.ToDictionary(a => (ISymbol)a.Parameter!, a => a.ArgumentKind == ArgumentKind.DefaultValue ? DefaultOf(a.Parameter!) : argument(a.Value), SymbolEqualityComparer.Default);
        facts.Arguments = arguments.ToDictionary(pair => pair.Key.Name, pair => pair.Value, System.StringComparer.Ordinal);
        var evaluator = new Evaluator(facts, compilation, arguments, depth);
        evaluator.Construct(creation.Constructor);
        if (creation.Initializer is { } initializer)
        {
            // new Block(64) { UseGate = true }: the initializer's assignments run after the constructor.
            foreach (var assignment in initializer.Initializers.OfType<ISimpleAssignmentOperation>())
            {
                if (assignment.Target is IMemberReferenceOperation { Member: var member } && !member.IsStatic)
                {
                    facts._members[member.OriginalDefinition] = argument(assignment.Value);
                }
            }
        }
        return facts;
    }

    /// <summary>
    /// The instance a method is compiled for when nothing says how it was made: what its
    /// initializers store, and what every constructor agrees on whatever its arguments.
    /// </summary>
    public static ModuleFacts Root(INamedTypeSymbol type, Compilation compilation)
    {
        var constructors = type.InstanceConstructors.Where(c => !c.IsImplicitlyDeclared || c.Parameters.Length == 0).ToList();
        ModuleFacts? merged = null;
        foreach (var constructor in constructors)
        {
            var facts = new ModuleFacts(type);
            new Evaluator(facts, compilation, new Dictionary<ISymbol, Fact>(SymbolEqualityComparer.Default), 0).Construct(constructor);
            merged = merged is null ? facts : Merge(merged, facts);
        }
        merged ??= new ModuleFacts(type);
        // An object initializer the generator never sees may set an init-only property after any constructor.
        foreach (var property in type.GetMembers().OfType<IPropertySymbol>().Where(p => p.SetMethod?.IsInitOnly == true))
        {
            merged._members.Remove(property.OriginalDefinition);
        }
        return merged;
    }

    /// <summary>What <paramref name="a"/> and <paramref name="b"/> agree on; anything else is unknown.</summary>
    public static ModuleFacts Merge(ModuleFacts a, ModuleFacts b)
    {
        var result = new ModuleFacts(a.Type);
        foreach (var pair in a._members)
        {
            if (b._members.TryGetValue(pair.Key, out var other) && Same(pair.Value, other))
            {
                result._members[pair.Key] = pair.Value;
            }
        }
        return result;
    }

    /// <summary>Whether two facts say the same, looking into the instances they hold: each constructor builds its own.</summary>
    static bool Same(Fact a, Fact b) =>
        a.IsKnown && b.IsKnown && a.IsNull == b.IsNull && Equals(a.Constant, b.Constant) && (a.Instance is null) == (b.Instance is null)
        && (a.Instance is null || a.Instance.SameAs(b.Instance!))
        && (a.Elements is null) == (b.Elements is null)
        && (a.Elements is null || (a.Elements.Count == b.Elements!.Count && a.Elements.Zip(b.Elements, Same).All(same => same)));

    bool SameAs(ModuleFacts other) =>
        ReferenceEquals(this, other)
        || (SymbolEqualityComparer.Default.Equals(Type, other.Type)
            && _members.Count == other._members.Count
            && _members.All(pair => other._members.TryGetValue(pair.Key, out var fact) && (pair.Value.IsKnown ? Same(pair.Value, fact) : !fact.IsKnown))
            && Arguments.Count == other.Arguments.Count
            && Arguments.All(pair => other.Arguments.TryGetValue(pair.Key, out var fact) && (pair.Value.IsKnown ? Same(pair.Value, fact) : !fact.IsKnown)));

    /// <summary><c>x is null</c> and <c>x is not null</c> on a value whose nullness is known.</summary>
    public static Fact NullTest(Fact value, IPatternOperation pattern) => pattern switch
    {
        IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } when value.IsKnown => Fact.Of(value.IsNull),
        INegatedPatternOperation { Pattern: var inner } => NullTest(value, inner).Constant is bool flag ? Fact.Of(!flag) : Fact.Unknown,
        _ => Fact.Unknown,
    };

    static Fact DefaultOf(ITypeSymbol? type) => type switch
    {
        null => Fact.Unknown,
        { SpecialType: SpecialType.System_Int32 } => Fact.Of(0),
        { SpecialType: SpecialType.System_Boolean } => Fact.Of(false),
        { SpecialType: SpecialType.System_Single } => Fact.Of(0f),
        { IsReferenceType: true } => Fact.Null,
        _ => Fact.Unknown,
    };

    static Fact DefaultOf(IParameterSymbol parameter) =>
        !parameter.HasExplicitDefaultValue ? Fact.Unknown
        : parameter.ExplicitDefaultValue is null ? (parameter.Type.IsValueType && parameter.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? Fact.Unknown : Fact.Null)
        : Fact.Of(parameter.ExplicitDefaultValue);

    /// <summary>Runs a constructor symbolically: assignments to members, ifs on known conditions, and nothing else.</summary>
    sealed class Evaluator
    {
        readonly ModuleFacts _facts;
        readonly Compilation _compilation;
        readonly Dictionary<ISymbol, Fact> _values;
        readonly int _depth;
        readonly HashSet<ISymbol> _defaulted = new(SymbolEqualityComparer.Default);

        /// <summary>The class whose constructor runs: the module's own, or a base class's through <c>base(...)</c>.</summary>
        readonly INamedTypeSymbol _type;

        public Evaluator(ModuleFacts facts, Compilation compilation, Dictionary<ISymbol, Fact> arguments, int depth, INamedTypeSymbol? type = null)
        {
            _facts = facts;
            _compilation = compilation;
            _values = arguments;
            _depth = depth;
            _type = type ?? facts.Type;
        }

        public void Construct(IMethodSymbol constructor)
        {
            var syntax = constructor.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).FirstOrDefault();
            var model = syntax is null ? null : _compilation.GetSemanticModel(syntax.SyntaxTree);
            var body = model?.GetOperation(syntax!) as IConstructorBodyOperation;
            if (body?.Initializer is IExpressionStatementOperation { Operation: IInvocationOperation chained }
                && SymbolEqualityComparer.Default.Equals(chained.TargetMethod.ContainingType, _type))
            {
                // this(...): that constructor runs first, with these arguments, and runs the initializers.
                new Evaluator(_facts, _compilation, ArgumentsOf(chained), _depth + 1, _type).Construct(chained.TargetMethod);
            }
            else
            {
                // This class's initializers, then the base class's constructor, then this body: C#'s order.
                RunInitializers(constructor);
                var baseType = _type.BaseType;
                if (baseType is not null && baseType.DerivesFrom(KnownNames.Module) && !baseType.Is(KnownNames.Module) && _depth < 8)
                {
                    if (body?.Initializer is IExpressionStatementOperation { Operation: IInvocationOperation baseCall }
                        && SymbolEqualityComparer.Default.Equals(baseCall.TargetMethod.ContainingType, baseType))
                    {
                        new Evaluator(_facts, _compilation, ArgumentsOf(baseCall), _depth + 1, baseType).Construct(baseCall.TargetMethod);
                    }
                    else if (body?.Initializer is null && baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0) is { } parameterless)
                    {
                        new Evaluator(_facts, _compilation, new Dictionary<ISymbol, Fact>(SymbolEqualityComparer.Default), _depth + 1, baseType).Construct(parameterless);
                    }
                }
            }
            if (body?.BlockBody is { } block)
            {
                Run(block);
            }
            else if (body?.ExpressionBody is { } expression)
            {
                Run(expression);
            }
        }

        Dictionary<ISymbol, Fact> ArgumentsOf(IInvocationOperation call) =>
            call.Arguments.ToDictionary(a => (ISymbol)a.Parameter!, a => a.ArgumentKind == ArgumentKind.DefaultValue ? DefaultOf(a.Parameter!) : Evaluate(a.Value), SymbolEqualityComparer.Default);

        /// <summary>Field and property initializers, in declaration order; a primary constructor's parameters are in scope.</summary>
        void RunInitializers(IMethodSymbol constructor)
        {
            foreach (var member in LayerReader.InstanceMembersInSourceOrder(_type))
            {
                foreach (var reference in member.DeclaringSyntaxReferences)
                {
                    var syntax = reference.GetSyntax();
                    var initializer = syntax switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer: { } field } => field,
                        Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Initializer: { } property } => property,
                        _ => null,
                    };
                    if (initializer is null && member is IPropertySymbol computed && !IsAutoProperty(computed))
                    {
                        // A getter with a body computes its value each time: nothing to know.
                        continue;
                    }
                    if (initializer is null)
                    {
                        // Until the constructor assigns it, a member holds its type's default.
                        _facts._members[member.OriginalDefinition] = DefaultOf(LayerReader.MemberType(member));
                        _defaulted.Add(member.OriginalDefinition);
                        continue;
                    }
                    var operation = _compilation.GetSemanticModel(initializer.SyntaxTree).GetOperation(initializer.Value);
                    _facts._members[member.OriginalDefinition] = operation is null ? Fact.Unknown : Evaluate(operation);
                }
            }
            foreach (var constant in _type.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst && f.HasConstantValue))
            {
                _facts._members[constant.OriginalDefinition] = Fact.Of(constant.ConstantValue!);
            }
        }

        bool IsAutoProperty(IPropertySymbol property) =>
            _type.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));

        /// <summary>True once a return has certainly run: the statements after it do not.</summary>
        bool _returned;

        /// <summary>True once a return may have run: what the statements after it store is not certain.</summary>
        bool _perhapsReturned;

        void Run(IOperation statement)
        {
            if (_returned)
            {
                return;
            }
            if (_perhapsReturned)
            {
                Forget(statement);
                return;
            }
            switch (statement)
            {
                case IBlockOperation block:
                    foreach (var inner in block.Operations)
                    {
                        Run(inner);
                    }
                    break;
                case IReturnOperation:
                    _returned = true;
                    break;
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment }:
                    Assign(assignment.Target, Evaluate(assignment.Value));
                    break;
                case IVariableDeclarationGroupOperation group:
                    foreach (var declarator in group.Declarations.SelectMany(d => d.Declarators))
                    {
                        _values[declarator.Symbol] = declarator.Initializer is { } init ? Evaluate(init.Value) : Fact.Unknown;
                    }
                    break;
                case IConditionalOperation conditional:
                    var condition = Evaluate(conditional.Condition);
                    if (condition.Constant is bool taken)
                    {
                        if (taken)
                        {
                            Run(conditional.WhenTrue);
                        }
                        else if (conditional.WhenFalse is { } otherwise)
                        {
                            Run(otherwise);
                        }
                    }
                    else
                    {
                        Forget(conditional);
                    }
                    break;
                default:
                    // Argument checks, other calls, loops, try blocks: whatever they may store is forgotten.
                    Forget(statement);
                    break;
            }
        }

        /// <summary>A statement the evaluator does not follow: every member it might assign becomes unknown.</summary>
        void Forget(IOperation statement)
        {
            if (statement.DescendantsAndSelf().Any(o => o is IInstanceReferenceOperation { Parent: not IMemberReferenceOperation } or IInvocationOperation { Instance: IInstanceReferenceOperation }))
            {
                // A method of this object, or code given the object, may assign any member: none
                // still holds its default for certain.
                foreach (var member in _defaulted)
                {
                    _facts._members[member] = Fact.Unknown;
                }
            }
            if (statement.DescendantsAndSelf().OfType<IReturnOperation>().Any())
            {
                _perhapsReturned = true;
            }
            // Every place a statement can store: assignments (a deconstruction's targets among
            // them), increments, and out or ref arguments.
            var targets = statement.DescendantsAndSelf().SelectMany(o => o switch
            {
                IDeconstructionAssignmentOperation deconstruction => deconstruction.Target.DescendantsAndSelf(),
                IAssignmentOperation assignment => [assignment.Target],
                IIncrementOrDecrementOperation change => [change.Target],
                IArgumentOperation { Parameter.RefKind: not RefKind.None } argument => [argument.Value],
                _ => System.Array.Empty<IOperation>(),
            });
            foreach (var target in targets)
            {
                if (MemberOf(target) is { } member)
                {
                    _facts._members[member] = Fact.Unknown;
                    _defaulted.Remove(member);
                }
                else if (target is ILocalReferenceOperation local)
                {
                    _values[local.Local] = Fact.Unknown;
                }
            }
        }

        void Assign(IOperation target, Fact value)
        {
            if (MemberOf(target) is { } member)
            {
                _facts._members[member] = value;
                _defaulted.Remove(member);
            }
            else if (target is ILocalReferenceOperation local)
            {
                _values[local.Local] = value;
            }
        }

        ISymbol? MemberOf(IOperation target) => target switch
        {
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field when Owns(field.Field) => field.Field.OriginalDefinition,
            IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property when Owns(property.Property) => property.Property.OriginalDefinition,
            _ => null,
        };

        /// <summary>A member of the module: of its own class or of a base class, whose constructor runs as part of it.</summary>
        bool Owns(ISymbol member)
        {
            if (member.IsStatic)
            {
                return false;
            }
            for (INamedTypeSymbol? type = _facts.Type; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(member.ContainingType.OriginalDefinition, type.OriginalDefinition))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// <c>new ModuleList&lt;Block&gt;([a, b])</c>, or <c>new ModuleList&lt;Block&gt;(12, i =&gt; new Block(64))</c>
        /// with the factory run once per index.
        /// </summary>
        Fact ModuleListOf(IObjectCreationOperation creation)
        {
            var instance = Created(creation, _compilation, Evaluate, _depth + 1);
            var modules = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "modules");
            if (modules is not null)
            {
                var elements = Evaluate(modules.Value).Elements;
                return elements is null ? Fact.Object(instance) : Fact.Collection(elements, instance);
            }
            var count = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "count");
            var create = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "create")?.Value;
            while (create is IDelegateCreationOperation or IConversionOperation)
            {
                create = create is IDelegateCreationOperation delegateCreation ? delegateCreation.Target : ((IConversionOperation)create).Operand;
            }
            if (count is null || Evaluate(count.Value).Constant is not int length || length < 0 || length > 4096
                || create is not IAnonymousFunctionOperation factory || factory.Body.Operations.Length != 1
                || factory.Body.Operations[0] is not IReturnOperation { ReturnedValue: { } made })
            {
                return Fact.Object(instance);
            }
            var list = new List<Fact>();
            for (int index = 0; index < length; index++)
            {
                _values[factory.Symbol.Parameters[0]] = Fact.Of(index);
                list.Add(Evaluate(made));
            }
            return Fact.Collection(list, instance);
        }

        /// <summary>The arm a known value takes, matched by constants and discards; unknown when an arm has a guard or another pattern first.</summary>
        Fact Switched(ISwitchExpressionOperation switched)
        {
            var value = Evaluate(switched.Value);
            if (!value.IsKnown)
            {
                return Fact.Unknown;
            }
            foreach (var arm in switched.Arms)
            {
                if (arm.Guard is not null)
                {
                    return Fact.Unknown;
                }
                switch (arm.Pattern)
                {
                    case IDiscardPatternOperation:
                        return Evaluate(arm.Value);
                    case IConstantPatternOperation { Value.ConstantValue: { HasValue: true } constant }:
                        if (Equals(constant.Value, value.Constant) || (constant.Value is null && value.IsNull))
                        {
                            return Evaluate(arm.Value);
                        }
                        break;
                    default:
                        return Fact.Unknown;
                }
            }
            return Fact.Unknown;
        }

        public Fact Evaluate(IOperation operation)
        {
            if (operation.ConstantValue is { HasValue: true } constant)
            {
                return constant.Value is null ? Fact.Null : Fact.Of(constant.Value);
            }
            switch (operation)
            {
                case IConversionOperation conversion:
                    return Evaluate(conversion.Operand);
                case IParenthesizedOperation parenthesized:
                    return Evaluate(parenthesized.Operand);
                case IParameterReferenceOperation parameter:
                    return _values.TryGetValue(parameter.Parameter, out var argument) ? argument : Fact.Unknown;
                case ILocalReferenceOperation local:
                    return _values.TryGetValue(local.Local, out var value) ? value : Fact.Unknown;
                case IFieldReferenceOperation or IPropertyReferenceOperation when MemberOf(operation) is { } member:
                    return _facts[member];
                case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol created && created.Is(KnownNames.ModuleList):
                    return ModuleListOf(creation);
                case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol created:
                    return Fact.Object(created.DerivesFrom(KnownNames.Module) ? Created(creation, _compilation, Evaluate, _depth + 1) : null);
                case IArrayCreationOperation { Initializer: { } initializer }:
                    return Fact.Collection(initializer.ElementValues.Select(Evaluate).ToList());
                case ICollectionExpressionOperation collection when collection.Elements.All(e => e is not ISpreadOperation):
                    return Fact.Collection(collection.Elements.Select(Evaluate).ToList());
                case IArrayCreationOperation or ICollectionExpressionOperation:
                    return Fact.Object(null);
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    var condition = Evaluate(conditional.Condition);
                    return condition.Constant is bool taken ? Evaluate(taken ? conditional.WhenTrue : whenFalse) : Fact.Unknown;
                case ISwitchExpressionOperation switched:
                    return Switched(switched);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return Evaluate(not.Operand).Constant is bool flag ? Fact.Of(!flag) : Fact.Unknown;
                case IBinaryOperation binary:
                    return Arithmetic.Binary(binary.OperatorKind, Evaluate(binary.LeftOperand), Evaluate(binary.RightOperand));
                case IIsPatternOperation pattern:
                    return NullTest(Evaluate(pattern.Value), pattern.Pattern);
                default:
                    return Fact.Unknown;
            }
        }
    }
}
