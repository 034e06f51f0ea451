using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AotNet.Generators.Diagnostics;
using AotNet.Generators.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AotNet.Generators.Parsing;

/// <summary>The first pipeline stage: Roslyn symbols in, plain equatable values out.</summary>
internal static class ModelParser
{
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        try
        {
            // Modules from other assemblies are read from their descriptions, which exist only in a
            // copy of the compilation: the model is read there, so every symbol comes from one place.
            var semanticModel = context.SemanticModel;
            var imports = ImportedModules.For(semanticModel.Compilation, context.TargetNode.SyntaxTree.Options);
            if (imports.Compilation != semanticModel.Compilation)
            {
                semanticModel = imports.Compilation.GetSemanticModel(context.TargetNode.SyntaxTree);
                method = semanticModel.GetDeclaredSymbol(context.TargetNode, cancellation) as IMethodSymbol ?? method;
            }
            return ParseMethod(semanticModel, imports, method, cancellation);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            // A bug here must cost only this method's members, never every model's generated code.
            var error = DiagnosticInfo.Create(Descriptors.InternalError, method.FirstLocation(), method.Name, exception.GetType().Name, exception.Message);
            return new ParseResult(null, null, new[] { error }.ToEquatableArray());
        }
    }

    static ParseResult ParseMethod(SemanticModel semanticModel, ImportedModules imports, IMethodSymbol method, CancellationToken cancellation)
    {
        var type = method.ContainingType;
        var diagnostics = new List<DiagnosticInfo>();

        if (FirstNonPartialType(type) is { } notPartial)
        {
            diagnostics.Add(DiagnosticInfo.Create(Descriptors.TypeNotPartial, notPartial.FirstLocation(), notPartial.Name));
            return new ParseResult(null, null, diagnostics.ToEquatableArray());
        }
        var location = Locate(type);
        var moduleType = ReadModuleType(type, location);

        if (!CheckSignature(method, diagnostics))
        {
            return new ParseResult(null, moduleType, diagnostics.ToEquatableArray());
        }

        if (IsBuildingBlock(method))
        {
            // Like a layer's Forward: its input shapes are the caller's, so it compiles only into the
            // methods that call it and has no entry points of its own.
            return new ParseResult(null, moduleType, EquatableArray<DiagnosticInfo>.Empty);
        }

        var inputs = new List<InputSpec>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            bool isLabels = parameter.Type.Is(KnownNames.Labels);
            bool requiresGrad = parameter.HasAttribute(KnownNames.RequiresGrad);
            var shape = ShapeReader.Read(parameter, constantsOnly: false, out string? problem);
            inputs.Add(new InputSpec(parameter.Name, isLabels, shape ?? Shape.Scalar, requiresGrad && !isLabels));
            if (shape is null || (isLabels && shape.Rank < 1))
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.InvalidShape, parameter.FirstLocation(), parameter.Name,
                    problem ?? "holds labels, so its [Shape] needs at least one dimension, such as [Shape(\"N\")] (indices for Gather may have more)"));
                continue;
            }
            if (shape.Dims.SelectMany(d => d.Symbols).FirstOrDefault(symbol => method.Parameters.Any(p => p.Name == symbol)) is { } clash)
            {
                // The symbol becomes a local of the generated method, beside the inputs.
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.InvalidShape, parameter.FirstLocation(), parameter.Name,
                    $"uses the symbol \"{clash}\", which is also the name of an input; rename the symbol or the input"));
                continue;
            }
            if (requiresGrad && isLabels)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.GradientOfLabels, parameter.FirstLocation(), parameter.Name));
                continue;
            }
        }
        var stub = new StubSpec(location, method.Name, Accessibility(method), inputs.ToEquatableArray(), TupleNames(method).ToEquatableArray());
        if (diagnostics.Count > 0)
        {
            return new ParseResult(null, moduleType, diagnostics.ToEquatableArray(), stub);
        }

        // Branches on what only the running code knows (the Training flag, a bool the constructor
        // got at run time) are read once per combination; the generated member chooses when called.
        var conditions = new List<RuntimeCondition>();
        var variants = new List<GraphVariant>();
        var modeFlags = new List<ModeFlag>();
        for (int combination = 0; combination < 1 << conditions.Count; combination++)
        {
            var values = conditions.Select((_, k) => (combination & (1 << k)) == 0).ToArray();
            var graph = ReadGraph(semanticModel, imports, method, inputs, conditions.Zip(values, (c, v) => (c, v)).ToList(), diagnostics, out var discovered, modeFlags, cancellation);
            if (graph is null)
            {
                break;
            }
            if (discovered.Count > 0)
            {
                conditions.AddRange(discovered);
                if (conditions.Count > MaxConditions)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.ConditionNotKnown, method.FirstLocation(), method.Name,
                        $"it branches on {conditions.Count} values known only at run time ({string.Join(", ", conditions.Select(c => c.Name))}); at most {MaxConditions} are compiled, as {1 << MaxConditions} variants"));
                    break;
                }
                variants.Clear();
                combination = -1;
                continue;
            }
            variants.Add(new GraphVariant(graph, values.ToEquatableArray()));
        }
        if (diagnostics.Count > 0 || variants.Count == 0)
        {
            return new ParseResult(null, moduleType, diagnostics.Distinct().ToEquatableArray(), stub);
        }
        var model = new ModelSpec(location, method.Name, Accessibility(method), variants[0].Graph, RangeOf(method.FirstLocation()), type.DerivesFrom(KnownNames.Module),
            conditions.ToEquatableArray(), conditions.Count == 0 ? EquatableArray<GraphVariant>.Empty : variants.ToEquatableArray(), modeFlags.ToEquatableArray());
        return new ParseResult(model, moduleType, EquatableArray<DiagnosticInfo>.Empty);
    }

    const int MaxConditions = 3;

    /// <summary>The method's graph under <paramref name="assumptions"/>, or null after adding its diagnostics.</summary>
    static GraphSpec? ReadGraph(SemanticModel semanticModel, ImportedModules imports, IMethodSymbol method, List<InputSpec> inputs, List<(RuntimeCondition, bool)> assumptions,
        List<DiagnosticInfo> diagnostics, out List<RuntimeCondition> discovered, List<ModeFlag> modeFlags, CancellationToken cancellation)
    {
        var type = method.ContainingType;
        var reader = new GraphReader(semanticModel.Compilation, imports, type, cancellation) { Assumptions = assumptions };
        var scope = new ReaderScope(type, "", "this.", semanticModel, ModuleFacts.Root(type, semanticModel.Compilation));
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            scope.Values[method.Parameters[i]] = reader.AddInput(inputs[i], i);
        }
        int output = reader.ReadMethod(method, scope);
        discovered = reader.Discovered;
        modeFlags.AddRange(reader.ModeFlags.Where(flag => !modeFlags.Contains(flag)));
        diagnostics.AddRange(reader.Diagnostics);
        if (reader.Diagnostics.Count > 0 || (output < 0 && !ReadValue.IsTuple(output)))
        {
            return null;
        }
        var graph = reader.Finish(output, TupleNames(method));
        var cut = GradientsCutByIntegers(graph, reader.IntegerResults).ToList();
        diagnostics.AddRange(cut);
        return cut.Count > 0 ? null : graph;
    }

    /// <summary>
    /// For a method with a training step: each parameter or [RequiresGrad] input that the loss depends on only
    /// through an integer result (an argmax), reported there. Its gradient would silently be zero; PyTorch refuses it too.
    /// </summary>
    static IEnumerable<DiagnosticInfo> GradientsCutByIntegers(GraphSpec graph, IReadOnlyDictionary<int, (Location Location, string Text)> integers)
    {
        var loss = graph.Nodes[graph.Output];
        if (integers.Count == 0 || loss.Shape.Rank != 0 || loss.DType != DType.Float32)
        {
            yield break;
        }
        var reported = new HashSet<int>();
        foreach (var leaf in graph.Nodes.Where(n => n.Attributes is LeafAttributes { Kind: LeafKind.Parameter } || (n.Attributes is LeafAttributes { Kind: LeafKind.Input } input && graph.Inputs[input.Index].RequiresGrad)))
        {
            var reaches = new bool[graph.Nodes.Count];
            var differentiable = new bool[graph.Nodes.Count];
            reaches[leaf.Id] = differentiable[leaf.Id] = true;
            foreach (var node in graph.Nodes.Where(n => n.Id > leaf.Id))
            {
                reaches[node.Id] = node.Inputs.Any(i => reaches[i]);
                differentiable[node.Id] = node.DType == DType.Float32 && node.Op.Vjp is not null
                    && Enumerable.Range(0, node.Inputs.Count).Any(slot => !node.Op.NonDifferentiableInputs.Contains(slot) && differentiable[node.Inputs[slot]]);
            }
            if (!reaches[graph.Output] || differentiable[graph.Output])
            {
                continue;
            }
            var cut = integers.Keys.OrderBy(id => id).FirstOrDefault(id => reaches[id] && graph.Nodes[id].Inputs.Any(i => differentiable[i]) && !reported.Contains(id));
            if (!integers.TryGetValue(cut, out var at) || !reaches[cut])
            {
                continue;
            }
            reported.Add(cut);
            var attributes = (LeafAttributes)leaf.Attributes;
            string name = attributes.Kind == LeafKind.Parameter ? graph.Parameters[attributes.Index].Name : graph.Inputs[attributes.Index].Name;
            yield return DiagnosticInfo.Create(Descriptors.UnsupportedExpression, at.Location, at.Text,
                $"its result is integer indices, which have no gradient, and the loss depends on '{name}' only through it; "
                + "compute the loss from float values (such as the logits), or drop [RequiresGrad] and return the indices as Labels");
        }
    }

    static bool CheckSignature(IMethodSymbol method, List<DiagnosticInfo> diagnostics)
    {
        string? problem = null;
        if (method.IsStatic)
        {
            problem = "must be an instance method, so it can reach the model's parameters";
        }
        else if (method.IsGenericMethod)
        {
            problem = "must not be generic";
        }
        else if (!IsResult(method.ReturnType) && !IsTupleOfTensors(method.ReturnType))
        {
            problem = $"must return AotNet.Tensor (or AotNet.Labels), or a tuple of them such as (Tensor Loss, Tensor Logits), not '{method.ReturnType.ToDisplayString()}'";
        }
        else if (method.Parameters.FirstOrDefault(p => p.RefKind != RefKind.None) is { } byReference)
        {
            string kind = byReference.RefKind switch
            {
                RefKind.Out => "out",
                RefKind.Ref => "ref",
                _ => "in",
            };
            problem = $"has an '{kind}' parameter '{byReference.Name}'; inputs must be AotNet.Tensor or AotNet.Labels passed by value, and results are returned";
        }
        else if (method.Parameters.FirstOrDefault(p => !(p.Type.Is(KnownNames.Tensor) || p.Type.Is(KnownNames.Labels))) is { } bad)
        {
            problem = $"has parameter '{bad.Name}' of type '{bad.Type.ToDisplayString()}'; inputs must be AotNet.Tensor or AotNet.Labels, passed by value";
        }
        if (problem is null)
        {
            return true;
        }
        diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnsupportedSignature, method.FirstLocation(), method.Name, problem));
        return false;
    }

    /// <summary>A method none of whose inputs declares a [Shape]: one that other methods call, such as a layer's Forward.</summary>
    static bool IsBuildingBlock(IMethodSymbol method) =>
        method.Parameters.Length > 0 && method.Parameters.All(p => p.FindAttribute(KnownNames.Shape) is null);

    static bool IsTupleOfTensors(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsTupleType: true } tuple && tuple.TupleElements.All(e => IsResult(e.Type));

    /// <summary>A tensor, or labels (integer indices, such as an argmax's predictions).</summary>
    static bool IsResult(ITypeSymbol type) => type.Is(KnownNames.Tensor) || type.Is(KnownNames.Labels);

    /// <summary>The names of a tuple return's elements (Item1… where the user gave none), or none for a single tensor.</summary>
    static string[] TupleNames(IMethodSymbol method) => method.ReturnType is INamedTypeSymbol { IsTupleType: true } tuple
        ? tuple.TupleElements.Select(e => e.Name).ToArray()
        : [];

    /// <summary>
    /// The generated <c>VisitMembers</c> of a partial module that has no [Differentiable] method,
    /// such as one that only holds layers; null when it writes its own or is not partial.
    /// </summary>
    public static ModuleTypeSpec? HolderModule(INamedTypeSymbol type)
    {
        if (type.IsAbstract || !type.DerivesFrom(KnownNames.Module) || FirstNonPartialType(type) is not null
            || type.GetMembers().OfType<IMethodSymbol>().Any(m => m.HasAttribute(KnownNames.Differentiable)))
        {
            return null;
        }
        return ReadModuleType(type, Locate(type));
    }

    static INamedTypeSymbol? FirstNonPartialType(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            bool isPartial = current.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax())
                .OfType<TypeDeclarationSyntax>()
                .Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!isPartial)
            {
                return current;
            }
        }
        return null;
    }

    static TypeLocation Locate(INamedTypeSymbol type)
    {
        var chain = new List<string>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            string kind = current.IsRecord
                ? (current.TypeKind == TypeKind.Struct ? "record struct" : "record")
                : current.TypeKind == TypeKind.Struct ? "struct" : "class";
            string parameters = current.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", current.TypeParameters.Select(p => p.Name)) + ">";
            chain.Insert(0, $"partial {kind} {current.Name}{parameters}");
        }
        string? ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        return new TypeLocation(ns, chain.ToEquatableArray(), type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
    }

    /// <summary>The members a generated <c>VisitMembers</c> lists, or null when the type is not a module or writes its own.</summary>
    static ModuleTypeSpec? ReadModuleType(INamedTypeSymbol type, TypeLocation location)
    {
        if (!type.DerivesFrom(KnownNames.Module) || type.GetMembers("VisitMembers").Any(m => !m.IsImplicitlyDeclared))
        {
            return null;
        }
        var members = new List<MemberSpec>();
        var problems = new List<DiagnosticInfo>();
        foreach (var member in LayerReader.InstanceMembersInSourceOrder(type))
        {
            var memberType = LayerReader.MemberType(member);
            bool nullable = memberType?.NullableAnnotation == NullableAnnotation.Annotated;
            if (memberType.Is(KnownNames.Parameter) || memberType.DerivesFrom(KnownNames.Module))
            {
                members.Add(new MemberSpec(member.Name, memberType.DerivesFrom(KnownNames.Module) ? MemberKind.Module : MemberKind.Parameter, nullable, LayerReader.StateName(member)));
            }
            else if (memberType is IArrayTypeSymbol { Rank: 1, ElementType: var element } && element.DerivesFrom(KnownNames.Module))
            {
                members.Add(new MemberSpec(member.Name, MemberKind.ModuleArray, nullable, LayerReader.StateName(member)));
            }
            else if (HiddenContents(memberType) is { } hidden)
            {
                // A collection of modules cannot be listed yet; leaving it out would silently
                // exclude its parameters from training, optimisers and checkpoints.
                string container = memberType is IArrayTypeSymbol ? "array" : $"'{memberType!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}'";
                problems.Add(DiagnosticInfo.Create(Descriptors.MemberNotVisible, member.FirstLocation(), member.Name, container, hidden));
            }
        }
        return new ModuleTypeSpec(location, members.ToEquatableArray(), problems.ToEquatableArray(), BaseListsMembers(type));
    }

    /// <summary>
    /// Whether the base class has a <c>VisitMembers</c> of its own for the generated one to call
    /// first, as PyTorch lists a base module's members before a subclass's: one written by hand or
    /// compiled, or one the generator writes because the base has a [Differentiable] method.
    /// </summary>
    static bool BaseListsMembers(INamedTypeSymbol type)
    {
        var baseType = type.BaseType;
        if (baseType is null || baseType.Is(KnownNames.Module) || !baseType.DerivesFrom(KnownNames.Module))
        {
            return false;
        }
        for (INamedTypeSymbol? current = baseType; current is not null && !current.Is(KnownNames.Module); current = current.BaseType)
        {
            if (current.GetMembers("VisitMembers").OfType<IMethodSymbol>().FirstOrDefault(m => !m.IsImplicitlyDeclared) is { } declared)
            {
                return !declared.IsAbstract;
            }
            bool generated = current.DeclaringSyntaxReferences.Length > 0
                && current.GetMembers().OfType<IMethodSymbol>().Any(m => m.HasAttribute(KnownNames.Differentiable));
            if (generated)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>What a member's type holds that the generator would have to list, as words ("modules of type 'Block'"), or null.</summary>
    static string? HiddenContents(ITypeSymbol? type)
    {
        var pending = new Stack<ITypeSymbol>();
        var seen = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        if (type is null)
        {
            return null;
        }
        pending.Push(type);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }
            if (!SymbolEqualityComparer.Default.Equals(current, type))
            {
                if (current.DerivesFrom(KnownNames.Module))
                {
                    return $"modules of type '{current.Name}'";
                }
                if (current.Is(KnownNames.Parameter))
                {
                    return "parameters";
                }
            }
            if (current is IArrayTypeSymbol array)
            {
                pending.Push(array.ElementType);
            }
            else if (current is INamedTypeSymbol { IsGenericType: true } generic)
            {
                foreach (var argument in generic.TypeArguments)
                {
                    pending.Push(argument);
                }
            }
        }
        return null;
    }

    static SourceRange? RangeOf(Location? location)
    {
        if (location is null || !location.IsInSource)
        {
            return null;
        }
        var lines = location.GetLineSpan();
        return new SourceRange(lines.Path, location.SourceSpan.Start, location.SourceSpan.Length,
            lines.StartLinePosition.Line, lines.StartLinePosition.Character, lines.EndLinePosition.Line, lines.EndLinePosition.Character);
    }

    static string Accessibility(IMethodSymbol method) => method.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
