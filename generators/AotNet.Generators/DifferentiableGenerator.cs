using System.Linq;
using AotNet.Generators.Diagnostics;
using AotNet.Generators.Emit;
using AotNet.Generators.Parsing;
using AotNet.Generators.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AotNet.Generators;

/// <summary>
/// Reads each <c>[Differentiable]</c> method as a static graph and emits its compiled inference
/// path and training step. Each stage is a pure function of the one before, and every value
/// between stages is equatable, so an edit elsewhere reruns nothing here.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps, for incremental-caching tests.</summary>
    public static class Steps
    {
        public const string Parse = nameof(Parse);
        public const string Models = nameof(Models);
        public const string Emit = nameof(Emit);
        public const string ModuleTypes = nameof(ModuleTypes);
        public const string Stubs = nameof(Stubs);
        public const string ModuleProblems = nameof(ModuleProblems);
        public const string Diagnostics = nameof(Diagnostics);
        public const string Descriptions = nameof(Descriptions);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.Differentiable,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntax, cancellation) => ModelParser.Parse(syntax, cancellation))
            .WithTrackingName(Steps.Parse);

        // Methods that reach the same submodule read its body each; its problem is reported once.
        var diagnostics = parsed
            .Where(static result => result.Diagnostics.Count > 0)
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(Steps.Diagnostics)
            .Collect()
            .Select(static (all, _) => all.SelectMany(d => d).Distinct().ToEquatableArray());
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (output, pair) =>
        {
            foreach (var diagnostic in pair.Left)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right));
            }
        });

        var files = parsed
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(Steps.Models)
            .Select(static (model, _) => ModelEmitter.Emit(model))
            .WithTrackingName(Steps.Emit);
        context.RegisterSourceOutput(files, static (output, file) =>
        {
            if (file.Failure is null)
            {
                output.AddSource(file.HintName, file.Text);
                return;
            }
            var origin = file.Origin;
            var location = origin is null ? Location.None : Location.Create(origin.FilePath, new TextSpan(origin.Start, origin.Length),
                new LinePositionSpan(new LinePosition(origin.StartLine, origin.StartColumn), new LinePosition(origin.EndLine, origin.EndColumn)));
            int colon = file.Failure.IndexOf(':');
            output.ReportDiagnostic(Diagnostic.Create(Descriptors.InternalError, location, file.Subject, file.Failure.Substring(0, colon), file.Failure.Substring(colon + 2)));
        });

        var stubs = parsed
            .Where(static result => result.Stub is not null)
            .Select(static (result, _) => StubEmitter.Emit(result.Stub!))
            .WithTrackingName(Steps.Stubs);
        context.RegisterSourceOutput(stubs, static (output, file) => output.AddSource(file.HintName, file.Text));

        // Modules without [Differentiable] methods, such as one that only holds layers, still need
        // their members listed, or the compiler's only word would be a missing VisitMembers.
        var holders = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is ClassDeclarationSyntax { BaseList: not null } declaration && declaration.Modifiers.Any(m => m.Text == "partial"),
                static (syntax, cancellation) => syntax.SemanticModel.GetDeclaredSymbol(syntax.Node, cancellation) is INamedTypeSymbol type ? ModelParser.HolderModule(type) : null)
            .Where(static holder => holder is not null)
            .Select(static (holder, _) => holder!)
            .Collect();
        var moduleTypes = parsed
            .Where(static result => result.ModuleType is not null)
            .Select(static (result, _) => result.ModuleType!)
            .Collect()
            .Combine(holders)
            .Select(static (types, _) => types.Left.Concat(types.Right).Distinct().OrderBy(t => t.Type.FullName, System.StringComparer.Ordinal).ToArray().ToEquatableArray())
            .WithTrackingName(Steps.ModuleTypes);
        var moduleProblems = moduleTypes
            .Select(static (types, _) => types.SelectMany(t => t.Problems).ToEquatableArray())
            .WithTrackingName(Steps.ModuleProblems);
        context.RegisterSourceOutput(moduleProblems.Combine(context.CompilationProvider), static (output, pair) =>
        {
            foreach (var problem in pair.Left)
            {
                output.ReportDiagnostic(problem.ToDiagnostic(pair.Right));
            }
        });
        // Every public module of a library, not only those with [Differentiable] methods: a model
        // in another project may reach one as a holder of layers, or as the base of another.
        var descriptions = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is ClassDeclarationSyntax { BaseList: not null, Parent: BaseNamespaceDeclarationSyntax or CompilationUnitSyntax },
                static (syntax, cancellation) => syntax.SemanticModel.GetDeclaredSymbol(syntax.Node, cancellation) is INamedTypeSymbol type
                    ? ModuleDescriber.Describe(type, syntax.SemanticModel.Compilation)
                    : null)
            .Where(static description => description is not null)
            .Select(static (description, _) => description!)
            .Collect()
            .Select(static (found, _) => found.Distinct().OrderBy(d => d.Type, System.StringComparer.Ordinal).ToArray().ToEquatableArray())
            .WithTrackingName(Steps.Descriptions);
        context.RegisterSourceOutput(descriptions, static (output, found) =>
        {
            foreach (var description in found)
            {
                var file = DescriptionEmitter.Emit(description);
                output.AddSource(file.HintName, file.Text);
            }
        });

        context.RegisterSourceOutput(moduleTypes, static (output, types) =>
        {
            foreach (var type in types)
            {
                var file = ModuleEmitter.Emit(type);
                output.AddSource(file.HintName, file.Text);
            }
        });
    }
}
