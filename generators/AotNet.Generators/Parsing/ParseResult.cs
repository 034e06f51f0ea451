using AotNet.Generators.Diagnostics;
using AotNet.Generators.Graph;

namespace AotNet.Generators.Parsing;

/// <summary>
/// What one <c>[Differentiable]</c> method yields: a model to emit (when it read cleanly) or the
/// signature to declare (when it did not), the module type that holds it, and diagnostics.
/// </summary>
internal sealed record ParseResult(ModelSpec? Model, ModuleTypeSpec? ModuleType, EquatableArray<DiagnosticInfo> Diagnostics, StubSpec? Stub = null);
